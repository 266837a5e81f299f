package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunction;
import com.huntaze.ratelimit.localrunner.runtime.TraceHeader;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * sam local start-api: an HTTP API on host:port that turns each request into a payload 2.0 event for the
 * function of the matching route and its result back into an HTTP response, as API Gateway does.
 */
public final class LocalApiGateway implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService executor;
  private final RouteTable routes;
  private final Function<String, LocalFunction> functions;
  private final IamAuthorizer authorizer;
  private final String host;
  private final PrintStream log;

  private LocalApiGateway(HttpServer server, ExecutorService executor, RouteTable routes,
      Function<String, LocalFunction> functions, IamAuthorizer authorizer, String host, PrintStream log) {
    this.server = server;
    this.executor = executor;
    this.routes = routes;
    this.functions = functions;
    this.authorizer = authorizer;
    this.host = host;
    this.log = log;
  }

  /** {@code port} 0 picks a free one. */
  public static LocalApiGateway start(String host, int port, RouteTable routes, Function<String, LocalFunction> functions,
      IamAuthorizer authorizer, PrintStream log) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "local-api");
      thread.setDaemon(true);
      return thread;
    });
    LocalApiGateway gateway = new LocalApiGateway(server, executor, routes, functions, authorizer, host, log);
    server.createContext("/", gateway::handle);
    server.setExecutor(executor);
    server.start();
    return gateway;
  }

  int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      GatewayRequest request = request(exchange);
      GatewayResponse response = respond(request);
      exchange.getResponseHeaders().add("apigw-requestid", request.requestId());
      write(exchange, response);
      log.println(request.method() + " " + request.rawPath() + " -> " + response.status());
    }
  }

  private GatewayResponse respond(GatewayRequest request) {
    Optional<RouteTable.Match> match = routes.match(request.method(), request.rawPath());
    if (match.isEmpty()) {
      return GatewayResponse.notFound();
    }
    Authorization authorization = authorizer.authorize(request);
    if (authorization instanceof Authorization.Refused refused) {
      return GatewayResponse.forbidden(refused);
    }
    try {
      LocalFunction function = functions.apply(match.get().route().functionId());
      InvocationResult result = function.invoke(HttpApiEvents.eventJson(request, match.get(),
          ((Authorization.Allowed) authorization).caller()));
      if (result.functionError()) {
        log.println(match.get().route().functionId() + " failed: " + result.payloadText());
      }
      return GatewayResponse.fromInvocation(result);
    } catch (RuntimeException e) {
      log.println("Cannot invoke " + match.get().route().functionId() + ": " + e);
      return GatewayResponse.internalServerError();
    }
  }

  private GatewayRequest request(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
    return new GatewayRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        exchange.getRequestURI().getRawQuery(),
        headers,
        body,
        exchange.getRemoteAddress().getAddress().getHostAddress(),
        host + ":" + port(),
        port(),
        requestId(),
        TraceHeader.random(),
        Instant.now());
  }

  private static void write(HttpExchange exchange, GatewayResponse response) throws IOException {
    response.headers().forEach((name, values) -> values.forEach(value -> exchange.getResponseHeaders().add(name, value)));
    byte[] body = response.body();
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** An id shaped like API Gateway's (e.g. "JKJaXmPLvHcESHA="). */
  private static String requestId() {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }
}
