package com.huntaze.ratelimit.it;

import com.huntaze.ratelimit.Adjustment;
import com.huntaze.ratelimit.LimitState;
import com.huntaze.ratelimit.RateLimiter;
import com.huntaze.ratelimit.Settlement;
import com.huntaze.ratelimit.jedis.RedisClients;
import com.huntaze.ratelimit.jedis.RedisSettings;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the usage contracts share: a server to empty, limiters on the test clock, and look-ups. */
abstract class UsageFixture {
  static final String CREATOR = "creator-123";
  private final List<RateLimiter> opened = new ArrayList<>();
  final TestClock clock = new TestClock("2025-03-31T23:58:00Z");

  abstract RedisSettings settings();

  abstract void flushAll();

  @BeforeEach
  void emptyServer() {
    flushAll();
  }

  @AfterEach
  void closeLimiters() {
    opened.forEach(RateLimiter::close);
    opened.clear();
  }

  RateLimiter limiter(PlanCatalog plans) {
    RateLimiter limiter = RateLimiter.builder(RedisClients.port(settings()), plans).timeOverrideForTests(clock)
        .reservationTtl(Duration.ofMinutes(15)).build();
    opened.add(limiter);
    return limiter;
  }

  static LimitState state(List<LimitState> states, String name) {
    return states.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  static Adjustment adjustment(Settlement s, String name) {
    return s.adjustments().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }
}
