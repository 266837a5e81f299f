package com.huntaze.ratelimit.benchmark;

import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.UsageEstimate;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plans the benchmarks run, in one document. */
final class BenchmarkPlans {
  /** The pro plan's four counting limits (its USD and lease limits aside), raised so that nothing is denied. */
  static final String PRO = "pro";
  /** The same four limits, the first exhausted after one check: every later check is denied. */
  static final String PRO_DENIED = "pro-denied";
  /** A model call: tokens, USD and a lease, reserved and then settled. */
  static final String USAGE = "usage";
  /** One request and 500 tokens, as the pro plan's checks cost here. */
  static final RequestCost COST = RequestCost.requestWithTokens(500);
  static final UsageEstimate ESTIMATE = UsageEstimate.of("gpt-4o", 1200, 4000);
  static final Usage ACTUAL = Usage.of("gpt-4o", 1200, 300);

  static final long REQUESTS_PER_MINUTE = 1_000_000;
  static final long TOKENS_PER_MINUTE = 1_000_000_000;
  static final long REQUESTS_PER_DAY = 100_000_000;
  static final long TOKENS_PER_MONTH = 1_000_000_000_000L;
  private static final String FOUR_LIMITS = """
      {"name": "requests-per-minute", "unit": "requests", "limit": %d, "window": "1m", "algorithm": "sliding-window"},
      {"name": "tokens-per-minute", "unit": "tokens", "limit": %d, "window": "1m",
       "algorithm": "token-bucket", "burst": %d},
      {"name": "requests-per-day", "unit": "requests", "limit": %d, "window": "day", "algorithm": "fixed-window"},
      {"name": "tokens-per-month", "unit": "tokens", "limit": %d, "window": "month",
       "algorithm": "fixed-window"}""";

  static final String JSON = "{\"plans\": {\"" + PRO + "\": {\"limits\": [" + fourLimits(REQUESTS_PER_MINUTE) + "]},\n"
      + "\"" + PRO_DENIED + "\": {\"limits\": [" + fourLimits(1) + "]},\n"
      + """
      "usage": {"limits": [
        {"name": "requests-per-minute", "unit": "requests", "limit": 1000000, "window": "1m",
         "algorithm": "sliding-window"},
        {"name": "tokens-per-day", "unit": "tokens", "limit": 500000000, "window": "1d",
         "algorithm": "token-bucket", "burst": 500000000},
        {"name": "tokens-per-month", "unit": "tokens", "limit": 900000000000, "window": "month",
         "algorithm": "fixed-window"},
        {"name": "usd-per-month", "unit": "usd", "limit": 900000, "window": "month", "algorithm": "fixed-window"},
        {"name": "generations-in-flight", "unit": "concurrent", "limit": 1000, "window": "5m"}]},
      "anchor": {"limits": [%ANCHOR%]},
      "window": {"limits": [%ANCHOR%, %4 {"name": "rpm-#", "unit": "requests", "limit": 100, "window": "1m",
        "algorithm": "sliding-window"}%]},
      "bucket": {"limits": [%ANCHOR%, %4 {"name": "tpm-#", "unit": "tokens", "limit": 100000, "window": "1m",
        "algorithm": "token-bucket", "burst": 100000}%]},
      "fixed": {"limits": [%ANCHOR%, %4 {"name": "tpmo-#", "unit": "tokens", "limit": 100000, "window": "month",
        "algorithm": "fixed-window"}%]},
      "log": {"limits": [%ANCHOR%, %4 {"name": "rpm-log-#", "unit": "requests", "limit": 100, "window": "1m",
        "algorithm": "sliding-log"}%]},
      "lease": {"limits": [%ANCHOR%, %4 {"name": "in-flight-#", "unit": "concurrent", "limit": 20,
        "window": "5m"}%]}},
      "models": {"gpt-4o": {"inputPerMillion": 2.5, "cachedInputPerMillion": 1.25, "outputPerMillion": 10}}}
      """;

  /** How many limits of one algorithm a memory plan has: their average, so that allocator size classes even out. */
  static final int MEMORY_LIMITS = 4;
  /** What every memory plan has besides the limits measured, so that the creator's key is not counted as the limit's. */
  private static final String ANCHOR = """
      {"name": "requests-per-day", "unit": "requests", "limit": 100000000, "window": "day", "algorithm": "fixed-window"}""";

  private BenchmarkPlans() {
  }

  static PlanCatalog catalog() {
    return PlanCatalog.parse(fourOfEach(JSON.replace("%ANCHOR%", ANCHOR.strip())), "benchmark plans");
  }

  /** Each "%4 limit%" becomes four copies of the limit, named with 1 to 4 in place of its '#'. */
  private static String fourOfEach(String json) {
    Matcher m = Pattern.compile("%" + MEMORY_LIMITS + " (\\{[^%]*})%").matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      StringJoiner copies = new StringJoiner(", ");
      for (int i = 1; i <= MEMORY_LIMITS; i++) {
        copies.add(m.group(1).replace("#", Integer.toString(i)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(copies.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String fourLimits(long requestsPerMinute) {
    return String.format(Locale.ROOT, FOUR_LIMITS, requestsPerMinute, TOKENS_PER_MINUTE, TOKENS_PER_MINUTE,
        REQUESTS_PER_DAY, TOKENS_PER_MONTH);
  }
}
