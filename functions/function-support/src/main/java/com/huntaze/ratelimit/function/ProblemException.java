package com.huntaze.ratelimit.function;

import java.util.Map;

/**
 * Ends an invocation with a problem answer: bad input, an unknown route, Redis unavailable. Thrown by
 * the request view, the route table and the routes; {@link HttpFunction} turns it into the answer.
 */
public final class ProblemException extends RuntimeException {
  private final Problem problem;
  private final Map<String, String> headers;

  public ProblemException(Problem problem) {
    this(problem, Map.of());
  }

  public ProblemException(Problem problem, Map<String, String> headers) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = Map.copyOf(headers);
  }

  /** A 400 problem: the input named by {@code field} (or null) is at fault. */
  public static ProblemException badRequest(String type, String detail, String field) {
    return new ProblemException(Problem.badRequest(type, detail, field));
  }

  public Problem problem() {
    return problem;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
