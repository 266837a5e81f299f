package com.huntaze.ratelimit.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.huntaze.ratelimit.plan.PlanCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
  @Test
  void aRepeatedNameIsAnErrorThatNamesItAndItsPath() {
    InvalidJsonException e = assertThrows(InvalidJsonException.class,
        () -> StrictJson.read("{\"a\": {\"list\": [{\"x\": 1, \"x\": 2}]}}"));
    assertTrue(e.duplicateName());
    assertTrue(e.getMessage().startsWith("the name 'x' appears twice in $.a.list[0] at line 1, column "),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\": 1} {\"b\": 2}", "{\"a\": NaN}", "{\"a\": +1}", "{'a': 1}", "{a: 1}",
      "{\"a\": 1 /* c */}", "[1,]", "{\"a\": 01}", "\"unterminated", "{\"s3cr3t-T0ken\"}"})
  void malformedTextIsDescribedInOurWordsWithItsPositionAndNeverQuoted(String text) {
    InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> StrictJson.read(text));
    assertFalse(e.duplicateName());
    assertTrue(e.getMessage().matches("not valid JSON( at line \\d+, column \\d+)?"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
    assertEquals(null, e.getCause(), "the parser's exception (and its text) is not carried along");
  }

  @Test
  void decimalsAreReadExactly() {
    JsonNode node = StrictJson.read("{\"amount\": 12345678901234567.0}");
    // a double would give ...568
    assertEquals(0, new BigDecimal("12345678901234567").compareTo(node.get("amount").decimalValue()));
  }

  /** The ObjectMapper StrictJson stands for: reads and writes must agree with it exactly. */
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "null", "true", "0", "-0", "2147483648", "-9223372036854775809",
      "123456789012345678901234567890", "1.50", "100.0", "-0.0", "0.000", "1e3", "1E+2", "2.5e-3", "1e400",
      "\"a\\u00e9\\n\\\"\"", "[]", "{}", "[1, [2, [3, {}]], {\"a\": null}]",
      "{\"z\": 1, \"a\": {\"m\": [0.10, false]}, \"\": \"\"}"})
  void readsTheTreeAnObjectMapperReadsAndWritesItsText(String text) throws IOException {
    JsonNode expected = MAPPER.readTree(text);
    JsonNode tree = StrictJson.read(text);
    assertEquals(expected, tree);
    assertEquals(expected.toString(), tree.toString());
    if (!tree.isMissingNode()) {
      assertEquals(MAPPER.writeValueAsString(expected), StrictJson.write(tree));
    }
  }

  @Test
  void readsTheBundledPlansAsAnObjectMapperDoes() throws IOException {
    try (InputStream in = PlanCatalog.class.getResourceAsStream(PlanCatalog.BUNDLED_RESOURCE)) {
      String plans = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(MAPPER.readTree(plans), StrictJson.read(plans));
      assertEquals(MAPPER.writeValueAsString(MAPPER.readTree(plans)), StrictJson.write(StrictJson.read(plans)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{} {}", "[1] 2", "{} x", "{\"a\": 1,\n \"a\": 2}", "[{\"b\": [{\"c\": 1, \"c\": 1}]}]",
      "{\"a\": 1} {\"b\": 2}", "[1,]", "{\"a\": 01}"})
  void refusesWhatAnObjectMapperRefusesAtTheSamePlace(String text) {
    JacksonException expected = assertThrows(JacksonException.class, () -> MAPPER.readTree(text));
    InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> StrictJson.read(text));
    assertEquals(StrictJson.describe(expected).getMessage(), e.getMessage());
    assertEquals(StrictJson.describe(expected).duplicateName(), e.duplicateName());
  }

  @Test
  void nestsAsDeepAsAnObjectMapperAndNoDeeper() throws IOException {
    String deepest = "[".repeat(1000) + "]".repeat(1000);
    assertEquals(MAPPER.readTree(deepest), StrictJson.read(deepest));
    String deeper = "[" + deepest + "]";
    JacksonException expected = assertThrows(JacksonException.class, () -> MAPPER.readTree(deeper));
    assertEquals(StrictJson.describe(expected).getMessage(),
        assertThrows(InvalidJsonException.class, () -> StrictJson.read(deeper)).getMessage());
  }
}
