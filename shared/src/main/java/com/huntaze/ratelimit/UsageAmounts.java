package com.huntaze.ratelimit;

import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.Plan;
import com.huntaze.ratelimit.plan.PlanCatalog;
import com.huntaze.ratelimit.plan.Unit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The rules of a carry-over of usage, checked before Redis is touched (field {@code usage}). */
final class UsageAmounts {
  static final String FIELD = "usage";
  /** What a limit not named is sent as: the script leaves it as it is. */
  static final long NOT_NAMED = -1;

  private UsageAmounts() {
  }

  /**
   * The usage to carry over per limit of the plan, in plan order ({@link #NOT_NAMED} for a limit not named).
   *
   * @throws InvalidRequestException for no amount, a name that is not a usage limit of the plan, or an
   *                                 amount below 0 or above {@link PlanCatalog#MAX_AMOUNT}
   */
  static long[] perLimit(Plan plan, Map<String, Long> amounts) {
    List<Limit> countable = countable(plan);
    if (countable.isEmpty()) {
      throw new InvalidRequestException(FIELD, "plan '" + plan.name() + "' counts only calls in flight (leases):"
          + " it has no usage to carry over");
    }
    if (amounts == null || amounts.isEmpty()) {
      throw new InvalidRequestException(FIELD, "name at least one limit of plan '" + plan.name() + "' with the usage"
          + " to carry over, e.g. {\"" + countable.get(0).name() + "\": 1200}; its limits: " + names(plan));
    }
    List<Limit> limits = plan.limits();
    long[] perLimit = new long[limits.size()];
    Arrays.fill(perLimit, NOT_NAMED);
    for (Map.Entry<String, Long> entry : amounts.entrySet()) {
      int at = indexOf(limits, entry.getKey());
      if (at < 0) {
        throw new InvalidRequestException(FIELD, "plan '" + plan.name() + "' has no limit '" + shown(entry.getKey())
            + "'; its limits: " + names(plan));
      }
      Limit limit = limits.get(at);
      if (limit.unit() == Unit.CONCURRENT) {
        throw new InvalidRequestException(FIELD, "limit '" + limit.name() + "' counts calls in flight (leases), not"
            + " usage, so it has nothing to carry over; leave it out");
      }
      Long amount = entry.getValue();
      if (amount == null || amount < 0 || amount > PlanCatalog.MAX_AMOUNT) {
        throw new InvalidRequestException(FIELD, "the usage of limit '" + limit.name() + "' must be "
            + (limit.unit() == Unit.USD ? "an amount of USD from 0 to " + PlanCatalog.MAX_USD + " (in micro-dollars)"
                : "a whole number from 0 to " + PlanCatalog.MAX_AMOUNT) + " (got " + amount + ")");
      }
      perLimit[at] = amount;
    }
    return perLimit;
  }

  private static int indexOf(List<Limit> limits, String name) {
    for (int i = 0; i < limits.size(); i++) {
      if (limits.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The limits of the plan whose usage can be carried over (every one but the leases). */
  private static List<Limit> countable(Plan plan) {
    return plan.limits().stream().filter(l -> l.unit() != Unit.CONCURRENT).toList();
  }

  private static String names(Plan plan) {
    return countable(plan).stream().map(Limit::name).collect(Collectors.joining(", "));
  }

  private static String shown(String name) {
    return name == null ? "null" : name.length() <= 64 ? name : name.substring(0, 64) + "...";
  }
}
