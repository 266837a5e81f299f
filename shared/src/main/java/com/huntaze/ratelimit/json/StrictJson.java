package com.huntaze.ratelimit.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The product's strict JSON reading: a repeated name, content after the document, comments, single
 * quotes, NaN and the like are errors; decimals are read exactly. An error says what and where in our
 * own words: never the parser's text, which may quote the input (a secret, say) or name its internals.
 */
public final class StrictJson {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private StrictJson() {
  }

  /** @throws InvalidJsonException saying what is wrong and where, never quoting the input */
  public static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw describe(e);
    }
  }

  /** A tree the product built itself, as compact JSON text. */
  public static String write(JsonNode tree) {
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JacksonException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Our own sentence for a parser error: a repeated name and its path, or the line and column. */
  public static InvalidJsonException describe(JacksonException e) {
    JsonLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 1 ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    String duplicate = duplicateName(e);
    return new InvalidJsonException(duplicate != null ? duplicate + where : "not valid JSON" + where, duplicate != null);
  }

  /** "the name 'x' appears twice in $.a.b" when the parser stopped at a repeated name, else null. */
  private static String duplicateName(JacksonException e) {
    String name = repeatedName(e);
    if (name == null) {
      return null;
    }
    StringBuilder path = new StringBuilder();
    JsonStreamContext context = ((JsonParser) e.getProcessor()).getParsingContext();
    for (JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
      path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
    }
    return "the name '" + name + "' appears twice in $" + path;
  }

  /**
   * The name a parser with {@link JsonParser.Feature#STRICT_DUPLICATE_DETECTION} found twice in one
   * object, when that is why it stopped; else null.
   */
  public static String repeatedName(JacksonException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)
        || !String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
      return null;
    }
    JsonStreamContext context = parser.getParsingContext();
    return context == null ? null : context.getCurrentName();
  }
}
