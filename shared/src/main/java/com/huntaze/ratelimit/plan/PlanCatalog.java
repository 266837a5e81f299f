package com.huntaze.ratelimit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.json.InvalidJsonException;
import com.huntaze.ratelimit.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated plans of one plan document, immutable. Parsing checks everything a check relies on, so
 * a bad document fails at start-up with a message naming the plan, the limit and the field.
 *
 * <pre>{"plans": {"pro": {"limits": [
 *   {"name": "requests-per-minute", "unit": "requests", "limit": 60, "window": "1m",
 *    "algorithm": "sliding-window"},
 *   {"name": "tokens-per-minute", "unit": "tokens", "limit": 200000, "window": "1m",
 *    "algorithm": "token-bucket", "burst": 100000},
 *   {"name": "tokens-per-month", "unit": "tokens", "limit": 20000000, "window": "month",
 *    "algorithm": "fixed-window"}]}}}</pre>
 */
public final class PlanCatalog {
  /** Classpath location of the plans used when the operator supplies none. */
  public static final String BUNDLED_RESOURCE = "/com/huntaze/ratelimit/plans/default-plans.json";

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  static final int MAX_LIMITS_PER_PLAN = 16;
  /** The largest amount of a limit (or of a creator's override of it): whole units, or micro-dollars. */
  public static final long MAX_AMOUNT = 1_000_000_000_000L;
  /** A million dollars per window: more is a typo; it is 10^12 micro-dollars, exact in the script. */
  public static final long MAX_USD = 1_000_000;
  public static final long MAX_CONCURRENT = 100_000;
  private static final Set<String> PLAN_FIELDS = Set.of("limits", "description", "onRedisFailure");

  private static final Set<String> DOCUMENT_FIELDS = Set.of("plans", "models");

  private final Map<String, Plan> plans;
  private final PriceTable prices;

  private PlanCatalog(Map<String, Plan> plans, PriceTable prices) {
    this.plans = Collections.unmodifiableMap(plans);
    this.prices = prices;
  }

  /** The plans shipped in the jar (free, pro, enterprise). */
  public static PlanCatalog bundledDefault() {
    try (InputStream in = PlanCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new PlanDocumentException("bundled plan document " + BUNDLED_RESOURCE + " is missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled default plans");
    } catch (IOException e) {
      throw new PlanDocumentException("cannot read bundled plan document: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and validates a plan document.
   *
   * @param source where the document came from, for error messages (e.g. a file path)
   */
  public static PlanCatalog parse(String json, String source) {
    JsonNode root = readTree(json, source);
    JsonNode planObjects = root.get("plans");
    if (!root.isObject() || planObjects == null || !planObjects.isObject()) {
      throw new PlanDocumentException(source + ": expected an object {\"plans\": {\"<plan name>\": {...}}}");
    }
    if (planObjects.isEmpty()) {
      throw new PlanDocumentException(source + ": \"plans\" names no plan");
    }
    rejectUnknownFields(source + ": ", root, DOCUMENT_FIELDS);
    PriceTable prices = PriceTable.parse(source, root.get("models"));
    Map<String, Plan> plans = new LinkedHashMap<>();
    Map<String, Limit> limitsByName = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = planObjects.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Plan plan = parsePlan(source, entry.getKey(), entry.getValue());
      for (Limit limit : plan.limits()) {
        Limit earlier = limitsByName.putIfAbsent(limit.name(), limit);
        if (earlier != null && !earlier.sameMeasureAs(limit)) {
          throw new PlanDocumentException(where(source, plan.name(), limit.name()) + "a limit named '"
              + limit.name() + "' exists in another plan with a different unit, window or algorithm;"
              + " a limit name must mean the same measure in every plan (usage carries over when a"
              + " creator changes plan), so give this one another name");
        }
      }
      plans.put(plan.name(), plan);
    }
    return new PlanCatalog(plans, prices);
  }

  /** The model prices of the document (empty when it has no "models"). */
  public PriceTable prices() {
    return prices;
  }

  public Optional<Plan> plan(String name) {
    return Optional.ofNullable(plans.get(name));
  }

  /** Plan names in document order. */
  public Set<String> planNames() {
    return plans.keySet();
  }

  /** One limit per distinct name across all plans: what a creator can have keys for. */
  public Collection<Limit> allLimits() {
    Map<String, Limit> byName = new LinkedHashMap<>();
    plans.values().forEach(p -> p.limits().forEach(l -> byName.putIfAbsent(l.name(), l)));
    return List.copyOf(byName.values());
  }

  private static Plan parsePlan(String source, String planName, JsonNode object) {
    String at = source + ": plan '" + planName + "': ";
    if (!NAME.matcher(planName).matches()) {
      throw new PlanDocumentException(at + "the plan name must match " + NAME.pattern());
    }
    if (!object.isObject()) {
      throw new PlanDocumentException(at + "expected an object with \"limits\"");
    }
    rejectUnknownFields(at, object, PLAN_FIELDS);
    JsonNode array = object.get("limits");
    if (array == null || !array.isArray()) {
      throw new PlanDocumentException(at + "field 'limits' must be an array of limits");
    }
    if (array.isEmpty() || array.size() > MAX_LIMITS_PER_PLAN) {
      throw new PlanDocumentException(at + "field 'limits' must hold 1 to " + MAX_LIMITS_PER_PLAN + " limits");
    }
    List<Limit> limits = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Limit limit = LimitDocument.parse(source, planName, i, array.get(i));
      if (!names.add(limit.name())) {
        throw new PlanDocumentException(where(source, planName, limit.name()) + "the name appears twice in this plan");
      }
      limits.add(limit);
    }
    return new Plan(planName, limits, failurePolicy(at, object));
  }

  private static FailureMode failurePolicy(String at, JsonNode plan) {
    JsonNode value = plan.get("onRedisFailure");
    if (value == null) {
      return null;
    }
    String text = value.isTextual() ? value.textValue() : value.toString();
    return switch (text) {
      case "fail-open" -> FailureMode.FAIL_OPEN;
      case "fail-closed" -> FailureMode.FAIL_CLOSED;
      default -> throw new PlanDocumentException(at + "field 'onRedisFailure': '" + text
          + "' is not one of fail-open, fail-closed");
    };
  }

  static String requiredString(String at, JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isTextual()) {
      throw new PlanDocumentException(at + "field '" + field + "' is required and must be a string");
    }
    return value.textValue();
  }

  static void rejectUnknownFields(String at, JsonNode object, Set<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!known.contains(field)) {
        throw new PlanDocumentException(at + "unknown field '" + field + "' (known: " + String.join(", ",
            known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static JsonNode readTree(String json, String source) {
    try {
      return StrictJson.read(json);
    } catch (InvalidJsonException e) {
      throw new PlanDocumentException(source + ": " + e.getMessage());
    }
  }

  static String where(String source, String plan, String limit) {
    return source + ": plan '" + plan + "', limit '" + limit + "': ";
  }
}
