package com.huntaze.ratelimit.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Json.write writes a tree exactly as an ObjectMapper with its defaults does (what the functions used before). */
class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static void sameAsObjectMapper(JsonNode node) throws Exception {
    assertEquals(MAPPER.writeValueAsString(node), Json.write(node));
  }

  @Test
  void everyKindOfNodeIsWrittenAsAnObjectMapperWritesIt() throws Exception {
    ObjectNode body = Json.object()
        .put("int", 42).put("negative", -7).put("long", 9_007_199_254_740_993L).put("zero", 0)
        .put("double", 0.826).put("whole double", 3.0).put("tiny", 1e-7).put("huge", 1.5e300)
        .put("float", 2.5f).put("nan", Double.NaN).put("infinite", Double.NEGATIVE_INFINITY)
        .put("decimal", new BigDecimal("19.957000")).put("scientific", new BigDecimal("1E+2"))
        .put("big", new BigInteger("123456789012345678901234567890"))
        .put("text", "a \"quoted\"\nline\\ with \u00e9, \u2028, \ud83d\ude00 and \u0001 and </script>")
        .put("empty", "").put("yes", true).put("no", false).putNull("nothing")
        .put("bytes", new byte[] {0, 1, 2, (byte) 255});
    body.put("short", (short) 12);
    ArrayNode list = body.putArray("limits");
    list.addObject().put("name", "requests-per-minute").put("remaining", 59);
    list.add(Json.array()).add(Json.object()).add(1).add("two").addNull();
    body.set("nested", Json.object().set("deeper", Json.object().set("deepest", Json.array().add(true))));

    sameAsObjectMapper(body);
    sameAsObjectMapper(Json.array());
    sameAsObjectMapper(Json.object());
    sameAsObjectMapper(JsonNodeFactory.instance.textNode("alone"));
    sameAsObjectMapper(JsonNodeFactory.instance.numberNode(1.25));
  }

  @Test
  void membersKeepTheOrderTheyWerePutIn() {
    assertEquals("{\"z\":1,\"a\":2,\"m\":{\"y\":true,\"b\":null}}",
        Json.write(Json.object().put("z", 1).put("a", 2).set("m", Json.object().put("y", true).putNull("b"))));
  }

  @Test
  void aNodeThatIsNotDataIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(JsonNodeFactory.instance.pojoNode(new Object())));
  }
}
