package com.huntaze.ratelimit.localrunner.gateway;

import java.util.Optional;

/** What the local API's authorization decided for one request. */
sealed interface Authorization {

  /** Passed on to the function; {@code caller} is empty when signatures are not checked. */
  record Allowed(Optional<CallerIdentity> caller) implements Authorization {
  }

  /** Answered 403 as API Gateway does: {@code x-amzn-ErrorType: errorType} and {"message": message}. */
  record Refused(String errorType, String message) implements Authorization {
  }

  Allowed UNCHECKED = new Allowed(Optional.empty());
}
