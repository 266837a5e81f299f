package com.huntaze.ratelimit.localrunner.gateway;

import java.util.Locale;

/**
 * The request target of a request line, checked and split into the raw path and raw query string that
 * a payload 2.0 event carries. Accepts origin-form ({@code /path?query}) and absolute-form
 * ({@code http://host/path?query}); anything else, a fragment, a control or non-ASCII byte, or a
 * {@code %} not followed by two hex digits is a bad request, as API Gateway answers it.
 */
record RequestTarget(String rawPath, String rawQueryString) {

  static RequestTarget parse(String target) throws BadHttpRequest {
    String originForm = withoutSchemeAndAuthority(target);
    if (!originForm.startsWith("/")) {
      throw new BadHttpRequest("the request target is not a path starting with /");
    }
    for (int i = 0; i < originForm.length(); i++) {
      char c = originForm.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        throw new BadHttpRequest("the request target holds a control, space or non-ASCII character");
      }
      if (c == '#') {
        throw new BadHttpRequest("the request target holds a fragment (#)");
      }
      if (c == '%' && !(isHex(originForm, i + 1) && isHex(originForm, i + 2))) {
        throw new BadHttpRequest("the request target holds a % that is not followed by two hex digits");
      }
    }
    int question = originForm.indexOf('?');
    return question < 0
        ? new RequestTarget(originForm, "")
        : new RequestTarget(originForm.substring(0, question), originForm.substring(question + 1));
  }

  /** A proxy's absolute-form {@code http://host:port/path} names the same path. */
  private static String withoutSchemeAndAuthority(String target) {
    String lower = target.toLowerCase(Locale.ROOT);
    for (String scheme : new String[] {"http://", "https://"}) {
      if (lower.startsWith(scheme)) {
        int pathStart = target.indexOf('/', scheme.length());
        int queryStart = target.indexOf('?', scheme.length());
        if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
          return "/" + (queryStart < 0 ? "" : target.substring(queryStart));
        }
        return target.substring(pathStart);
      }
    }
    return target;
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }
}
