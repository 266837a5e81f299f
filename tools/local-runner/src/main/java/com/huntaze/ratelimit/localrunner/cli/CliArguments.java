package com.huntaze.ratelimit.localrunner.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line, parsed:
 * {@code invoke <LogicalId> [-e|--event file|-] [--env-vars file] [--parameter-overrides K=V ...] [--template file]}
 * or {@code start-api [--host 127.0.0.1] [--port 3000] [--env-vars file] [--parameter-overrides K=V ...] [--template file]}.
 */
record CliArguments(
    String command,
    Optional<String> functionId,
    Optional<String> eventFile,
    Optional<Path> envVarsFile,
    Map<String, String> parameterOverrides,
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
  static final String USAGE = String.join("\n",
      "Usage:",
      "  tools/local invoke <LogicalId> [-e|--event file.json|-] [--env-vars env.json]",
      "                     [--parameter-overrides Name=Value ...] [--template template.yaml]",
      "  tools/local start-api [--host 127.0.0.1] [--port 3000] [--env-vars env.json]",
      "                     [--parameter-overrides Name=Value ...] [--template template.yaml]",
      "                     [--no-auth | --credentials-file file [--profile name]] [--region us-east-1]",
      "",
      "Runs the template's functions like sam local, without Docker: the packaged jar (CodeUri) on the",
      "Lambda Runtime Interface Client in a separate JVM. Function logs go to stderr.",
      "--env-vars takes SAM's format {\"LogicalId\": {...}, \"Parameters\": {...}}; unlike SAM it also adds",
      "variables the template does not declare.",
      "Redis: REDIS_HOST/REDIS_PORT/REDIS_TLS/REDIS_* from your environment if REDIS_HOST is set,",
      "otherwise a local redis-server is started for the run.",
      "start-api checks SigV4 signatures (service execute-api) as the deployed API's IAM authorization does:",
      "against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the shared credentials file's profile, or the",
      "--credentials-file profile alone, else the local pair local-dev/local-dev-secret; unsigned or wrongly",
      "signed requests get API Gateway's 403. --no-auth lets every request in (plain curl).");

  CliArguments {
    parameterOverrides = Map.copyOf(parameterOverrides);
  }

  /** @throws IllegalArgumentException with a message for the user */
  static CliArguments parse(List<String> args) {
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help")) {
      throw new IllegalArgumentException(USAGE);
    }
    String command = args.get(0);
    if (!command.equals(INVOKE) && !command.equals(START_API)) {
      throw new IllegalArgumentException("Unknown command '" + command + "'\n" + USAGE);
    }
    String functionId = null;
    String eventFile = null;
    Path envVarsFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    Path template = Path.of("template.yaml");
    String host = "127.0.0.1";
    int port = 3000;
    boolean checkSignatures = true;
    Path credentialsFile = null;
    String profile = null;
    String region = null;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-e", "--event" -> eventFile = value(args, ++i, arg);
        case "--env-vars", "-n" -> envVarsFile = Path.of(value(args, ++i, arg));
        case "--template", "-t" -> template = Path.of(value(args, ++i, arg));
        case "--host" -> host = value(args, ++i, arg);
        case "--port", "-p" -> port = port(value(args, ++i, arg));
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
        case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
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
    if (!checkSignatures && (credentialsFile != null || profile != null)) {
      throw new IllegalArgumentException("--no-auth checks no signature: drop --credentials-file and --profile");
    }
    return new CliArguments(command, Optional.ofNullable(functionId), Optional.ofNullable(eventFile),
        Optional.ofNullable(envVarsFile), overrides, template, host, port, new Signatures(checkSignatures,
            Optional.ofNullable(credentialsFile), Optional.ofNullable(profile), Optional.ofNullable(region)));
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

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a port number, got '" + text + "'");
    }
  }
}
