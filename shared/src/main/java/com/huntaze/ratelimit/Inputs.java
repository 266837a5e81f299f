package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import java.util.regex.Pattern;

/** Checks caller input before Redis is touched, with messages that say what to change. */
final class Inputs {
  static final int MAX_ID_LENGTH = 128;
  /** Letters, digits and . _ : @ + = / - : no braces (hash tag), whitespace, control or glob characters. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+=/-]+");

  private Inputs() {
  }

  static void creatorId(String creatorId) {
    identifier("creatorId", creatorId);
  }

  static void requestId(String requestId) {
    if (requestId != null) {
      identifier("requestId", requestId);
    }
  }

  private static void identifier(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidRequestException(field, field + " is required and must not be empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidRequestException(field, field + " is " + value.length() + " characters long; at most "
          + MAX_ID_LENGTH + " are allowed");
    }
    if (!ID.matcher(value).matches()) {
      int bad = firstBadIndex(value);
      throw new InvalidRequestException(field, field + " contains " + describe(value.charAt(bad)) + " at position "
          + (bad + 1) + "; use only letters, digits and . _ : @ + = / -");
    }
  }

  /** Rejects negative, absurd and never-admissible costs for this plan. */
  static void cost(RequestCost cost, Plan plan) {
    if (cost == null) {
      throw new InvalidRequestException("requests", "a cost is required");
    }
    bounded("requests", cost.requests(), RequestCost.MAX_REQUESTS);
    bounded("tokens", cost.tokens(), RequestCost.MAX_TOKENS);
    if (cost.requests() == 0 && cost.tokens() == 0) {
      throw new InvalidRequestException("requests",
          "a check must consume at least one request or one token; read the limits with a status call instead");
    }
    for (Limit limit : plan.limits()) {
      long amount = Math.max(cost.units(limit.unit()), 1);
      if (amount > limit.capacity()) {
        String field = limit.unit().jsonName();
        throw new InvalidRequestException(field, "this check asks for " + amount + " " + field + " but limit '"
            + limit.name() + "' of plan '" + plan.name() + "' can admit at most " + limit.capacity()
            + " at once, so it could never be allowed; split the work into smaller requests");
      }
    }
  }

  private static void bounded(String field, long value, long max) {
    if (value < 0 || value > max) {
      throw new InvalidRequestException(field, field + " must be a whole number from 0 to " + max + " (got "
          + value + ")");
    }
  }

  private static int firstBadIndex(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (!ID.matcher(String.valueOf(value.charAt(i))).matches()) {
        return i;
      }
    }
    return 0;
  }

  private static String describe(char c) {
    if (Character.isWhitespace(c)) {
      return "whitespace";
    }
    if (Character.isISOControl(c)) {
      return String.format("a control character (U+%04X)", (int) c);
    }
    return "'" + c + "'";
  }
}
