package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.template.HttpRoute;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the route for a request the way an API Gateway HTTP API does: among the routes whose path and
 * method match, exact paths win over paths with {@code {params}} (more literal segments first), which win
 * over greedy {@code {proxy+}} paths (longer first), which win over {@code $default}; a route for the
 * request's method wins over an {@code ANY} route of the same path.
 */
public final class RouteTable {
  private final List<HttpRoute> routes;

  public RouteTable(List<HttpRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  public List<HttpRoute> routes() {
    return routes;
  }

  /** A route and the path parameters it took from the request path. */
  public record Match(HttpRoute route, Map<String, String> pathParameters) {
    public Match {
      pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
    }
  }

  public Optional<Match> match(String method, String rawPath) {
    String[] requestSegments = segments(rawPath);
    return routes.stream()
        .filter(route -> route.matchesMethod(method))
        .map(route -> new Candidate(route, pathParameters(route, requestSegments)))
        .filter(candidate -> candidate.pathParameters != null)
        .min(Candidate.PRECEDENCE)
        .map(candidate -> new Match(candidate.route, candidate.pathParameters));
  }

  private record Candidate(HttpRoute route, Map<String, String> pathParameters) {
    static final Comparator<Candidate> PRECEDENCE = Comparator
        .comparingInt((Candidate c) -> kind(c.route))
        .thenComparing(c -> -literalSegments(c.route))
        .thenComparing(c -> -segments(c.route.path()).length)
        .thenComparing(c -> c.route.method().equals(HttpRoute.ANY) ? 1 : 0);

    /** 0 exact, 1 with {params}, 2 greedy, 3 $default. */
    private static int kind(HttpRoute route) {
      if (route.isDefault()) {
        return 3;
      }
      if (route.path().endsWith("+}")) {
        return 2;
      }
      return route.path().contains("{") ? 1 : 0;
    }

    private static int literalSegments(HttpRoute route) {
      return route.isDefault() ? 0 : (int) Arrays.stream(segments(route.path()))
          .filter(segment -> !segment.startsWith("{")).count();
    }
  }

  /** The path parameters when the route's path matches, else null. */
  private static Map<String, String> pathParameters(HttpRoute route, String[] request) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (route.isDefault()) {
      return parameters;
    }
    String[] pattern = segments(route.path());
    for (int i = 0; i < pattern.length; i++) {
      String segment = pattern[i];
      boolean greedy = segment.startsWith("{") && segment.endsWith("+}");
      if (greedy && i == pattern.length - 1) {
        if (request.length <= i) {
          return null; // {proxy+} needs at least one segment
        }
        String rest = String.join("/", Arrays.asList(request).subList(i, request.length));
        parameters.put(segment.substring(1, segment.length() - 2), decode(rest));
        return parameters;
      }
      if (i >= request.length) {
        return null;
      }
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (request[i].isEmpty()) {
          return null;
        }
        parameters.put(segment.substring(1, segment.length() - 1), decode(request[i]));
      } else if (!segment.equals(request[i])) {
        return null;
      }
    }
    return pattern.length == request.length ? parameters : null;
  }

  private static String[] segments(String path) {
    String withoutSlash = path.startsWith("/") ? path.substring(1) : path;
    return withoutSlash.isEmpty() ? new String[0] : withoutSlash.split("/", -1);
  }

  /** Percent-decoding of a path; unlike a query string, '+' stays '+'. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
