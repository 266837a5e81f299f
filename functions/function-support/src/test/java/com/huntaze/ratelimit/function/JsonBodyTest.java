package com.huntaze.ratelimit.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a body can be bad, and the sentence of ours that says so. */
class JsonBodyTest {
  static final Pattern LIBRARY_TEXT = Pattern.compile(
      "com\\.|jackson|Feature|java\\.|Exception|\\[Source|StreamReadConstraints|REDACTED|\\tat |JsonNode|CTRL-CHAR",
      Pattern.CASE_INSENSITIVE);
  private static final String EXAMPLE = "{\"creatorId\": \"creator-123\"}";

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("{\"a\":1} {\"x\":1}", "not valid JSON at line 1, column 9: more content follows the first JSON value"),
        Arguments.of("{\"a\":1}}", "not valid JSON at line 1, column 8: more content follows the first JSON value"),
        Arguments.of("{\"a\": \"x\",", "not valid JSON at line 1, column 11: it ends before the JSON is"
            + " complete"),
        Arguments.of("{", "not valid JSON at line 1, column 2: it ends before the JSON is complete"),
        Arguments.of("{\"a\": NaN}", "not valid JSON at line 1, column 10: NaN and Infinity are not JSON numbers"),
        Arguments.of("{\"a\": -Infinity}", "NaN and Infinity are not JSON numbers"),
        Arguments.of("{\"a\": +1}", "not valid JSON at line 1, column 8: a JSON number does not start with '+'"),
        Arguments.of("{\"a\": 07}", "does not start with 0"),
        Arguments.of("{\"a\": 1.}", "a number is incomplete"),
        Arguments.of("[".repeat(4000), "nested more than 32 levels deep (line 1, column 33)"),
        Arguments.of("{\"a\":" + "1".repeat(2000) + "}", "a number is 2000 characters long; at most 100 are accepted"
            + " (line 1, column 6)"),
        Arguments.of("{\"a\":1,\n \"a\":2}", "field 'a' appears twice in the body (line 2, column 5)"),
        Arguments.of("{\"a\":\"\\ud800\"}", "unpaired surrogate escape"),
        Arguments.of("{\"a\":\"x\u0001\"}", "a control character inside a string must be escaped"),
        Arguments.of("\u0000{}", "at line 1, column 2: control characters are not allowed between JSON values"),
        Arguments.of("{\"a\":\"\\q\"}", "a string holds an invalid escape"),
        Arguments.of("{\"a\": tru}", "a word without quotes is not a JSON value"),
        Arguments.of("{a: 1}", "a field name must be a string in double quotes"),
        Arguments.of("{\"a\" 1}", "a ':' is missing after a field name"),
        Arguments.of("{\"a\":1 \"b\":2}", "a ',' is missing between two entries"),
        Arguments.of("{\"a\":1]", "a closing bracket does not match"),
        Arguments.of("[1,]", "at line 1, column 4: a value is missing, or starts with a character no JSON"
            + " value starts with"),
        Arguments.of("{\"a\":'x'}", "a value is missing, or starts with a character no JSON value starts with"),
        Arguments.of("{\"a\": 1 // one\n}", "not valid JSON at line 1, column 9: JSON has no comments"),
        Arguments.of("{\"a\": -0}", "the number -0 is not accepted (write 0) (line 1, column 7)"),
        Arguments.of("\uFEFF{\"a\":1}", "the body starts with a byte order mark"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadBodyIsA400WithOurOwnSentence(String body, String expected) {
    ProblemException e = assertThrows(ProblemException.class, () -> read(body));
    String detail = e.problem().detail();
    assertEquals(400, e.problem().status());
    assertEquals("malformed-json", e.problem().type());
    assertTrue(detail.contains(expected), detail);
    assertFalse(LIBRARY_TEXT.matcher(detail).find(), detail);
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedBeforeTheParserGuessesAnEncoding() {
    for (byte[] body : new byte[][] {
        {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'},
        {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'},   // an encoded surrogate
        {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '(', '"', '}'}}) {
      ProblemException e = assertThrows(ProblemException.class, () -> JsonBody.readObject(body, EXAMPLE));
      assertEquals("the body is not valid UTF-8 text (byte 7 starts an invalid sequence)", e.problem().detail());
    }
  }

  @Test
  void anEmptyBodyOrAnotherValueThanAnObjectShowsTheExample() {
    for (String body : new String[] {"", " \n\t "}) {
      ProblemException e = assertThrows(ProblemException.class, () -> read(body));
      assertEquals("missing-body", e.problem().type());
      assertEquals("a JSON body is required, e.g. " + EXAMPLE, e.problem().detail());
    }
    for (String body : new String[] {"null", "[]", "\"x\"", "1"}) {
      ProblemException e = assertThrows(ProblemException.class, () -> read(body));
      assertEquals("invalid-body", e.problem().type());
      assertEquals("the body must be a JSON object such as " + EXAMPLE, e.problem().detail());
    }
  }

  @Test
  void aGoodBodyKeepsItsValues() {
    var body = read("{\"s\": \"h\\u00e9 \\ud83d\\ude00\", \"i\": 9223372036854775807, \"big\": 9223372036854775808,"
        + " \"f\": 1e3, \"z\": 0, \"n\": null, \"t\": true, \"a\": [1, {\"b\": []}]}");
    assertEquals("h\u00e9 \ud83d\ude00", body.get("s").textValue());
    assertEquals(Long.MAX_VALUE, body.get("i").longValue());
    assertTrue(body.get("big").isBigInteger());
    assertTrue(body.get("f").isDouble());
    assertEquals(0, body.get("z").intValue());
    assertTrue(body.get("n").isNull());
    assertTrue(body.get("t").booleanValue());
    assertEquals("{\"b\":[]}", body.get("a").get(1).toString());
  }

  private static ObjectNode read(String body) {
    return JsonBody.readObject(body.getBytes(StandardCharsets.UTF_8), EXAMPLE);
  }
}
