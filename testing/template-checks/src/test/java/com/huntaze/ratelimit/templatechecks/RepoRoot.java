package com.huntaze.ratelimit.templatechecks;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's top folder, where template.yaml is. */
final class RepoRoot {
  private RepoRoot() {
  }

  static Path get() {
    String configured = System.getProperty("templatechecks.repoRoot");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    // run from an IDE: walk up from the working directory to the folder holding template.yaml
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath()
        + "; set -Dtemplatechecks.repoRoot");
  }

  static Path template() {
    return get().resolve("template.yaml");
  }
}
