package com.huntaze.ratelimit.localrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunction;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunctions;
import com.huntaze.ratelimit.localrunner.template.FunctionDefinition;
import com.huntaze.ratelimit.localrunner.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code invoke}: sends its events, in order and each {@code --repeat} times, to one warm function on one
 * Redis, so that a sequence (a reservation, then its settle; ten checks, then the denied eleventh) plays
 * as it would on one Lambda environment. One response per line on stdout; logs on stderr.
 */
final class InvokeCommand {
  private static final String NO_EVENT = "{}";

  private InvokeCommand() {
  }

  /** 0 when every invocation succeeded, 1 when any was a function error. */
  static int run(CliArguments cli, InputStream stdin, PrintStream out, PrintStream err,
      Map<String, String> runnerEnvironment) {
    String functionId = cli.functionId().orElseThrow();
    SamTemplate template = SamTemplate.read(cli.templateFile());
    EnvVarsFile envVars = cli.envVarsFile().map(EnvVarsFile::read).orElse(EnvVarsFile.none());
    RedisChoice redis = RedisChoice.decide(cli.redisUrl(), cli.parameterOverrides(), template, envVars,
        List.of(functionId), runnerEnvironment);
    FunctionDefinition definition = template.function(functionId, redis.parameterOverrides());
    List<Event> events = events(cli, stdin);
    // closes itself on Ctrl-C too, so neither the function nor Redis keeps running
    try (LocalFunctions functions = LocalFunctions.prepare(List.of(definition), envVars::variablesFor,
        redis.source(), err, false)) {
      err.println("Invoking " + definition.handler() + " (" + definition.runtime() + ", run on local Java "
          + Runtime.version().feature() + ") from " + definition.codeUri());
      LocalFunction function = functions.get(functionId);
      boolean anyError = false;
      int total = events.size() * cli.repeat();
      int number = 0;
      for (Event event : events) {
        for (int i = 0; i < cli.repeat(); i++) {
          InvocationResult result = function.invoke(event.json());
          out.println(result.payloadText());
          out.flush();
          anyError |= result.functionError();
          if (total > 1) {
            err.println("Invocation " + ++number + "/" + total + " (" + event.name() + "): " + outcome(result));
          }
        }
      }
      return anyError ? LocalRunner.FUNCTION_ERROR : 0;
    }
  }

  private record Event(String name, byte[] json) {
  }

  /** All events read and checked before anything starts: a typo in the third file costs no run. */
  private static List<Event> events(CliArguments cli, InputStream stdin) {
    if (cli.eventFiles().isEmpty()) {
      return List.of(new Event("no event: {}", NO_EVENT.getBytes(StandardCharsets.UTF_8)));
    }
    List<Event> events = new ArrayList<>();
    for (String file : cli.eventFiles()) {
      events.add(new Event(file.equals("-") ? "stdin" : file, read(file, stdin)));
    }
    return events;
  }

  private static byte[] read(String file, InputStream stdin) {
    byte[] event;
    try {
      event = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the event " + file + ": " + e.getMessage(), e);
    }
    try {
      Json.parse(event); // Lambda takes JSON only
    } catch (IOException e) {
      throw new IllegalArgumentException("The event " + file + " is not JSON: " + e.getMessage());
    }
    return event;
  }

  /** "statusCode 429" for an HTTP API answer, else whether it succeeded. */
  private static String outcome(InvocationResult result) {
    if (result.functionError()) {
      return "function error";
    }
    try {
      JsonNode payload = Json.parse(result.payload());
      return payload != null && payload.has("statusCode") ? "statusCode " + payload.get("statusCode").asText() : "ok";
    } catch (IOException e) {
      return "ok";
    }
  }
}
