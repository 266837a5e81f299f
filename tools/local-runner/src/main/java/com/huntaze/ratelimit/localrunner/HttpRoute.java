package com.huntaze.ratelimit.localrunner;

import java.util.Locale;

/**
 * One route of an HttpApi event: {@code method} is an HTTP method or {@code ANY}; {@code path} is like
 * {@code /v1/limits/{creatorId}} or {@code /v1/{proxy+}}, or {@code $default} for the catch-all route.
 */
record HttpRoute(String method, String path, String functionId) {
  static final String ANY = "ANY";
  static final String DEFAULT_PATH = "$default";

  HttpRoute {
    method = method.toUpperCase(Locale.ROOT);
    if (!path.equals(DEFAULT_PATH) && !path.startsWith("/")) {
      throw new TemplateException(functionId + ": HttpApi path '" + path + "' must start with /");
    }
  }

  /** API Gateway's route key, e.g. {@code GET /v1/limits/{creatorId}} or {@code $default}. */
  String routeKey() {
    return isDefault() ? DEFAULT_PATH : method + " " + path;
  }

  boolean isDefault() {
    return path.equals(DEFAULT_PATH);
  }

  boolean matchesMethod(String requestMethod) {
    return method.equals(ANY) || method.equals(requestMethod.toUpperCase(Locale.ROOT));
  }
}
