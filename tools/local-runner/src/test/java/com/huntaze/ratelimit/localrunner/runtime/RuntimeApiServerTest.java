package com.huntaze.ratelimit.localrunner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Runtime API with this test in the role of the runtime interface client. */
class RuntimeApiServerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final RuntimeApiServer api;

  RuntimeApiServerTest() throws Exception {
    api = RuntimeApiServer.start("EchoFunction", 7);
  }

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void nextWaitsForAnEventAndHandsItOutWithLambdasHeaders() throws Exception {
    CompletableFuture<HttpResponse<String>> next = next();
    Thread.sleep(200);
    assertFalse(next.isDone(), "next blocks while there is no event");

    Invocation invocation = new Invocation("req-1", bytes("{\"a\":1}"));
    long before = System.currentTimeMillis();
    api.submit(invocation);
    HttpResponse<String> response = next.get(5, TimeUnit.SECONDS);

    assertEquals(200, response.statusCode());
    assertEquals("{\"a\":1}", response.body());
    assertEquals("req-1", header(response, "Lambda-Runtime-Aws-Request-Id"));
    assertEquals("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction",
        header(response, "Lambda-Runtime-Invoked-Function-Arn"));
    long deadline = Long.parseLong(header(response, "Lambda-Runtime-Deadline-Ms"));
    assertTrue(deadline >= before + 7000 && deadline <= System.currentTimeMillis() + 7000, "deadline " + deadline);
    assertTrue(header(response, "Lambda-Runtime-Trace-Id").matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"));
    assertEquals(deadline, invocation.deadline().get());
    assertTrue(api.firstPoll().isDone());
  }

  @Test
  void aResponseCompletesTheInvocation() throws Exception {
    Invocation invocation = new Invocation("req-2", bytes("{}"));
    api.submit(invocation);
    next().get(5, TimeUnit.SECONDS);

    HttpResponse<String> accepted = post("invocation/req-2/response", "{\"ok\":true}", null);

    assertEquals(202, accepted.statusCode());
    InvocationResult result = invocation.result().get(5, TimeUnit.SECONDS);
    assertFalse(result.functionError());
    assertEquals("{\"ok\":true}", result.payloadText());
  }

  @Test
  void anErrorCompletesTheInvocationAsFunctionError() throws Exception {
    Invocation invocation = new Invocation("req-3", bytes("{}"));
    api.submit(invocation);
    next().get(5, TimeUnit.SECONDS);

    post("invocation/req-3/error", "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}",
        "java.lang.RuntimeException");

    InvocationResult result = invocation.result().get(5, TimeUnit.SECONDS);
    assertTrue(result.functionError());
    assertEquals("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}", result.payloadText());
  }

  @Test
  void anUnknownRequestIdIsRejected() throws Exception {
    assertEquals(400, post("invocation/nope/response", "{}", null).statusCode());
  }

  @Test
  void anInitErrorFailsWaitingAndLaterInvocations() throws Exception {
    Invocation waiting = new Invocation("req-4", bytes("{}"));
    api.submit(waiting);

    assertEquals(202, post("init/error", "{\"errorMessage\":\"bad init\",\"errorType\":\"X\"}", "X").statusCode());

    assertEquals("{\"errorMessage\":\"bad init\",\"errorType\":\"X\"}",
        waiting.result().get(5, TimeUnit.SECONDS).payloadText());
    assertTrue(api.failed());
    Invocation later = new Invocation("req-5", bytes("{}"));
    api.submit(later);
    assertTrue(later.result().isDone() && later.result().get().functionError());
  }

  @Test
  void aFailureFailsTheInvocationInFlight() throws Exception {
    Invocation invocation = new Invocation("req-6", bytes("{}"));
    api.submit(invocation);
    next().get(5, TimeUnit.SECONDS);

    api.fail(InvocationResult.error("Runtime.ExitError", "Runtime exited with error: exit status 1"));

    assertEquals("{\"errorMessage\":\"Runtime exited with error: exit status 1\",\"errorType\":\"Runtime.ExitError\"}",
        invocation.result().get(5, TimeUnit.SECONDS).payloadText());
  }

  private CompletableFuture<HttpResponse<String>> next() {
    return client.sendAsync(HttpRequest.newBuilder(uri("invocation/next")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String errorType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (errorType != null) {
      request.header("Lambda-Runtime-Function-Error-Type", errorType);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
