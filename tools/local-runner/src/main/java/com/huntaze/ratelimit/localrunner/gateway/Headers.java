package com.huntaze.ratelimit.localrunner.gateway;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HTTP headers as the gateway's records keep them: names as given, in order, one value per header line. */
final class Headers {
  private Headers() {
  }

  /** An unmodifiable copy, its value lists copied too. */
  static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }
}
