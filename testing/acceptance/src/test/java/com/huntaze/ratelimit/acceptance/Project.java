package com.huntaze.ratelimit.acceptance;

import java.nio.file.Path;

/** The repository under test: its template.yaml and events/, from testing/acceptance where the tests run. */
final class Project {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path TEMPLATE = ROOT.resolve("template.yaml");
  static final Path EVENTS = ROOT.resolve("events");

  private Project() {
  }
}
