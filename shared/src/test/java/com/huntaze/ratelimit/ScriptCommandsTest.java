package com.huntaze.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's least-privilege ACL names exactly the commands the limiter sends and its script runs. */
class ScriptCommandsTest {
  private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)'");
  /** What the Java side sends besides the script's own calls: the script by SHA, its load, the reset's DEL. */
  private static final Set<String> SENT = Set.of("evalsha", "script|load", "del");

  @Test
  void theReadmeAclGrantsEveryCommandOfTheScriptAndNothingElse() throws IOException {
    Set<String> used = new TreeSet<>(SENT);
    for (String part : LimitScript.PARTS) {
      try (InputStream in = LimitScript.class.getResourceAsStream(part)) {
        Matcher m = CALL.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
          used.add(m.group(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    String acl = Files.readAllLines(readme()).stream().filter(l -> l.startsWith("on ~rl:* ")).findFirst()
        .orElseThrow(() -> new AssertionError("the README shows no ACL line starting with 'on ~rl:* '"));
    Set<String> granted = new TreeSet<>();
    for (String token : acl.split(" ")) {
      if (token.startsWith("+")) {
        granted.add(token.substring(1));
      }
    }
    assertTrue(used.size() > SENT.size(), "the script's commands were found: " + used);
    assertEquals(used, granted);
  }

  private static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("README.md"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
  }
}
