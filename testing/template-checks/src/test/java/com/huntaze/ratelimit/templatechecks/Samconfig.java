package com.huntaze.ratelimit.templatechecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localredis.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * samconfig.toml as `sam deploy --config-env ENV` reads it: parsed by Python's TOML reader (tomllib, the
 * Python the SAM translator needs anyway), then each environment's {@code deploy.parameters
 * parameter_overrides}, a list of "Name=value" or one string of them separated by spaces.
 */
final class Samconfig {
  private static final String TO_JSON = "import json, sys, tomllib; json.dump(tomllib.load(open(sys.argv[1], 'rb')), sys.stdout)";

  private Samconfig() {
  }

  static void require() {
    Prerequisites.require(Processes.succeeds(List.of(SamTranslator.PYTHON, "-c", "import tomllib"), RepoRoot.get()),
        "Python 3.11 or newer (its tomllib reads samconfig.toml); -Dtemplatechecks.python=... names another interpreter");
  }

  /** The whole file as JSON; fails the test when it is not TOML. */
  static JsonNode read(Path file) {
    try {
      Processes.Result result = Processes.run(List.of(SamTranslator.PYTHON, "-c", TO_JSON, file.toString()),
          RepoRoot.get(), Map.of(), "", Duration.ofSeconds(30));
      if (result.exitCode() != 0) {
        throw new AssertionError(file + " is not valid TOML:\n" + result.stderr());
      }
      return TemplateJson.JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Environment name to its parameter overrides, for every environment with deploy parameters. */
  static Map<String, Map<String, String>> deployParameters(JsonNode config) {
    Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    config.fields().forEachRemaining(env -> {
      JsonNode overrides = env.getValue().path("deploy").path("parameters").path("parameter_overrides");
      if (!overrides.isMissingNode()) {
        environments.put(env.getKey(), parameters(overrides));
      }
    });
    return environments;
  }

  static Map<String, String> parameters(JsonNode overrides) {
    List<String> pairs = new ArrayList<>();
    if (overrides.isArray()) {
      overrides.forEach(o -> pairs.add(o.asText()));
    } else {
      for (String pair : overrides.asText().trim().split("\\s+(?=[A-Za-z0-9]+=)")) {
        pairs.add(pair);
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : pairs) {
      int at = pair.indexOf('=');
      if (at <= 0) {
        throw new AssertionError("parameter override \"" + pair + "\" is not Name=value");
      }
      String value = pair.substring(at + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      parameters.put(pair.substring(0, at), value);
    }
    return parameters;
  }
}
