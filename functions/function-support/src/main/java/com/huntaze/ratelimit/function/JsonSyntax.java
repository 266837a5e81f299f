package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.List;

/**
 * Our sentence for a JSON syntax error. The parser's exception type and message only choose among the
 * sentences below; none of its text reaches an answer.
 */
final class JsonSyntax {
  private record Case(String clue, String sentence) {
    static final String ENDS_EARLY = "it ends before the JSON is complete (a closing '}', ']' or '\"' is"
        + " missing)";
    static final String NO_VALUE = "a value is missing, or starts with a character no JSON value starts with";
  }

  /** In order: the first clue found in the parser's message picks the sentence. */
  private static final List<Case> CASES = List.of(
      new Case("end-of-input", Case.ENDS_EARLY),
      new Case("Non-standard token", "NaN and Infinity are not JSON numbers"),
      new Case("plus sign", "a JSON number does not start with '+'"),
      new Case("Leading zeroes", "a JSON number does not start with 0 (write 7, not 07)"),
      new Case("numeric value", "a number is incomplete (a digit is missing after '-', '.' or the exponent)"),
      new Case("Illegal unquoted character", "a control character inside a string must be escaped (such as \\n or"
          + " \\u0000)"),
      new Case("CTRL-CHAR", "control characters are not allowed between JSON values"),
      new Case("character escape", "a string holds an invalid escape (a backslash is followed by one of"
          + " \" \\ / b f n r t, or by u and four hex digits)"),
      new Case("Unrecognized token", "a word without quotes is not a JSON value (strings are in double quotes; the"
          + " only bare words are true, false and null)"),
      new Case("start field name", "a field name must be a string in double quotes (or a comma before it is one too"
          + " many)"),
      new Case("colon to separate", "a ':' is missing after a field name"),
      new Case("comma to separate", "a ',' is missing between two entries"),
      new Case("close marker", "a closing bracket does not match the one that was opened"),
      new Case("expected a value", Case.NO_VALUE),
      new Case("valid value", Case.NO_VALUE),
      new Case("comment", "JSON has no comments"),
      new Case("Unexpected character", "a character is out of place"));

  private JsonSyntax() {
  }

  static String sentence(JacksonException e) {
    if (e instanceof JsonEOFException) {
      return Case.ENDS_EARLY;
    }
    if (e instanceof StreamConstraintsException) {
      return "a value is larger than the JSON reader accepts";
    }
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    return CASES.stream().filter(c -> message.contains(c.clue())).map(Case::sentence).findFirst()
        .orElse("the text cannot be read as JSON");
  }
}
