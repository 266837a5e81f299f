package com.huntaze.ratelimit.function.connectiontest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.util.SafeEncoder;

/** Reading the connection test's Redis replies: text, INFO fields, the reply a step expects. */
final class Replies {
  private Replies() {
  }

  static void expect(String command, String expected, String actual) {
    if (!expected.equals(actual)) {
      throw new ProbeException(ErrorKind.REDIS_ERROR, command + " replied '" + actual + "' instead of '" + expected
          + "'");
    }
  }

  static String text(Object reply) {
    if (reply == null) {
      // what the cluster client answers when it knows no node at all
      throw new ProbeException(ErrorKind.CONNECTION, "No reply: the client reached no Redis node");
    }
    return reply instanceof byte[] bytes ? SafeEncoder.encode(bytes) : reply.toString();
  }

  /** "key:value" lines of INFO and CLUSTER INFO. */
  static Map<String, String> fields(String info) {
    Map<String, String> fields = new HashMap<>();
    info.lines().forEach(line -> {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    });
    return fields;
  }

  static void putNumber(ObjectNode node, String field, String value) {
    if (value != null && value.matches("\\d+")) {
      node.put(field, Long.parseLong(value));
    }
  }
}
