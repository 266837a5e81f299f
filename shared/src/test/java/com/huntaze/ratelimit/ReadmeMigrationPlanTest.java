package com.huntaze.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The migration guide's plan document (README, "Moving from @upstash/ratelimit") is one the limiter accepts. */
class ReadmeMigrationPlanTest {
  private static final String SECTION = "### 1. The configuration as a plan document";

  @Test
  void theMigrationGuidesPlanDocumentParsesWithTheAmountsItsTextGives() throws IOException {
    String readme = Files.readString(ReadmeAcl.readme());
    int section = readme.indexOf(SECTION);
    assertTrue(section >= 0, "the README has no section '" + SECTION + "'");
    int start = readme.indexOf("```json\n", section) + "```json\n".length();
    String json = readme.substring(start, readme.indexOf("```", start));

    PlanCatalog plans = PlanCatalog.parse(json, "README migration guide");

    Map<String, long[]> amounts = Map.of("free", new long[] {10, 20_000}, "pro", new long[] {60, 200_000},
        "enterprise", new long[] {600, 2_000_000});
    amounts.forEach((tier, expected) -> {
      Limit perMinute = plans.plan(tier).orElseThrow().limits().get(0);
      Limit perDay = plans.plan(tier).orElseThrow().limits().get(1);
      assertEquals(expected[0], perMinute.limit(), tier);
      assertEquals(Algorithm.SLIDING_WINDOW, perMinute.algorithm(), tier);
      assertEquals(expected[1], perDay.limit(), tier);
      assertEquals(Algorithm.FIXED_WINDOW, perDay.algorithm(), tier);
    });
  }
}
