package com.huntaze.ratelimit.doctor;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * {@code doctor}: checks an AWS account (the cache, the function subnets and their routes, the security
 * groups, TLS and auth) against what template.yaml needs, before and after {@code sam deploy}.
 */
public final class Doctor {
  private Doctor() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err,
        o -> new AwsClients(o.region(), o.options().profile(), o.options().endpointUrl())));
  }

  /** What the clients are built from: the options and the region the doctor settled on. */
  public record ClientSpec(Options options, Region region) {
  }

  /** Runs the doctor; the answer is the exit code (0 no fail, 1 a fail, 2 a usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err, Function<ClientSpec, AwsClients> clients) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("doctor: " + e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(Options.USAGE);
      return 0;
    }
    Report report = new Report();
    SamConfig config = Files.isRegularFile(options.samconfig()) ? SamConfig.read(options.samconfig()) : SamConfig.parse("");
    Map<String, String> values = config.parameters(options.configEnv());
    if (!config.hasEnvironment(options.configEnv())) {
      report.add(Finding.fail("samconfig", "no [" + options.configEnv() + ".deploy.parameters] in " + options.samconfig()
          + ": nothing to check the account against", "run from the project root or pass --samconfig, and --config-env dev|prod"));
    } else {
      report.add(Finding.pass("samconfig", options.samconfig() + " [" + options.configEnv() + "]: " + values.size()
          + " parameters"));
    }
    Region region = Region.of(options.region().or(() -> config.setting(options.configEnv(), "region"))
        .orElseGet(() -> Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1")));
    try (AwsClients aws = clients.apply(new ClientSpec(options, region))) {
      diagnose(new Context(options, new Parameters(values), aws), config, report);
    }
    out.print(options.json() ? report.json() : report.table());
    return report.exitCode();
  }

  static void diagnose(Context context, SamConfig config, Report report) {
    Finding identity = new IdentityCheck(context).run();
    report.add(identity);
    if (identity.status() == Status.FAIL) {
      return;
    }
    Optional<String> stackName = context.options().stack()
        .map(s -> s.equals("-") ? config.setting(context.env(), "stack_name").orElse(s) : s);
    StackCheck.Outcome stack = stackName.map(name -> guarded("stack", () -> new StackCheck(context).run(name),
        f -> new StackCheck.Outcome(List.of(f), Map.of()))).orElse(null);
    CacheCheck.Outcome cache = guarded("cache", () -> new CacheCheck(context).run(),
        f -> new CacheCheck.Outcome(List.of(f), Optional.empty()));
    report.addAll(cache.findings());
    report.addAll(guarded("subnets", () -> new SubnetCheck(context).run(cache.cache()), List::of));
    Optional<String> functionGroup = Optional.ofNullable(stack).map(s -> s.outputs().get("FunctionSecurityGroupId"));
    report.addAll(guarded("sg", () -> new SecurityGroupCheck(context).run(cache.cache(), functionGroup), List::of));
    report.addAll(guarded("params", () -> new ParameterCheck(context).run(cache.cache()), List::of));
    if (stack != null) {
      report.addAll(stack.findings());
    } else {
      report.add(Finding.skipped("stack", "no --stack given: the deployed stack (status, outputs, alarms) not checked"));
    }
  }

  /** A check family that an AWS error (a missing permission, a throttle) turns into one failed finding. */
  private static <T> T guarded(String family, Supplier<T> check, Function<Finding, T> onError) {
    try {
      return check.get();
    } catch (SdkException e) {
      return onError.apply(Finding.fail(family + ".error", "the " + family + " checks stopped: " + e.getMessage(),
          "the doctor needs read access: ec2:Describe*, elasticache:Describe*, cloudformation:Describe*,"
              + " cloudwatch:DescribeAlarms (e.g. the ReadOnlyAccess managed policy)"));
    }
  }
}
