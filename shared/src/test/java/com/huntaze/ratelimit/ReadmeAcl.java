package com.huntaze.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The least-privilege ACL rules the README gives the limiter's user, so that tests run with exactly those. */
public final class ReadmeAcl {
  private static final String START = "on ~rl:* ";

  private ReadmeAcl() {
  }

  /** The README's line, e.g. {@code "on ~rl:* resetchannels -@all +fcall ..."}. */
  public static String rules() {
    try {
      return Files.readAllLines(readme()).stream().filter(l -> l.startsWith(START)).findFirst()
          .orElseThrow(() -> new AssertionError("the README shows no ACL line starting with '" + START + "'"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An ACL user with the README's rules and this password. */
  public static String user(String name, String password) {
    return name + " >" + password + " " + rules();
  }

  static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("README.md"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
  }
}
