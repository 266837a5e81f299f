package com.huntaze.ratelimit.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The prices of the models a plan document names (its {@code "models"} object), immutable:
 * {@code {"gpt-4o": {"inputPerMillion": 2.5, "cachedInputPerMillion": 1.25, "outputPerMillion": 10}}}
 * in USD per million tokens, at most six decimals (a micro-dollar per million tokens);
 * {@code cachedInputPerMillion} defaults to the input price.
 */
public final class PriceTable {
  static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");
  /** No list price comes near this; a bigger one is a typo (cents for dollars, say). */
  static final BigDecimal MAX_USD_PER_MILLION = BigDecimal.valueOf(10_000);
  private static final Set<String> FIELDS = Set.of("inputPerMillion", "cachedInputPerMillion", "outputPerMillion");
  private static final PriceTable EMPTY = new PriceTable(Map.of());

  private final Map<String, ModelPrice> prices;

  private PriceTable(Map<String, ModelPrice> prices) {
    this.prices = Collections.unmodifiableMap(prices);
  }

  public static PriceTable empty() {
    return EMPTY;
  }

  /** True for a name a price table could hold (the document's model-name rule). */
  public static boolean isWellFormedModel(String model) {
    return model != null && MODEL.matcher(model).matches();
  }

  public Optional<ModelPrice> price(String model) {
    return Optional.ofNullable(model == null ? null : prices.get(model));
  }

  /** Model names in document order, e.g. for a message listing the known models. */
  public Set<String> models() {
    return prices.keySet();
  }

  /** Reads the document's "models" object; {@code models} null means the document has none. */
  static PriceTable parse(String source, JsonNode models) {
    if (models == null) {
      return EMPTY;
    }
    if (!models.isObject()) {
      throw new PlanDocumentException(source + ": \"models\" must be an object of model name to prices");
    }
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String at = source + ": model '" + entry.getKey() + "': ";
      if (!MODEL.matcher(entry.getKey()).matches()) {
        throw new PlanDocumentException(at + "a model name must match " + MODEL.pattern());
      }
      prices.put(entry.getKey(), price(at, entry.getKey(), entry.getValue()));
    }
    return new PriceTable(prices);
  }

  private static ModelPrice price(String at, String model, JsonNode object) {
    if (!object.isObject()) {
      throw new PlanDocumentException(at + "expected an object with inputPerMillion and outputPerMillion");
    }
    PlanCatalog.rejectUnknownFields(at, object, FIELDS);
    long input = micros(at, object, "inputPerMillion");
    long cached = object.has("cachedInputPerMillion") ? micros(at, object, "cachedInputPerMillion") : input;
    return new ModelPrice(model, input, cached, micros(at, object, "outputPerMillion"));
  }

  /** USD per million tokens as integer micro-dollars per million tokens, exactly. */
  private static long micros(String at, JsonNode object, String field) {
    JsonNode value = object.get(field);
    String problem = at + "field '" + field + "' must be a price in USD per million tokens from 0 to "
        + MAX_USD_PER_MILLION + " with at most 6 decimals";
    if (value == null || !value.isNumber()) {
      throw new PlanDocumentException(problem);
    }
    BigDecimal usd = value.decimalValue();
    if (usd.signum() < 0 || usd.compareTo(MAX_USD_PER_MILLION) > 0 || usd.stripTrailingZeros().scale() > 6) {
      throw new PlanDocumentException(problem + " (got " + usd.toPlainString() + ")");
    }
    return usd.movePointRight(6).longValueExact();
  }
}
