package com.huntaze.ratelimit.plan;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlanCatalogTest {
  private static final String SOURCE = "plans-under-test.json";

  // --- bundled default ---------------------------------------------------------------------------

  @Test
  void bundledDefaultHasFreeProAndEnterpriseInOrder() {
    PlanCatalog catalog = PlanCatalog.bundledDefault();

    assertEquals(List.of("free", "pro", "enterprise"), List.copyOf(catalog.planNames()));
    assertEquals(List.of("requests-per-minute", "tokens-per-minute", "requests-per-day", "tokens-per-month",
            "usd-per-month", "generations-in-flight"),
        catalog.allLimits().stream().map(Limit::name).toList());
  }

  @Test
  void bundledDefaultLimitsAreAllValid() {
    PlanCatalog catalog = PlanCatalog.bundledDefault();
    Map<String, Limit> firstByName = new HashMap<>();

    for (String planName : catalog.planNames()) {
      Plan plan = catalog.plan(planName).orElseThrow();
      assertEquals(planName, plan.name());
      assertFalse(plan.limits().isEmpty(), planName);
      for (Limit limit : plan.limits()) {
        String at = planName + "/" + limit.name();
        assertTrue(PlanCatalog.NAME.matcher(limit.name()).matches(), at);
        assertTrue(limit.limit() >= 1 && limit.limit() <= PlanCatalog.MAX_AMOUNT, at);
        assertTrue(limit.burst() >= 1 && limit.burst() <= PlanCatalog.MAX_AMOUNT, at);
        assertEquals(limit.algorithm() == Algorithm.FIXED_WINDOW, limit.window().isCalendar(), at);
        if (limit.algorithm() != Algorithm.TOKEN_BUCKET) {
          assertEquals(limit.limit(), limit.burst(), at + ": burst equals limit outside token buckets");
        }
        Limit first = firstByName.putIfAbsent(limit.name(), limit);
        if (first != null) {
          assertTrue(first.sameMeasureAs(limit), at + " measures the same thing in every plan");
        }
      }
    }
  }

  @Test
  void bundledDefaultProPlanHasTheDocumentedLimits() {
    Plan pro = PlanCatalog.bundledDefault().plan("pro").orElseThrow();

    assertEquals(List.of(
        new Limit("requests-per-minute", Unit.REQUESTS, 60, rolling("1m"), Algorithm.SLIDING_WINDOW, 60),
        new Limit("tokens-per-minute", Unit.TOKENS, 200_000, rolling("1m"), Algorithm.TOKEN_BUCKET, 200_000),
        new Limit("requests-per-day", Unit.REQUESTS, 5000, calendar("day"), Algorithm.FIXED_WINDOW, 5000),
        new Limit("tokens-per-month", Unit.TOKENS, 20_000_000, calendar("month"), Algorithm.FIXED_WINDOW,
            20_000_000),
        new Limit("usd-per-month", Unit.USD, 20_000_000, calendar("month"), Algorithm.FIXED_WINDOW, 20_000_000),
        new Limit("generations-in-flight", Unit.CONCURRENT, 3, rolling("5m"), Algorithm.LEASE, 3)),
        pro.limits());
  }

  @Test
  void unknownPlanIsEmpty() {
    assertEquals(Optional.empty(), PlanCatalog.bundledDefault().plan("platinum"));
  }

  // --- a custom document ---------------------------------------------------------------------------

  @Test
  void parsesCustomDocumentIntoLimitValues() {
    PlanCatalog catalog = PlanCatalog.parse(json("{'plans': {"
        + "'starter': {'description': 'entry plan', 'limits': ["
        + "  {'name': 'rps', 'unit': 'requests', 'limit': 5, 'window': '30s', 'algorithm': 'sliding-window',"
        + "   'description': 'short bursts'},"
        + "  {'name': 'tpm', 'unit': 'tokens', 'limit': 1000, 'window': '1m', 'algorithm': 'token-bucket'},"
        + "  {'name': 'tph', 'unit': 'tokens', 'limit': 50000, 'window': '1h', 'algorithm': 'token-bucket',"
        + "   'burst': 8000},"
        + "  {'name': 'rpmonth', 'unit': 'requests', 'limit': 100000, 'window': 'month',"
        + "   'algorithm': 'fixed-window'}]}}}"), SOURCE);

    Plan starter = catalog.plan("starter").orElseThrow();
    List<Limit> limits = starter.limits();
    assertEquals(4, limits.size());

    Limit rps = limits.get(0);
    assertAll("rps",
        () -> assertEquals("rps", rps.name()),
        () -> assertEquals(Unit.REQUESTS, rps.unit()),
        () -> assertEquals(Algorithm.SLIDING_WINDOW, rps.algorithm()),
        () -> assertEquals(5, rps.limit()),
        () -> assertEquals(Duration.ofSeconds(30), rps.window().duration()),
        () -> assertEquals(5, rps.burst(), "burst defaults to the limit"),
        () -> assertEquals(5, rps.capacity()));

    Limit tpm = limits.get(1);
    assertAll("tpm",
        () -> assertEquals(Unit.TOKENS, tpm.unit()),
        () -> assertEquals(Algorithm.TOKEN_BUCKET, tpm.algorithm()),
        () -> assertEquals(Duration.ofMinutes(1), tpm.window().duration()),
        () -> assertEquals(1000, tpm.limit()),
        () -> assertEquals(1000, tpm.burst(), "token bucket without burst: burst = limit"),
        () -> assertEquals(1000, tpm.capacity()));

    Limit tph = limits.get(2);
    assertAll("tph",
        () -> assertEquals(Duration.ofHours(1), tph.window().duration()),
        () -> assertEquals(50_000, tph.limit()),
        () -> assertEquals(8000, tph.burst(), "explicit burst"),
        () -> assertEquals(8000, tph.capacity(), "a token bucket admits at most its burst at once"));

    Limit month = limits.get(3);
    assertAll("rpmonth",
        () -> assertEquals(Algorithm.FIXED_WINDOW, month.algorithm()),
        () -> assertTrue(month.window().isCalendar()),
        () -> assertEquals(Window.CalendarUnit.MONTH, month.window().calendarUnit()),
        () -> assertEquals(100_000, month.limit()),
        () -> assertEquals(100_000, month.burst()));
  }

  @Test
  void acceptsLimitAtTheMaximumAmount() {
    Limit limit = singleLimit("{'name': 'tpm', 'unit': 'tokens', 'limit': 1000000000000, 'window': '1m',"
        + " 'algorithm': 'token-bucket', 'burst': 1000000000000}");

    assertEquals(PlanCatalog.MAX_AMOUNT, limit.limit());
    assertEquals(PlanCatalog.MAX_AMOUNT, limit.burst());
  }

  @Test
  void acceptsRollingWindowOfExactly31Days() {
    Limit limit = singleLimit("{'name': 'rpmo', 'unit': 'requests', 'limit': 10, 'window': '31d',"
        + " 'algorithm': 'sliding-window'}");

    assertEquals(Duration.ofDays(31), limit.window().duration());
  }

  @Test
  void catalogViewsAreImmutable() {
    PlanCatalog catalog = PlanCatalog.bundledDefault();

    assertThrows(UnsupportedOperationException.class, () -> catalog.planNames().remove("free"));
    assertThrows(UnsupportedOperationException.class, () -> catalog.plan("free").orElseThrow().limits().clear());
  }

  // --- document-level errors -------------------------------------------------------------------------

  @Test
  void rejectsInvalidJsonNamingTheSource() {
    PlanDocumentException e = fails("{\"plans\": {\"free\": ");

    assertMessage(e, SOURCE, "not valid JSON");
  }

  @Test
  void rejectsAPlanNamedTwiceInsteadOfLettingTheLastOneWin() {
    PlanDocumentException e = fails(json("{'plans': {'pro': {'limits': [" + RPM + "]}, 'pro': {'limits': [" + RPM
        + "]}}}"));

    assertMessage(e, SOURCE, "'pro' appears twice", "$.plans");
  }

  @Test
  void rejectsAFieldNamedTwiceInALimit() {
    PlanDocumentException e = fails(onePlan("pro",
        "{'name': 'rpm', 'unit': 'requests', 'limit': 60, 'limit': 6000, 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "'limit' appears twice", "$.plans.pro.limits[0]");
  }

  @Test
  void rejectsLenientJsonSuchAsUnquotedNamesOrTrailingText() {
    assertMessage(fails("{plans: {}}"), SOURCE, "not valid JSON");
    assertMessage(fails(onePlan("pro", RPM) + " {}"), SOURCE, "not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "42", "\"plans\"", "{\"plan\": {}}", "{\"plans\": []}", "{\"plans\": 1}"})
  void rejectsDocumentWithoutPlansObject(String document) {
    PlanDocumentException e = fails(document);

    assertMessage(e, SOURCE, "\"plans\"");
  }

  @Test
  void rejectsEmptyPlans() {
    PlanDocumentException e = fails("{\"plans\": {}}");

    assertMessage(e, SOURCE, "\"plans\" names no plan");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pro", "pro plan", "-pro", "_pro", "pro.v2", "pro{1}"})
  void rejectsBadPlanName(String planName) {
    PlanDocumentException e = fails(json("{'plans': {'" + planName + "': {'limits': [" + RPM + "]}}}"));

    assertMessage(e, SOURCE, "plan '" + planName + "'", "plan name must match");
  }

  @Test
  void rejectsPlanNameLongerThan64Characters() {
    String planName = "p".repeat(65);
    PlanDocumentException e = fails(json("{'plans': {'" + planName + "': {'limits': [" + RPM + "]}}}"));

    assertMessage(e, "plan '" + planName + "'", "plan name must match");
  }

  @Test
  void rejectsPlanThatIsNotAnObject() {
    PlanDocumentException e = fails(json("{'plans': {'pro': [" + RPM + "]}}"));

    assertMessage(e, SOURCE, "plan 'pro'", "\"limits\"");
  }

  @Test
  void rejectsPlanWithoutLimits() {
    PlanDocumentException e = fails(json("{'plans': {'pro': {'description': 'no limits'}}}"));

    assertMessage(e, SOURCE, "plan 'pro'", "field 'limits'");
  }

  @Test
  void rejectsLimitsThatAreNotAnArray() {
    PlanDocumentException e = fails(json("{'plans': {'pro': {'limits': " + RPM + "}}}"));

    assertMessage(e, SOURCE, "plan 'pro'", "field 'limits'", "array");
  }

  @Test
  void rejectsPlanWithEmptyLimits() {
    PlanDocumentException e = fails(json("{'plans': {'pro': {'limits': []}}}"));

    assertMessage(e, SOURCE, "plan 'pro'", "field 'limits'", "1 to 16");
  }

  @Test
  void rejectsPlanWithMoreThan16Limits() {
    StringBuilder limits = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      limits.append(i == 0 ? "" : ",").append("{'name': 'l").append(i)
          .append("', 'unit': 'requests', 'limit': 1, 'window': '1m', 'algorithm': 'sliding-window'}");
    }
    PlanDocumentException e = fails(json("{'plans': {'pro': {'limits': [" + limits + "]}}}"));

    assertMessage(e, "plan 'pro'", "field 'limits'", "1 to 16");
  }

  @Test
  void rejectsUnknownPlanField() {
    PlanDocumentException e = fails(json("{'plans': {'pro': {'limts': [], 'limits': [" + RPM + "]}}}"));

    assertMessage(e, SOURCE, "plan 'pro'", "unknown field 'limts'", "limits");
  }

  // --- limit-level errors ----------------------------------------------------------------------------

  @Test
  void rejectsUnknownLimitFieldNamingPlanLimitAndTypo() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': 60,"
        + " 'window': '1m', 'algoritm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "unknown field 'algoritm'", "algorithm");
  }

  @Test
  void rejectsLimitWithoutNameNamingItsPosition() {
    PlanDocumentException e = fails(onePlan("pro", RPM + ", {'unit': 'requests', 'limit': 60, 'window': '1m',"
        + " 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit #2", "field 'name'", "required");
  }

  @Test
  void rejectsLimitThatIsNotAnObject() {
    PlanDocumentException e = fails(onePlan("pro", "'rpm'"));

    assertMessage(e, "plan 'pro'", "limit #1", "expected an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Requests-Per-Minute", "rpm!", "r p m", "-rpm"})
  void rejectsBadLimitName(String name) {
    PlanDocumentException e = fails(onePlan("pro", "{'name': '" + name + "', 'unit': 'requests', 'limit': 60,"
        + " 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, "plan 'pro'", "limit #1", "field 'name'", "'" + name + "'");
  }

  @Test
  void rejectsBadUnit() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'calls', 'limit': 60,"
        + " 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "field 'unit'", "'calls'", "requests, tokens");
  }

  @Test
  void rejectsMissingUnit() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'limit': 60, 'window': '1m',"
        + " 'algorithm': 'sliding-window'}"));

    assertMessage(e, "plan 'pro'", "limit 'rpm'", "field 'unit'", "required");
  }

  @Test
  void rejectsBadAlgorithm() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': 60,"
        + " 'window': '1m', 'algorithm': 'leaky-bucket'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "field 'algorithm'", "'leaky-bucket'",
        "sliding-window, sliding-log, token-bucket, fixed-window, lease");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "-60", "1.5", "60.25", "1000000000001", "1e30", "\"60\"", "true", "null",
      "[60]", "{}"})
  void rejectsLimitThatIsNotAWholeNumberFrom1ToMax(String value) {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': " + value
        + ", 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "field 'limit'", "whole number from 1 to 1000000000000");
  }

  @Test
  void rejectsMissingLimitAmount() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'window': '1m',"
        + " 'algorithm': 'sliding-window'}"));

    assertMessage(e, "plan 'pro'", "limit 'rpm'", "field 'limit'");
  }

  @Test
  void rejectionOfANumericLimitShowsTheValueGiven() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': -5,"
        + " 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, "field 'limit'", "(got -5)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "2.5", "1000000000001", "\"100\""})
  void rejectsBadBurstOnTokenBucket(String value) {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'tpm', 'unit': 'tokens', 'limit': 1000,"
        + " 'window': '1m', 'algorithm': 'token-bucket', 'burst': " + value + "}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'tpm'", "field 'burst'", "whole number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sliding-window", "fixed-window"})
  void rejectsBurstOnNonTokenBucketLimit(String algorithm) {
    String window = algorithm.equals("fixed-window") ? "day" : "1m";
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': 60,"
        + " 'window': '" + window + "', 'algorithm': '" + algorithm + "', 'burst': 60}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "field 'burst'", "token-bucket");
  }

  @Test
  void rejectsFixedWindowWithDurationWindow() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpd', 'unit': 'requests', 'limit': 500,"
        + " 'window': '1m', 'algorithm': 'fixed-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpd'", "field 'window'", "'1m'", "minute, hour, day or month");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sliding-window", "token-bucket"})
  void rejectsRollingAlgorithmWithCalendarWindow(String algorithm) {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'tpmo', 'unit': 'tokens', 'limit': 500,"
        + " 'window': 'month', 'algorithm': '" + algorithm + "'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'tpmo'", "field 'window'", "'month'", "duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"32d", "745h", "2678401s"})
  void rejectsRollingWindowOver31Days(String window) {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpx', 'unit': 'requests', 'limit': 500,"
        + " 'window': '" + window + "', 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpx'", "field 'window'", "'" + window + "'", "31d");
  }

  @Test
  void rejectsMissingWindow() {
    PlanDocumentException e = fails(onePlan("pro", "{'name': 'rpm', 'unit': 'requests', 'limit': 60,"
        + " 'algorithm': 'sliding-window'}"));

    assertMessage(e, "plan 'pro'", "limit 'rpm'", "field 'window'", "required");
  }

  @Test
  void rejectsDuplicateLimitNameInOnePlan() {
    PlanDocumentException e = fails(onePlan("pro", RPM + ", " + RPM));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "twice");
  }

  // --- limit names across plans ------------------------------------------------------------------

  @Test
  void rejectsSameLimitNameWithDifferentAlgorithmInAnotherPlan() {
    PlanDocumentException e = fails(twoPlans(
        "{'name': 'rpm', 'unit': 'requests', 'limit': 10, 'window': '1m', 'algorithm': 'sliding-window'}",
        "{'name': 'rpm', 'unit': 'requests', 'limit': 60, 'window': '1m', 'algorithm': 'token-bucket'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "another plan", "different unit, window or algorithm");
  }

  @Test
  void rejectsSameLimitNameWithDifferentWindowInAnotherPlan() {
    PlanDocumentException e = fails(twoPlans(
        "{'name': 'rpm', 'unit': 'requests', 'limit': 10, 'window': '1m', 'algorithm': 'sliding-window'}",
        "{'name': 'rpm', 'unit': 'requests', 'limit': 60, 'window': '2m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, SOURCE, "plan 'pro'", "limit 'rpm'", "different unit, window or algorithm");
  }

  @Test
  void rejectsSameLimitNameWithDifferentCalendarWindowInAnotherPlan() {
    PlanDocumentException e = fails(twoPlans(
        "{'name': 'quota', 'unit': 'tokens', 'limit': 10, 'window': 'day', 'algorithm': 'fixed-window'}",
        "{'name': 'quota', 'unit': 'tokens', 'limit': 60, 'window': 'month', 'algorithm': 'fixed-window'}"));

    assertMessage(e, "plan 'pro'", "limit 'quota'", "different unit, window or algorithm");
  }

  @Test
  void rejectsSameLimitNameWithDifferentUnitInAnotherPlan() {
    PlanDocumentException e = fails(twoPlans(
        "{'name': 'per-minute', 'unit': 'requests', 'limit': 10, 'window': '1m', 'algorithm': 'sliding-window'}",
        "{'name': 'per-minute', 'unit': 'tokens', 'limit': 60, 'window': '1m', 'algorithm': 'sliding-window'}"));

    assertMessage(e, "plan 'pro'", "limit 'per-minute'", "different unit, window or algorithm");
  }

  @Test
  void acceptsSameLimitNameWithSameMeasureButDifferentAmounts() {
    PlanCatalog catalog = PlanCatalog.parse(twoPlans(
        "{'name': 'tpm', 'unit': 'tokens', 'limit': 1000, 'window': '1m', 'algorithm': 'token-bucket'}",
        "{'name': 'tpm', 'unit': 'tokens', 'limit': 90000, 'window': '1m', 'algorithm': 'token-bucket',"
            + " 'burst': 5000}"), SOURCE);

    Limit free = catalog.plan("free").orElseThrow().limits().get(0);
    Limit pro = catalog.plan("pro").orElseThrow().limits().get(0);
    assertEquals(1000, free.limit());
    assertEquals(1000, free.burst());
    assertEquals(90_000, pro.limit());
    assertEquals(5000, pro.burst());
    assertEquals(List.of("tpm"), catalog.allLimits().stream().map(Limit::name).toList());
  }

  @Test
  void treats60sAnd1mAsTheSameWindowAcrossPlans() {
    PlanCatalog catalog = PlanCatalog.parse(twoPlans(
        "{'name': 'rpm', 'unit': 'requests', 'limit': 10, 'window': '60s', 'algorithm': 'sliding-window'}",
        "{'name': 'rpm', 'unit': 'requests', 'limit': 60, 'window': '1m', 'algorithm': 'sliding-window'}"),
        SOURCE);

    Limit free = catalog.plan("free").orElseThrow().limits().get(0);
    Limit pro = catalog.plan("pro").orElseThrow().limits().get(0);
    assertTrue(free.sameMeasureAs(pro));
    assertEquals(Duration.ofMinutes(1), free.window().duration());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static final String RPM =
      "{'name': 'rpm', 'unit': 'requests', 'limit': 60, 'window': '1m', 'algorithm': 'sliding-window'}";

  /** Single quotes stand for double quotes, to keep the documents readable. */
  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static String onePlan(String plan, String limits) {
    return json("{'plans': {'" + plan + "': {'limits': [" + limits + "]}}}");
  }

  /** Plan "free" with the first limit, then plan "pro" with the second. */
  private static String twoPlans(String freeLimit, String proLimit) {
    return json("{'plans': {'free': {'limits': [" + freeLimit + "]}, 'pro': {'limits': [" + proLimit + "]}}}");
  }

  private static Limit singleLimit(String limit) {
    return PlanCatalog.parse(onePlan("solo", limit), SOURCE).plan("solo").orElseThrow().limits().get(0);
  }

  private static PlanDocumentException fails(String document) {
    return assertThrows(PlanDocumentException.class, () -> PlanCatalog.parse(document, SOURCE),
        () -> "expected the document to be rejected: " + document);
  }

  private static void assertMessage(Throwable e, String... parts) {
    String message = e.getMessage();
    for (String part : parts) {
      assertTrue(message != null && message.contains(part),
          () -> "message should contain [" + part + "] but was: " + message);
    }
  }

  private static Window rolling(String text) {
    return Window.parseRolling(text).orElseThrow();
  }

  private static Window calendar(String text) {
    return Window.parseCalendar(text).orElseThrow();
  }
}
