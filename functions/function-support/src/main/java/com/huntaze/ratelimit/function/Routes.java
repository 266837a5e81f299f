package com.huntaze.ratelimit.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A function's route table: method + path pattern ({@code /v1/limits/{creatorId}}, a parameter stands
 * for one path segment) to a handler. A path no pattern matches is a 404 listing the routes; a
 * matching path with another method is a 405 with {@code Allow}.
 */
public final class Routes {
  private final List<Route> routes;
  private final HttpRequest directInvocation;

  private Routes(List<Route> routes, HttpRequest directInvocation) {
    this.routes = List.copyOf(routes);
    this.directInvocation = directInvocation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What an event without an HTTP request (a console test, {@code aws lambda invoke}) stands for, if anything. */
  Optional<HttpRequest> directInvocation() {
    return Optional.ofNullable(directInvocation);
  }

  APIGatewayV2HTTPResponse answer(HttpRequest request, Invocation invocation) {
    String[] segments = segments(request.path());
    // Loops, not streams and lambdas: this runs in every function's first answer, at cold start.
    List<Route> matching = new ArrayList<>(2);
    Route route = null;
    for (Route candidate : routes) {
      if (candidate.matches(segments)) {
        matching.add(candidate);
        if (route == null && candidate.method().equals(request.method())) {
          route = candidate;
        }
      }
    }
    if (matching.isEmpty()) {
      throw new ProblemException(new Problem(404, "not-found", "Not found", "no route " + request.method() + " "
          + request.path() + "; the routes are " + routes.stream().map(Route::toString)
          .collect(Collectors.joining(", ")), null));
    }
    if (route == null) {
      throw notAllowed(request, matching);
    }
    return route.handler().answer(request.withPathParameters(route.parameters(segments, request)), invocation);
  }

  private static ProblemException notAllowed(HttpRequest request, List<Route> matching) {
    String allow = matching.stream().map(Route::method).distinct().collect(Collectors.joining(", "));
    return new ProblemException(new Problem(405, "method-not-allowed", "Method not allowed",
        request.method() + " is not allowed on " + request.path() + "; use " + allow, null), Map.of("Allow", allow));
  }

  private static String[] segments(String path) {
    return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
  }

  private record Route(String method, String pattern, String[] parts, RouteHandler handler) {
    boolean matches(String[] segments) {
      if (segments.length != parts.length) {
        return false;
      }
      for (int i = 0; i < parts.length; i++) {
        boolean parameter = parameterName(parts[i]) != null;
        if (parameter ? segments[i].isEmpty() : !parts[i].equals(segments[i])) {
          return false;
        }
      }
      return true;
    }

    /** API Gateway's decoded value when it has one by that name, else the percent-decoded segment. */
    Map<String, String> parameters(String[] segments, HttpRequest request) {
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < parts.length; i++) {
        String name = parameterName(parts[i]);
        if (name != null) {
          String segment = segments[i];
          values.put(name, request.gatewayPathParameter(name).orElseGet(() -> decode(name, segment)));
        }
      }
      return values;
    }

    private static String parameterName(String part) {
      return part.startsWith("{") && part.endsWith("}") ? part.substring(1, part.length() - 1) : null;
    }

    /** Percent-decoding as in a path: '+' stays '+'. */
    private static String decode(String name, String segment) {
      try {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest("invalid-field", "the " + name + " in the path is not valid percent-encoding",
            name);
      }
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private HttpRequest directInvocation;

    private Builder() {
    }

    /** {@code pattern}: a path such as {@code /v1/check}, or with parameters such as {@code /v1/limits/{id}}. */
    public Builder route(String method, String pattern, RouteHandler handler) {
      if (!pattern.startsWith("/")) {
        throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
      }
      routes.add(new Route(method, pattern, segments(pattern), handler));
      return this;
    }

    /** An event without an HTTP request is answered as this request; by default it is a 400. */
    public Builder directInvocation(String method, String path) {
      directInvocation = HttpRequest.of(method, path);
      return this;
    }

    public Routes build() {
      return new Routes(routes, directInvocation);
    }
  }
}
