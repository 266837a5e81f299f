package com.huntaze.ratelimit.doctor;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** The command line: {@code doctor [--config-env dev|prod] [--cache id] [--stack name] [--json] ...}. */
public record Options(String configEnv, Path samconfig, Optional<String> cache, Optional<String> stack,
    Optional<String> region, Optional<URI> endpointUrl, Optional<String> profile, boolean json, boolean help) {

  public static final String USAGE = String.join(System.lineSeparator(),
      "usage: doctor [options]",
      "  --config-env ENV     samconfig.toml environment whose parameter_overrides are checked (default: prod)",
      "  --samconfig FILE     the samconfig.toml to read (default: ./samconfig.toml)",
      "  --cache ID           the replication group id (default: the one whose endpoint is CacheEndpoint)",
      "  --stack NAME         also check the deployed stack (status, outputs, alarms); '-' = samconfig's stack_name",
      "  --region REGION      AWS region (default: samconfig's region, then the SDK's default chain)",
      "  --profile NAME       AWS credentials profile",
      "  --endpoint-url URL   send every AWS call to this endpoint (moto_server, LocalStack)",
      "  --json               findings as JSON instead of a table",
      "exit code: 0 when no finding fails, 1 when any fails, 2 on a usage error");

  public static Options parse(String... args) {
    String env = "prod";
    Path samconfig = Path.of("samconfig.toml");
    Optional<String> cache = Optional.empty();
    Optional<String> stack = Optional.empty();
    Optional<String> region = Optional.empty();
    Optional<URI> endpoint = Optional.empty();
    Optional<String> profile = Optional.empty();
    boolean json = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--json" -> json = true;
        case "-h", "--help" -> help = true;
        case "--config-env" -> env = value(args, ++i, arg);
        case "--samconfig" -> samconfig = Path.of(value(args, ++i, arg));
        case "--cache" -> cache = Optional.of(value(args, ++i, arg));
        case "--stack" -> stack = Optional.of(value(args, ++i, arg));
        case "--region" -> region = Optional.of(value(args, ++i, arg));
        case "--profile" -> profile = Optional.of(value(args, ++i, arg));
        case "--endpoint-url" -> endpoint = Optional.of(URI.create(value(args, ++i, arg)));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(env, samconfig, cache, stack, region, endpoint, profile, json, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
