package com.huntaze.ratelimit.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
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
}
