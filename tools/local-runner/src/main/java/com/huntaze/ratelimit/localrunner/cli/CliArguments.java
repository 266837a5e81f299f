package com.huntaze.ratelimit.localrunner.cli;

import com.huntaze.ratelimit.localrunner.runtime.RedisUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line, parsed (see {@link #USAGE}); {@code help} is the command of -h / --help anywhere.
 * {@code eventFiles}: the events invoke sends in order, each {@code repeat} times.
 */
record CliArguments(
    String command,
    Optional<String> functionId,
    List<String> eventFiles,
    int repeat,
    Optional<Path> envVarsFile,
    Map<String, String> parameterOverrides,
    Optional<RedisUrl> redisUrl,
    Path templateFile,
    String host,
    int port,
    Signatures signatures) {

  /** How start-api authorizes requests: SigV4 against local credentials (the default), or not at all. */
  record Signatures(boolean checked, Optional<Path> credentialsFile, Optional<String> profile,
      Optional<String> region) {
  }

  static final String INVOKE = "invoke";
  static final String START_API = "start-api";
  static final String HELP = "help";
  /** Not 3000 (next dev's and sam local start-api's), nor 3001, 3002, ... (next dev's when 3000 is taken). */
  static final int DEFAULT_PORT = 8765;
  static final int MAX_REPEAT = 10_000;
  static final String USAGE = String.join("\n",
      "Usage:",
      "  tools/local invoke <LogicalId> [-e|--event file.json|- ...] [--repeat N] [--redis-url URL]",
      "                     [--env-vars env.json] [--parameter-overrides Name=Value ...] [--template template.yaml]",
      "  tools/local start-api [--host 127.0.0.1] [--port " + DEFAULT_PORT + "] [--redis-url URL]",
      "                     [--env-vars env.json] [--parameter-overrides Name=Value ...] [--template template.yaml]",
      "                     [--no-auth | --credentials-file file [--profile name]] [--region us-east-1]",
      "  tools/local --help",
      "",
      "Runs the template's functions like sam local, without Docker: the packaged jar (CodeUri) on the",
      "Lambda Runtime Interface Client in a separate JVM. Function logs go to stderr.",
      "invoke: several -e run in order on the same warm function and Redis, each --repeat N times; one",
      "response per line on stdout (- reads an event from stdin).",
      "--env-vars takes SAM's format {\"LogicalId\": {...}, \"Parameters\": {...}}; unlike SAM it also adds",
      "variables the template does not declare.",
      "Redis, the first of: --redis-url redis://[user:password@]host:port (rediss:// for TLS, ?cluster=true;",
      "no auth without a password, which goes to a file only you can read, never to the environment);",
      "--parameter-overrides CacheEndpoint=host [CachePort RedisTls RedisAuthMode RedisClusterMode];",
      "REDIS_HOST in --env-vars; REDIS_HOST (and REDIS_*) in your environment. Settings left out get a",
      "local server's (TLS off, auth none, cluster off) and are printed. Otherwise a local redis-server is",
      "started for the run; start-api prints its --redis-url, so that invoke runs can share it.",
      "start-api checks SigV4 signatures (service execute-api) as the deployed API's IAM authorization does:",
      "against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the shared credentials file's profile, or the",
      "--credentials-file profile alone, else the local pair local-dev/local-dev-secret; unsigned or wrongly",
      "signed requests get API Gateway's 403. --no-auth lets every request in (plain curl).");

  CliArguments {
    eventFiles = List.copyOf(eventFiles);
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  boolean isHelp() {
    return command.equals(HELP);
  }

  /** @throws IllegalArgumentException with a message for the user */
  static CliArguments parse(List<String> args) {
    if (args.contains("-h") || args.contains("--help") || (!args.isEmpty() && args.get(0).equals(HELP))) {
      return new CliArguments(HELP, Optional.empty(), List.of(), 1, Optional.empty(), Map.of(), Optional.empty(),
          Path.of("template.yaml"), "127.0.0.1", DEFAULT_PORT,
          new Signatures(true, Optional.empty(), Optional.empty(), Optional.empty()));
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException(USAGE);
    }
    String command = args.get(0);
    if (!command.equals(INVOKE) && !command.equals(START_API)) {
      throw new IllegalArgumentException("Unknown command '" + command + "'\n" + USAGE);
    }
    String functionId = null;
    List<String> eventFiles = new ArrayList<>();
    int repeat = 1;
    Path envVarsFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    RedisUrl redisUrl = null;
    Path template = Path.of("template.yaml");
    String host = "127.0.0.1";
    int port = DEFAULT_PORT;
    boolean checkSignatures = true;
    Path credentialsFile = null;
    String profile = null;
    String region = null;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-e", "--event" -> eventFiles.add(value(args, ++i, arg));
        case "--repeat" -> repeat = number(value(args, ++i, arg), arg, 1, MAX_REPEAT);
        case "--redis-url" -> redisUrl = RedisUrl.parse(value(args, ++i, arg));
        case "--env-vars", "-n" -> envVarsFile = Path.of(value(args, ++i, arg));
        case "--template", "-t" -> template = Path.of(value(args, ++i, arg));
        case "--host" -> host = value(args, ++i, arg);
        case "--port", "-p" -> port = number(value(args, ++i, arg), "--port", 0, 65535);
        case "--no-auth" -> checkSignatures = false;
        case "--credentials-file" -> credentialsFile = Path.of(value(args, ++i, arg));
        case "--profile" -> profile = value(args, ++i, arg);
        case "--region" -> region = value(args, ++i, arg);
        case "--parameter-overrides" -> {
          value(args, i + 1, arg);
          while (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
            parseOverrides(args.get(++i), overrides);
          }
        }
        default -> {
          if (arg.startsWith("-") || functionId != null || !command.equals(INVOKE)) {
            throw new IllegalArgumentException("Unexpected argument '" + arg + "'\n" + USAGE);
          }
          functionId = arg;
        }
      }
    }
    if (command.equals(INVOKE) && functionId == null) {
      throw new IllegalArgumentException("invoke needs the function's logical id\n" + USAGE);
    }
    if (command.equals(START_API) && (!eventFiles.isEmpty() || repeat != 1)) {
      throw new IllegalArgumentException("-e and --repeat are for invoke; start-api takes HTTP requests\n" + USAGE);
    }
    if (eventFiles.stream().filter("-"::equals).count() > 1) {
      throw new IllegalArgumentException("-e - (the event from stdin) can be given once");
    }
    if (!checkSignatures && (credentialsFile != null || profile != null)) {
      throw new IllegalArgumentException("--no-auth checks no signature: drop --credentials-file and --profile");
    }
    return new CliArguments(command, Optional.ofNullable(functionId), eventFiles, repeat,
        Optional.ofNullable(envVarsFile), overrides, Optional.ofNullable(redisUrl), template, host, port,
        new Signatures(checkSignatures, Optional.ofNullable(credentialsFile), Optional.ofNullable(profile),
            Optional.ofNullable(region)));
  }

  /**
   * Accepts SAM's forms: {@code Name=Value}, several of them in one argument separated by spaces, and
   * {@code ParameterKey=Name,ParameterValue=Value}.
   */
  static void parseOverrides(String argument, Map<String, String> overrides) {
    for (String item : argument.trim().split("\\s+")) {
      if (item.startsWith("ParameterKey=")) {
        String[] parts = item.split(",ParameterValue=", 2);
        if (parts.length != 2) {
          throw new IllegalArgumentException("Cannot read parameter override '" + item + "'");
        }
        overrides.put(parts[0].substring("ParameterKey=".length()), parts[1]);
      } else {
        int equals = item.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("Parameter overrides look like Name=Value, got '" + item + "'");
        }
        overrides.put(item.substring(0, equals), item.substring(equals + 1));
      }
    }
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args.get(index);
  }

  private static int number(String text, String option, int min, int max) {
    try {
      int number = Integer.parseInt(text);
      if (number < min || number > max) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max + ", got '"
          + text + "'");
    }
  }
}
