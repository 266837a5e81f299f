package com.huntaze.ratelimit.localrunner.template;

import java.util.Locale;

/**
 * One route of an HttpApi event: {@code method} is an HTTP method or {@code ANY}; {@code path} is like
 * {@code /v1/limits/{creatorId}} or {@code /v1/{proxy+}}, or {@code $default} for the catch-all route.
 */
public record HttpRoute(String method, String path, String functionId) {
  public static final String ANY = "ANY";
  static final String DEFAULT_PATH = "$default";

  public HttpRoute {
    method = method.toUpperCase(Locale.ROOT);
    if (!path.equals(DEFAULT_PATH) && !path.startsWith("/")) {
      throw new TemplateException(functionId + ": HttpApi path '" + path + "' must start with /");
    }
  }

  /** API Gateway's route key, e.g. {@code GET /v1/limits/{creatorId}} or {@code $default}. */
  public String routeKey() {
    return isDefault() ? DEFAULT_PATH : method + " " + path;
  }

  public boolean isDefault() {
    return path.equals(DEFAULT_PATH);
  }

  public boolean matchesMethod(String requestMethod) {
    return method.equals(ANY) || method.equals(requestMethod.toUpperCase(Locale.ROOT));
  }
}
