package com.huntaze.ratelimit.it;

import static com.huntaze.ratelimit.it.TestPlans.leases;
import static com.huntaze.ratelimit.it.TestPlans.limit;
import static com.huntaze.ratelimit.it.TestPlans.pricedPlan;
import static com.huntaze.ratelimit.it.TestPlans.usd;

import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.Release;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact reference model of {@link UsagePropertiesIT}, written from the documented rules and not from
 * the script: the usage of every window is derived afresh from the list of allowed calls, as the actual
 * usage of each settled call plus the estimate of each unsettled one, placed by the window rules:
 * <ul>
 *   <li>a call's reservation is charged at its check, in the window (fixed) or as an entry stamped with the
 *       check time (sliding) of that instant; a charge of 0 is no charge (no window, no entry);</li>
 *   <li>at its settle, the difference actual - reserved goes to that same window / entry if it is still
 *       current (the window has not ended; the entry has not left the sliding window): the call then counts
 *       its actual usage there ({@link Call#inPlace});</li>
 *   <li>otherwise a refund is dropped (the call keeps counting its estimate) and an extra charge is counted
 *       in the window current at the settle (sliding: a new entry stamped with the settle time);</li>
 *   <li>a settle after the reservation TTL is refused and changes nothing; a repeat settle changes nothing.</li>
 * </ul>
 * Leases: a call holds one from its check until it is released, settled, or its lease TTL has passed.
 * Money of model "m": 2 micro-dollars per input token, 1 per cached input token, 10 per output token.
 */
final class UsageModel {
  static final long SECOND = 1_000_000;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long SLIDING_WINDOW = MINUTE;
  static final long RESERVATION_TTL = 5 * MINUTE;
  static final long MAX_TOKENS = 10_000_000;

  /** The plan's limits in plan order (the order of every list the limiter answers). */
  enum Lim {
    TOKENS_PER_MINUTE('t', "minute"), TOKENS_PER_DAY('t', "day"), TOKENS_PER_MONTH('t', "month"),
    USD_PER_MONTH('u', "month"), TOKENS_SLIDING('t', null), REQUESTS_PER_HOUR('r', "hour"), IN_FLIGHT('c', null);

    final char unit;
    /** The UTC calendar unit of a fixed window; null for the sliding window and the leases. */
    final String calendar;

    Lim(char unit, String calendar) {
      this.unit = unit;
      this.calendar = calendar;
    }

    String limitName() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  static final Lim[] LIMITS = Lim.values();
  static final int HELD = 1;
  static final int RELEASED = 2;
  static final int FREED_BY_SETTLE = 3;

  /** Per limit its amount (usd: micro-dollars; leases: how many), and the lease TTL (e.g. "2m"). */
  record Plan(long[] amounts, String leaseTtl) {
    long amount(Lim l) {
      return amounts[l.ordinal()];
    }

    long leaseTtlMicros() {
      return Long.parseLong(leaseTtl.substring(0, leaseTtl.length() - 1)) * MINUTE;
    }

    /** The smallest token limit: what one check's input plus minimum output may never exceed. */
    long tokenCapacity() {
      return Arrays.stream(LIMITS).filter(l -> l.unit == 't').mapToLong(this::amount).min().orElseThrow();
    }

    PlanCatalog catalog() {
      List<String> docs = new ArrayList<>();
      for (Lim l : LIMITS) {
        String name = l.limitName();
        docs.add(switch (l) {
          case USD_PER_MONTH -> usd(name, BigDecimal.valueOf(amount(l), 6).toPlainString(), "month", "fixed-window");
          case TOKENS_SLIDING -> limit(name, "tokens", amount(l), "1m", "sliding-log");
          case REQUESTS_PER_HOUR -> limit(name, "requests", amount(l), l.calendar, "fixed-window");
          case IN_FLIGHT -> leases(name, amount(l), leaseTtl);
          default -> limit(name, "tokens", amount(l), l.calendar, "fixed-window");
        });
      }
      return pricedPlan(docs.toArray(String[]::new));
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      for (Lim l : LIMITS) {
        s.append(l.limitName()).append(' ').append(amount(l)).append(", ");
      }
      return s.append("lease TTL ").append(leaseTtl).toString();
    }
  }

  /** An allowed check: its reservation, and what its settle and release did. */
  static final class Call {
    final long at;
    final long in;
    final long out;
    boolean settled;
    long settledAt;
    long actualTokens;
    long actualMoney;
    /** Per limit: the settle's difference went to the reservation's own window or entry. */
    final boolean[] inPlace = new boolean[LIMITS.length];
    int lease = HELD;
    /** Still a member of the script's lease set (until released, settled or swept). */
    boolean leaseStored = true;

    Call(long at, long in, long out) {
      this.at = at;
      this.in = in;
      this.out = out;
    }

    long charge(Lim l) {
      return switch (l.unit) {
        case 't' -> in + out;
        case 'u' -> money(in, 0, out);
        default -> 1;
      };
    }

    long actual(Lim l) {
      return switch (l.unit) {
        case 't' -> actualTokens;
        case 'u' -> actualMoney;
        default -> 1;
      };
    }
  }

  /** What a check must answer: per limit whether it fits, what is left after it, what it charged. */
  record Check(boolean allowed, long maxOutput, boolean[] fits, long[] remaining, long[] charged, long expiredLeases) {
  }

  /** One expected adjustment of a settle. */
  record Adj(Adjustment.Kind kind, long reserved, long actual, long applied) {
  }

  enum SettleOutcome { UNKNOWN, EXPIRED, REPLAYED, SETTLED }

  record Settle(SettleOutcome outcome, List<Adj> adjustments, long[] remaining) {
  }

  /** A release: kind null when the request id names no reservation (UNKNOWN). */
  record Released(Release.Kind kind, long remaining) {
  }

  final Plan plan;
  final Map<String, Call> calls = new LinkedHashMap<>();
  long lastLeaseAt = Long.MIN_VALUE / 2;

  UsageModel(Plan plan) {
    this.plan = plan;
  }

  static long money(long in, long cached, long out) {
    return 2 * in + cached + 10 * out;
  }

  /** [start, end) of the UTC calendar window holding {@code t}. */
  static long[] calendarWindow(String unit, long t) {
    if (unit.equals("month")) {
      LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(t, DAY)).withDayOfMonth(1);
      return new long[] {first.toEpochDay() * DAY, first.plusMonths(1).toEpochDay() * DAY};
    }
    long size = switch (unit) {
      case "minute" -> MINUTE;
      case "hour" -> HOUR;
      default -> DAY;
    };
    long start = Math.floorDiv(t, size) * size;
    return new long[] {start, start + size};
  }

  /** Whether an amount charged at {@code t} still counts at {@code now} on this (fixed or sliding) limit. */
  static boolean counts(Lim l, long t, long now) {
    return l.calendar == null ? t > now - SLIDING_WINDOW
        : calendarWindow(l.calendar, t)[0] == calendarWindow(l.calendar, now)[0];
  }

  /** The amounts {time, amount} a fixed or sliding limit holds: reservations, and extra charges of late settles. */
  List<long[]> entries(Lim l) {
    List<long[]> entries = new ArrayList<>();
    for (Call c : calls.values()) {
      long charge = c.charge(l);
      boolean inPlace = c.settled && c.inPlace[l.ordinal()];
      if (charge > 0) {
        entries.add(new long[] {c.at, inPlace ? c.actual(l) : charge});
      }
      if (c.settled && !inPlace && c.actual(l) > charge) {
        entries.add(new long[] {c.settledAt, c.actual(l) - charge});
      }
    }
    return entries;
  }

  long used(Lim l, long now) {
    return entries(l).stream().filter(e -> counts(l, e[0], now)).mapToLong(e -> e[1]).sum();
  }

  boolean leaseLive(Call c, long now) {
    return c.lease == HELD && now < c.at + plan.leaseTtlMicros();
  }

  long leasesInUse(long now) {
    return calls.values().stream().filter(c -> leaseLive(c, now)).count();
  }

  /** limit - used (may be negative after extra charges); for the leases limit - leases in use. */
  long remaining(Lim l, long now) {
    return plan.amount(l) - (l.unit == 'c' ? leasesInUse(now) : used(l, now));
  }

  /** Until when (test clock) the limit's keys hold something that matters, or Long.MIN_VALUE. */
  long mattersUntil(Lim l, long now) {
    if (l.unit == 'c') {
      return calls.values().stream().filter(c -> leaseLive(c, now)).mapToLong(c -> c.at + plan.leaseTtlMicros())
          .max().orElse(Long.MIN_VALUE);
    }
    if (l.calendar != null) {
      return used(l, now) > 0 ? calendarWindow(l.calendar, now)[1] : Long.MIN_VALUE;
    }
    return entries(l).stream().filter(e -> e[1] > 0 && counts(l, e[0], now)).mapToLong(e -> e[0] + SLIDING_WINDOW)
        .max().orElse(Long.MIN_VALUE);
  }

  /** The most output that {@code budget} micro-dollars pay for after the input; -1 if not even the input. */
  static long affordable(long budget, long in, long cap) {
    return money(in, 0, 0) > budget ? -1 : Math.min(cap, (budget - money(in, 0, 0)) / 10);
  }

  /** A check of a fresh reservation (no record for {@code id}): decides, and records the call if allowed. */
  Check check(String id, long now, long in, long max, long min) {
    int n = LIMITS.length;
    long[] left = new long[n];
    long granted = max;
    for (Lim l : LIMITS) {
      left[l.ordinal()] = remaining(l, now);
      if (l.unit == 't') {
        granted = Math.min(granted, left[l.ordinal()] - in);
      } else if (l.unit == 'u') {
        granted = Math.min(granted, affordable(left[l.ordinal()], in, max));
      }
    }
    boolean[] fits = new boolean[n];
    boolean allowed = true;
    Call call = new Call(now, in, Math.max(granted, 0));
    for (Lim l : LIMITS) {
      long need = switch (l.unit) {
        case 't' -> Math.max(in + min, 1);
        case 'u' -> Math.max(money(in, 0, min), 1);
        default -> 1;
      };
      fits[l.ordinal()] = need <= left[l.ordinal()];
      allowed &= fits[l.ordinal()];
    }
    long[] charged = new long[n];
    long swept = 0;
    if (allowed) {
      for (Lim l : LIMITS) {
        charged[l.ordinal()] = call.charge(l);
      }
      for (Call c : calls.values()) {
        if (c.leaseStored && c.at + plan.leaseTtlMicros() <= now) {
          c.leaseStored = false;
          swept++;
        }
      }
      calls.put(id, call);
      lastLeaseAt = now;
    }
    long[] after = new long[n];
    for (int i = 0; i < n; i++) {
      after[i] = Math.max(0, left[i] - charged[i]);
    }
    return new Check(allowed, allowed ? granted : Math.max(granted, 0), fits, after, charged, swept);
  }

  Settle settle(String id, long now, long in, long cached, long out) {
    Call c = calls.get(id);
    if (c == null) {
      return new Settle(SettleOutcome.UNKNOWN, List.of(), null);
    }
    if (c.settled) {
      return new Settle(SettleOutcome.REPLAYED, List.of(), null);
    }
    if (now > c.at + RESERVATION_TTL) {
      return new Settle(SettleOutcome.EXPIRED, List.of(), null);
    }
    c.actualTokens = in + cached + out;
    c.actualMoney = money(in, cached, out);
    List<Adj> adjustments = new ArrayList<>();
    for (Lim l : LIMITS) {
      if (l.unit == 'c') {
        adjustments.add(new Adj(c.lease == HELD
            ? leaseLive(c, now) ? Adjustment.Kind.LEASE_RELEASED : Adjustment.Kind.LEASE_EXPIRED
            : Adjustment.Kind.LEASE_ALREADY_RELEASED, 0, 0, 0));
        continue;
      }
      long reserved = c.charge(l);
      long actual = c.actual(l);
      long delta = actual - reserved;
      boolean inPlace = reserved > 0 && counts(l, c.at, now);
      c.inPlace[l.ordinal()] = inPlace;
      if (l.unit == 'r' || delta == 0) {
        adjustments.add(new Adj(Adjustment.Kind.UNCHANGED, reserved, actual, 0));
      } else if (inPlace || reserved == 0) {
        // nothing was charged at the check (nothing to adjust in place): the usage is charged now
        adjustments.add(new Adj(Adjustment.Kind.ADJUSTED, reserved, actual, delta));
      } else if (delta > 0) {
        adjustments.add(new Adj(Adjustment.Kind.CHARGED_TO_CURRENT_WINDOW, reserved, actual, delta));
      } else {
        adjustments.add(new Adj(Adjustment.Kind.REFUND_DROPPED, reserved, actual, 0));
      }
    }
    c.settled = true;
    c.settledAt = now;
    if (c.lease == HELD) {
      c.lease = FREED_BY_SETTLE;
      c.leaseStored = false;
    }
    long[] left = Arrays.stream(LIMITS).mapToLong(l -> Math.max(0, remaining(l, now))).toArray();
    return new Settle(SettleOutcome.SETTLED, adjustments, left);
  }

  Released release(String id, long now) {
    Call c = calls.get(id);
    if (c == null) {
      return new Released(null, 0);
    }
    Release.Kind kind = switch (c.lease) {
      case HELD -> leaseLive(c, now) ? Release.Kind.RELEASED : Release.Kind.EXPIRED;
      case RELEASED -> Release.Kind.ALREADY_RELEASED;
      default -> Release.Kind.FREED_BY_SETTLE;
    };
    if (c.lease == HELD) {
      c.lease = RELEASED;
      c.leaseStored = false;
    }
    return new Released(kind, Math.max(0, remaining(Lim.IN_FLIGHT, now)));
  }

  /** Kinds of instants at which an answer can change, for the EDGE jumps. */
  enum Edge { MINUTE, HOUR, DAY, MONTH, SETTLE_DEADLINE, LEASE_EXPIRY, SLIDING_EXIT }

  /** The first instant after {@code now} of that kind, or -1 when there is none. */
  long nextEdge(Edge edge, long now) {
    return switch (edge) {
      case MINUTE -> calendarWindow("minute", now)[1];
      case HOUR -> calendarWindow("hour", now)[1];
      case DAY -> calendarWindow("day", now)[1];
      case MONTH -> calendarWindow("month", now)[1];
      case SETTLE_DEADLINE -> first(calls.values().stream().filter(c -> !c.settled)
          .mapToLong(c -> c.at + RESERVATION_TTL).toArray(), now);
      case LEASE_EXPIRY -> first(calls.values().stream().filter(c -> c.lease == HELD)
          .mapToLong(c -> c.at + plan.leaseTtlMicros()).toArray(), now);
      case SLIDING_EXIT -> first(entries(Lim.TOKENS_SLIDING).stream().mapToLong(e -> e[0] + SLIDING_WINDOW)
          .toArray(), now);
    };
  }

  private static long first(long[] instants, long now) {
    return Arrays.stream(instants).filter(t -> t > now).min().orElse(-1);
  }
}
