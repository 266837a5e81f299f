package com.huntaze.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's least-privilege ACL names exactly the commands the limiter sends and its script runs. */
class ScriptCommandsTest {
  private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)'");
  /**
   * What the Java side sends besides the script's own calls: the library's call and load, the same code as a
   * script by SHA and its load (servers without functions), the reset's DEL.
   */
  private static final Set<String> SENT = Set.of("fcall", "function|load", "evalsha", "script|load", "del");

  @Test
  void theReadmeAclGrantsEveryCommandOfTheScriptAndNothingElse() throws IOException {
    Set<String> used = new TreeSet<>(SENT);
    for (String part : LimitLibrary.PARTS) {
      try (InputStream in = LimitScript.class.getResourceAsStream(part)) {
        Matcher m = CALL.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
          used.add(m.group(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    String acl = ReadmeAcl.rules();
    Set<String> granted = new TreeSet<>();
    for (String token : acl.split(" ")) {
      if (token.startsWith("+")) {
        granted.add(token.substring(1));
      }
    }
    assertTrue(used.size() > SENT.size(), "the script's commands were found: " + used);
    assertEquals(used, granted);
  }
}
