package com.huntaze.ratelimit.function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as API Gateway (HTTP API, payload 2.0) hands it over: method, path without a named
 * stage's prefix, path parameters of the matched route, query, headers and body bytes.
 */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final Map<String, String> gatewayParameters;
  private final Map<String, String> pathParameters;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final String body;
  private final boolean base64;
  private final String caller;

  private HttpRequest(String method, String path, Map<String, String> gatewayParameters,
      Map<String, String> pathParameters, Map<String, String> query, Map<String, String> headers, String body,
      boolean base64, String caller) {
    this.method = method;
    this.path = path;
    this.gatewayParameters = gatewayParameters;
    this.pathParameters = pathParameters;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.base64 = base64;
    this.caller = caller;
  }

  /** The request of an HTTP API event, or empty for an event without one (a direct invocation). */
  static Optional<HttpRequest> of(APIGatewayV2HTTPEvent event) {
    APIGatewayV2HTTPEvent.RequestContext context = event == null ? null : event.getRequestContext();
    if (context == null || context.getHttp() == null) {
      return Optional.empty();
    }
    String method = context.getHttp().getMethod() == null ? "" : context.getHttp().getMethod();
    String path = event.getRawPath() != null ? event.getRawPath() : context.getHttp().getPath();
    return Optional.of(new HttpRequest(method, withoutStage(path, context.getStage()),
        orEmpty(event.getPathParameters()), Map.of(), orEmpty(event.getQueryStringParameters()),
        lowerCaseNames(event.getHeaders()), event.getBody(), event.getIsBase64Encoded(), iamCaller(context)));
  }

  /** The IAM principal API Gateway authorized (IAM authorization), as its ARN. */
  private static String iamCaller(APIGatewayV2HTTPEvent.RequestContext context) {
    if (context.getAuthorizer() == null || context.getAuthorizer().getIam() == null) {
      return null;
    }
    return context.getAuthorizer().getIam().getUserArn();
  }

  /** A request with no headers, query or body, e.g. what a direct invocation stands for. */
  static HttpRequest of(String method, String path) {
    return new HttpRequest(method, path, Map.of(), Map.of(), Map.of(), Map.of(), null, false, null);
  }

  HttpRequest withPathParameters(Map<String, String> parameters) {
    return new HttpRequest(method, path, gatewayParameters, Map.copyOf(parameters), query, headers, body, base64,
        caller);
  }

  /** A path parameter as API Gateway decoded it for its own route, if it has one by that name. */
  Optional<String> gatewayPathParameter(String name) {
    return Optional.ofNullable(gatewayParameters.get(name));
  }

  /** Who called: the IAM principal's ARN from the request context, when API Gateway authorized one. */
  public Optional<String> caller() {
    return Optional.ofNullable(caller);
  }

  public String method() {
    return method;
  }

  /** The path without a named stage's prefix and without a trailing slash, e.g. {@code /v1/check}. */
  public String path() {
    return path;
  }

  /** A parameter of the matched route's pattern, e.g. {@code creatorId} of {@code /v1/limits/{creatorId}}. */
  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the route has no path parameter " + name);
    }
    return value;
  }

  /** A query parameter, as API Gateway decoded it; empty when absent or empty. */
  public Optional<String> query(String name) {
    String value = query.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** A header, by case-insensitive name. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The body of a JSON route: 415 unless the Content-Type (if any) is JSON; then {@link #body(int)}. */
  public byte[] jsonBody(int maxBytes) {
    String header = headers.get("content-type");
    String type = header == null ? "" : header.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("application/json") && !type.endsWith("+json")) {
      throw new ProblemException(new Problem(415, "unsupported-media-type", "Unsupported media type",
          "send the body as application/json, not " + type, null));
    }
    return body(maxBytes);
  }

  /** The body's bytes (base64-decoded when API Gateway says so; empty when there is none), 413 past maxBytes. */
  public byte[] body(int maxBytes) {
    byte[] bytes = body == null ? new byte[0] : base64 ? decodeBase64(body) : utf8(body);
    if (bytes.length > maxBytes) {
      throw new ProblemException(new Problem(413, "body-too-large", "Body too large",
          "the body is " + bytes.length + " bytes; this route accepts at most " + maxBytes + " bytes", null));
    }
    return bytes;
  }

  private static byte[] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("malformed-body", "the body is marked base64-encoded but is not valid base64",
          null);
    }
  }

  /** The text's UTF-8 bytes; text that has no UTF-8 form (an unpaired surrogate) is refused. */
  private static byte[] utf8(String text) {
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
      byte[] array = new byte[bytes.remaining()];
      bytes.get(array);
      return array;
    } catch (CharacterCodingException e) {
      throw ProblemException.badRequest("malformed-body",
          "the body is not valid Unicode text: it contains an unpaired surrogate character", null);
    }
  }

  /** A stage other than $default prefixes the path: /dev/v1/check. */
  private static String withoutStage(String rawPath, String stage) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    if (stage != null && !stage.equals("$default") && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
    Map<String, String> names = new HashMap<>();
    if (headers != null) {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        if (header.getKey() != null && header.getValue() != null) {
          names.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
        }
      }
    }
    return names;
  }
}
