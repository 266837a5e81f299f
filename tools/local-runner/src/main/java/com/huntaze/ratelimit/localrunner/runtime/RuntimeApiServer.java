package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localrunner.template.PseudoParameters;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API (2018-06-01) of one execution environment, on 127.0.0.1 and a free port:
 * {@code GET /runtime/invocation/next} blocks until an event is submitted, then hands it out with the
 * Lambda-Runtime-* headers; {@code POST /runtime/invocation/{id}/response|error} and
 * {@code POST /runtime/init/error} complete it. Once the environment failed (init error, process exit)
 * every pending and later invocation completes with that failure.
 */
final class RuntimeApiServer implements AutoCloseable {
  private static final String PREFIX = "/2018-06-01/runtime/";

  static {
    // The runtime client keeps its connection alive; without TCP_NODELAY each small answer waits ~40 ms
    // for the client's delayed ACK (Nagle). The JDK server reads this once, when its first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String functionArn;
  private final long timeoutMillis;
  private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
  private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
  private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
  private final Object lock = new Object();
  private InvocationResult failure;

  private RuntimeApiServer(HttpServer server, ExecutorService executor, String functionName, int timeoutSeconds) {
    this.server = server;
    this.executor = executor;
    this.functionArn = "arn:aws:lambda:" + PseudoParameters.REGION + ":" + PseudoParameters.ACCOUNT_ID
        + ":function:" + functionName;
    this.timeoutMillis = timeoutSeconds * 1000L;
  }

  static RuntimeApiServer start(String functionName, int timeoutSeconds) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // "next" blocks a thread until there is an event, so the server needs more than one thread
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "runtime-api-" + functionName);
      thread.setDaemon(true);
      return thread;
    });
    RuntimeApiServer api = new RuntimeApiServer(server, executor, functionName, timeoutSeconds);
    server.createContext(PREFIX, api::handle);
    server.setExecutor(executor);
    server.start();
    return api;
  }

  /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Completes (with System.nanoTime()) when the runtime first asks for an event: its init is done. */
  CompletableFuture<Long> firstPoll() {
    return firstPoll;
  }

  void submit(Invocation invocation) {
    synchronized (lock) {
      if (failure != null) {
        invocation.result().complete(failure);
      } else {
        queued.add(invocation);
      }
    }
  }

  /** The environment is broken: fail what waits now and what comes later (the first failure wins). */
  void fail(InvocationResult result) {
    List<Invocation> pending = new ArrayList<>();
    synchronized (lock) {
      if (failure == null) {
        failure = result;
      }
      queued.drainTo(pending);
      pending.addAll(inFlight.values());
      inFlight.clear();
    }
    pending.forEach(invocation -> invocation.result().complete(failure));
  }

  boolean failed() {
    synchronized (lock) {
      return failure != null;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow(); // interrupts "next" requests still waiting for an event
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals("invocation/next")) {
        next(exchange);
      } else if (method.equals("POST") && path.equals("init/error")) {
        byte[] body = readBody(exchange);
        fail(InvocationResult.error(errorPayload(exchange, body)));
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else if (method.equals("POST") && path.startsWith("invocation/")
          && (path.endsWith("/response") || path.endsWith("/error"))) {
        String[] parts = path.split("/");
        answer(exchange, parts[1], parts[2].equals("error"));
      } else {
        respond(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"NotFound\"}");
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    firstPoll.complete(System.nanoTime());
    Invocation invocation;
    try {
      invocation = queued.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the environment is closing
      return;
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (lock) {
      if (failure != null) { // failed while this request waited
        invocation.result().complete(failure);
        return;
      }
      inFlight.put(invocation.requestId(), invocation);
    }
    invocation.deadline().complete(deadline);
    byte[] event = invocation.event();
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
    exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
    exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", TraceHeader.random());
    exchange.sendResponseHeaders(200, event.length == 0 ? -1 : event.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(event);
    }
  }

  private void answer(HttpExchange exchange, String requestId, boolean error) throws IOException {
    byte[] body = readBody(exchange);
    Invocation invocation = inFlight.remove(requestId);
    if (invocation == null) {
      respond(exchange, 400, "{\"errorMessage\":\"Invalid request ID: " + requestId
          + "\",\"errorType\":\"InvalidRequestID\"}");
      return;
    }
    invocation.result().complete(error
        ? InvocationResult.error(errorPayload(exchange, body))
        : InvocationResult.success(body));
    respond(exchange, 202, "{\"status\":\"OK\"}");
  }

  /** The runtime's error object; when it sent none, one made from the error-type header. */
  private static byte[] errorPayload(HttpExchange exchange, byte[] body) {
    if (body.length > 0) {
      return body;
    }
    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    return Json.error(type == null ? "Runtime.Unknown" : type, "The runtime reported an error without details");
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
