package com.huntaze.ratelimit.function.ratecheck;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.Release;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.function.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The JSON bodies of a settlement and of a release. */
final class UsageAnswers {
  private UsageAnswers() {
  }

  static ObjectNode settlementBody(Settlement s) {
    Instant now = s.settledAt().orElseThrow();
    ObjectNode body = Json.object()
        .put("creatorId", s.creatorId())
        .put("tier", s.plan())
        .put("requestId", s.requestId())
        .put("replayed", s.replayed())
        .put("reservedAt", s.reservedAt().orElseThrow().toString())
        .put("settledAt", now.toString());
    ArrayNode limits = body.putArray("limits");
    for (int i = 0; i < s.limits().size(); i++) {
      LimitState state = s.limits().get(i);
      Adjustment a = s.adjustments().get(i);
      ObjectNode node = DecisionAnswers.limit(limits.addObject(), state, now);
      ObjectNode adjustment = node.putObject("settlement").put("result", name(a.kind()));
      Money.put(adjustment, "reserved", a.limit().unit(), a.reserved());
      Money.put(adjustment, "actual", a.limit().unit(), a.actual());
      Money.put(adjustment, "applied", a.limit().unit(), a.applied());
    }
    return body;
  }

  static ObjectNode releaseBody(Release r) {
    Instant now = r.evaluatedAt().orElseThrow();
    ObjectNode body = Json.object()
        .put("creatorId", r.creatorId())
        .put("tier", r.plan())
        .put("requestId", r.requestId())
        .put("released", r.released());
    ArrayNode leases = body.putArray("leases");
    for (Release.Lease lease : r.leases()) {
      DecisionAnswers.limit(leases.addObject(), new LimitState(lease.limit(), lease.remaining() > 0,
          lease.remaining(), lease.resetAt(), Duration.ZERO), now).put("result", name(lease.kind()));
    }
    return body;
  }

  /** LEASE_RELEASED as "lease-released": the JSON spelling of the enums. */
  static String name(Enum<?> kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
