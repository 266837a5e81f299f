package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.function.Problem;
import java.util.Map;

/** Ends an invocation with a problem answer (bad input, unknown route...): nothing was charged. */
final class ProblemException extends RuntimeException {
  private final Problem problem;
  private final Map<String, String> headers;

  ProblemException(Problem problem) {
    this(problem, Map.of());
  }

  ProblemException(Problem problem, Map<String, String> headers) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = headers;
  }

  Problem problem() {
    return problem;
  }

  Map<String, String> headers() {
    return headers;
  }
}
