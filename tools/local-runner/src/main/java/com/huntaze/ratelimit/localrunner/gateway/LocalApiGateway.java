package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.LocalFunction;
import com.huntaze.ratelimit.localrunner.runtime.TraceHeader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * sam local start-api: an HTTP API on host:port that turns each request into a payload 2.0 event for the
 * function of the matching route and its result back into an HTTP response, as API Gateway does.
 */
public final class LocalApiGateway implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalHttpServer server;
  private final RouteTable routes;
  private final Function<String, LocalFunction> functions;
  private final IamAuthorizer authorizer;
  private final PrintStream log;

  private LocalApiGateway(LocalHttpServer server, RouteTable routes, Function<String, LocalFunction> functions,
      IamAuthorizer authorizer, PrintStream log) {
    this.server = server;
    this.routes = routes;
    this.functions = functions;
    this.authorizer = authorizer;
    this.log = log;
  }

  /** Serves the routes on a server already bound (see {@link LocalHttpServer#bind}). */
  public static LocalApiGateway start(LocalHttpServer server, RouteTable routes,
      Function<String, LocalFunction> functions, IamAuthorizer authorizer, PrintStream log) {
    LocalApiGateway gateway = new LocalApiGateway(server, routes, functions, authorizer, log);
    server.serve(new LocalHttpServer.Exchange() {
      @Override
      public GatewayResponse respond(ReceivedRequest request, InetAddress client) {
        return gateway.handle(request, client);
      }

      @Override
      public GatewayResponse reject(BadHttpRequest problem, InetAddress client) {
        gateway.log.println("(unreadable request: " + problem.getMessage() + ") -> " + problem.status());
        return GatewayResponse.rejected(problem.status()).withHeader("apigw-requestid", requestId());
      }
    });
    return gateway;
  }

  int port() {
    return server.port();
  }

  public String baseUrl() {
    String host = server.host();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public void close() {
    server.close();
  }

  private GatewayResponse handle(ReceivedRequest received, InetAddress client) {
    GatewayRequest request = request(received, client);
    GatewayResponse response = respond(request).withHeader("apigw-requestid", request.requestId());
    log.println(request.method() + " " + request.rawPath() + " -> " + response.status());
    return response;
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

  private GatewayRequest request(ReceivedRequest received, InetAddress client) {
    return new GatewayRequest(
        received.method(),
        received.target().rawPath(),
        received.target().rawQueryString(),
        received.headers(),
        received.body(),
        client.getHostAddress(),
        server.host() + ":" + port(),
        port(),
        requestId(),
        TraceHeader.random(),
        Instant.now());
  }

  /** An id shaped like API Gateway's (e.g. "JKJaXmPLvHcESHA="). */
  private static String requestId() {
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }
}
