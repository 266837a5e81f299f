package com.huntaze.ratelimit.localrunner.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test function (packaged into a jar by the tests, run by the real runtime interface client): echoes its
 * input with what it sees of its environment. {"action": "fail" | "sleep" | "exit" | "big" | "ping"}
 * makes it throw, sleep {"millis"}, exit the JVM, answer 100 KB, or PING Redis (after AUTH with the
 * password of REDIS_PASSWORD_FILE, when there is one).
 */
public class EchoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final long STARTED_AT = System.nanoTime(); // tells warm from cold processes

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    String action = String.valueOf(input.get("action"));
    System.out.println("echo handler got " + input);
    switch (action) {
      case "fail":
        throw new IllegalStateException("boom");
      case "sleep":
        sleep(((Number) input.get("millis")).longValue());
        break;
      case "exit":
        System.exit(3);
        break;
      default:
        break;
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("input", input);
    output.put("greeting", System.getenv("GREETING"));
    output.put("extra", System.getenv("EXTRA"));
    output.put("functionName", context.getFunctionName());
    output.put("functionArn", context.getInvokedFunctionArn());
    output.put("memoryLimitInMB", context.getMemoryLimitInMB());
    output.put("requestId", context.getAwsRequestId());
    output.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
    output.put("classLoader", getClass().getClassLoader().getClass().getName());
    output.put("userDir", System.getProperty("user.dir"));
    output.put("instance", STARTED_AT);
    output.put("testProperty", System.getProperty("local.runner.test"));
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : new String[] {"REDIS_HOST", "REDIS_PORT", "REDIS_TLS", "REDIS_CLUSTER_MODE",
        "REDIS_AUTH_MODE", "REDIS_USER", "REDIS_PASSWORD_FILE", "REDIS_AUTH_SECRET_ID", "REDIS_PASSWORD", "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "_HANDLER",
        "LAMBDA_TASK_ROOT", "TZ", "AWS_ACCESS_KEY_ID", "HOME", "RATE_LIMIT_PLANS", "JAVA_TOOL_OPTIONS"}) {
      env.put(name, System.getenv(name));
    }
    output.put("env", env);
    String passwordFile = System.getenv("REDIS_PASSWORD_FILE");
    String password = passwordFile == null ? null : read(Path.of(passwordFile));
    if (password != null) {
      output.put("passwordFilePermissions", permissions(Path.of(passwordFile)));
      output.put("passwordInEnvironment", System.getenv().values().stream().anyMatch(v -> v.contains(password)));
    }
    if (action.equals("ping")) {
      output.put("redisPing", ping(System.getenv("REDIS_HOST"), Integer.parseInt(System.getenv("REDIS_PORT")),
          System.getenv("REDIS_USER"), password));
    }
    if (action.equals("big")) {
      output.put("big", "x".repeat(100_000));
    }
    return output;
  }

  private static String ping(String host, int port, String user, String password) {
    try (Socket socket = new Socket(host, port)) {
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      if (password != null) {
        out.write(("AUTH " + (user == null ? "" : user + " ") + password + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String auth = in.readLine();
        if (!auth.equals("+OK")) {
          return "AUTH failed: " + auth;
        }
      }
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return in.readLine();
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (IOException e) {
      return "unknown: " + e;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
