package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.ModelPrice;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PriceTable;
import com.huntaze.ratelimit.plan.Unit;
import java.util.Optional;
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

  /** Settle and release name the reservation by its request id. */
  static void requiredRequestId(String requestId) {
    identifier("requestId", requestId);
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
      if (amount > limit.capacity() && limit.enforced()) {
        String field = limit.unit().jsonName();
        throw new InvalidRequestException(field, "this check asks for " + amount + " " + field + " but limit '"
            + limit.name() + "' of plan '" + plan.name() + "' can admit at most " + limit.capacity()
            + " at once, so it could never be allowed; split the work into smaller requests");
      }
    }
  }

  /**
   * Checks a model call's estimate for this plan and prices it; a reservation on a plan that limits
   * calls in flight takes a lease, which only a request id can later free.
   */
  static CheckCost estimate(UsageEstimate estimate, Plan plan, PriceTable prices, String requestId) {
    if (estimate == null) {
      throw new InvalidRequestException("inputTokens", "an estimate is required");
    }
    bounded("requests", estimate.requests(), RequestCost.MAX_REQUESTS);
    bounded("inputTokens", estimate.inputTokens(), RequestCost.MAX_TOKENS);
    bounded("maxOutputTokens", estimate.maxOutputTokens(), RequestCost.MAX_TOKENS);
    bounded("minOutputTokens", estimate.minOutputTokens(), RequestCost.MAX_TOKENS);
    if (estimate.minOutputTokens() > estimate.maxOutputTokens()) {
      throw new InvalidRequestException("minOutputTokens", "minOutputTokens (" + estimate.minOutputTokens()
          + ") is more than maxOutputTokens (" + estimate.maxOutputTokens() + "); the minimum is the least output"
          + " worth making the call for, at most the maximum");
    }
    if (estimate.inputTokens() + estimate.maxOutputTokens() > RequestCost.MAX_TOKENS) {
      throw new InvalidRequestException("maxOutputTokens", "inputTokens + maxOutputTokens is "
          + (estimate.inputTokens() + estimate.maxOutputTokens()) + "; one call may reserve at most "
          + RequestCost.MAX_TOKENS + " tokens");
    }
    ModelPrice price = price(estimate.model(), plan, prices).orElse(null);
    Optional<Limit> leases = plan.limits().stream().filter(l -> l.unit() == Unit.CONCURRENT).findFirst();
    if (leases.isPresent() && requestId == null) {
      throw new InvalidRequestException("requestId", "plan '" + plan.name() + "' limits calls in flight (limit '"
          + leases.get().name() + "'), so a reservation takes a lease held by its requestId: send a requestId,"
          + " and settle or release it when the call ends");
    }
    for (Limit limit : plan.limits()) {
      long least = switch (limit.unit()) {
        case REQUESTS -> Math.max(estimate.requests(), 1);
        case TOKENS -> Math.max(estimate.inputTokens() + estimate.minOutputTokens(), 1);
        case USD -> price == null ? 0 : price.costMicros(estimate.inputTokens(), 0, estimate.minOutputTokens());
        case CONCURRENT -> 1;
      };
      if (limit.enforced()) {
        neverAdmissible(limit, plan, least, limit.unit() == Unit.USD ? "micro-dollars" : limit.unit().jsonName());
      }
    }
    return CheckCost.reservation(estimate, price);
  }

  /** Checks what a call really spent; returns its total tokens and, on a money plan, its cost in micro-dollars. */
  static long[] usage(Usage usage, Plan plan, PriceTable prices) {
    if (usage == null) {
      throw new InvalidRequestException("outputTokens", "the usage is required");
    }
    bounded("inputTokens", usage.inputTokens(), RequestCost.MAX_TOKENS);
    bounded("cachedInputTokens", usage.cachedInputTokens(), RequestCost.MAX_TOKENS);
    bounded("outputTokens", usage.outputTokens(), RequestCost.MAX_TOKENS);
    if (usage.totalTokens() > RequestCost.MAX_TOKENS) {
      throw new InvalidRequestException("outputTokens", "inputTokens + cachedInputTokens + outputTokens is "
          + usage.totalTokens() + "; one call may settle at most " + RequestCost.MAX_TOKENS + " tokens");
    }
    long micros = price(usage.model(), plan, prices)
        .map(p -> p.costMicros(usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens())).orElse(0L);
    return new long[] {usage.totalTokens(), micros};
  }

  /**
   * The model's price when the plan has a money limit (a known model is then required); empty on a plan
   * without one, where the model only has to be a well-formed name if given.
   */
  static Optional<ModelPrice> price(String model, Plan plan, PriceTable prices) {
    Optional<Limit> money = plan.limits().stream().filter(l -> l.unit() == Unit.USD).findFirst();
    String known = prices.models().isEmpty() ? "the plan document prices no model"
        : "known models: " + String.join(", ", prices.models());
    if (model != null && !PriceTable.isWellFormedModel(model)) {
      throw new InvalidRequestException("model", "model must be 1 to 128 letters, digits and . _ : / @ -, starting"
          + " with a letter or digit; " + known);
    }
    if (money.isEmpty()) {
      return Optional.empty();
    }
    if (model == null) {
      throw new InvalidRequestException("model", "plan '" + plan.name() + "' has a money limit ('"
          + money.get().name() + "'), so a call must name its model to be priced; " + known);
    }
    return Optional.of(prices.price(model).orElseThrow(() -> new InvalidRequestException("model",
        "unknown model '" + model + "' on plan '" + plan.name() + "', which has a money limit; " + known)));
  }

  private static void neverAdmissible(Limit limit, Plan plan, long amount, String what) {
    if (amount > limit.capacity()) {
      String field = limit.unit() == Unit.REQUESTS ? "requests" : "inputTokens";
      throw new InvalidRequestException(field, "this call needs at least " + amount + " " + what + " but limit '"
          + limit.name() + "' of plan '" + plan.name() + "' can admit at most " + limit.capacity()
          + " at once, so it could never be allowed; split the work into smaller requests");
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
