package com.huntaze.ratelimit.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as a JSON object. Whatever is wrong with it becomes a 400 whose detail is a
 * sentence of ours saying what and where: never the JSON library's text.
 */
public final class JsonBody {
  private JsonBody() {
  }

  /**
   * The body as a JSON object; {@code example} (such as {@code {"creatorId": "creator-123"}}) shows the
   * caller what to send when the body is empty or not an object.
   */
  public static ObjectNode readObject(byte[] body, String example) {
    String text = utf8(body);
    if (text.startsWith("\uFEFF")) {
      throw JsonTree.malformed("the body starts with a byte order mark (U+FEFF); send the JSON without it", null);
    }
    JsonNode value = JsonTree.read(text);
    if (value == null) {
      throw ProblemException.badRequest("missing-body", "a JSON body is required, e.g. " + example, null);
    }
    if (!value.isObject()) {
      throw ProblemException.badRequest("invalid-body", "the body must be a JSON object such as " + example, null);
    }
    return (ObjectNode) value;
  }

  /** JSON is UTF-8: anything else is refused here, before the parser guesses another encoding. */
  private static String utf8(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw JsonTree.malformed("the body is not valid UTF-8 text (byte " + (in.position() + 1) + " starts an invalid"
          + " sequence)", null);
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
