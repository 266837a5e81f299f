package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.runtime.Json;
import com.huntaze.ratelimit.localrunner.runtime.Percent;
import com.huntaze.ratelimit.localrunner.template.PseudoParameters;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the event an API Gateway HTTP API sends a Lambda integration, payload format 2.0, as in
 * {@code sam local generate-event apigateway http-api-proxy}. Optional fields (cookies,
 * queryStringParameters, pathParameters, body) are left out when empty, as API Gateway does.
 */
final class HttpApiEvents {
  static final String API_ID = "local";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private HttpApiEvents() {
  }

  static byte[] eventJson(GatewayRequest request, RouteTable.Match match, Optional<CallerIdentity> caller) {
    return Json.bytes(event(request, match, caller));
  }

  static Map<String, Object> event(GatewayRequest request, RouteTable.Match match) {
    return event(request, match, Optional.empty());
  }

  static Map<String, Object> event(GatewayRequest request, RouteTable.Match match, Optional<CallerIdentity> caller) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", match.route().routeKey());
    event.put("rawPath", Percent.decode(request.rawPath()));   // API Gateway's HTTP APIs decode the path
    event.put("rawQueryString", request.rawQueryString());
    List<String> cookies = cookies(request);
    if (!cookies.isEmpty()) {
      event.put("cookies", cookies);
    }
    Map<String, String> headers = headers(request);
    event.put("headers", headers);
    Map<String, String> query = queryStringParameters(request.rawQueryString());
    if (!query.isEmpty()) {
      event.put("queryStringParameters", query);
    }
    event.put("requestContext", requestContext(request, match, headers, caller));
    byte[] body = request.body();
    boolean text = isText(headers.get("content-type"));
    if (body.length > 0) {
      event.put("body", text
          ? new String(body, StandardCharsets.UTF_8)
          : Base64.getEncoder().encodeToString(body));
    }
    if (!match.pathParameters().isEmpty()) {
      Map<String, String> parameters = new LinkedHashMap<>();
      match.pathParameters().forEach((name, value) -> parameters.put(name, Percent.decode(value)));
      event.put("pathParameters", parameters);
    }
    event.put("isBase64Encoded", body.length > 0 && !text);
    return event;
  }

  private static Map<String, Object> requestContext(GatewayRequest request, RouteTable.Match match,
      Map<String, String> headers, Optional<CallerIdentity> caller) {
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("method", request.method());
    http.put("path", Percent.decode(request.rawPath()));
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", PseudoParameters.ACCOUNT_ID);
    context.put("apiId", API_ID);
    caller.ifPresent(identity -> context.put("authorizer", Map.of("iam", iam(identity))));
    context.put("domainName", request.domainName());
    context.put("domainPrefix", domainPrefix(request.domainName()));
    context.put("http", http);
    context.put("requestId", request.requestId());
    context.put("routeKey", match.route().routeKey());
    context.put("stage", "$default");
    context.put("time", TIME.format(request.time()));
    context.put("timeEpoch", request.time().toEpochMilli());
    return context;
  }

  /** As API Gateway fills it for an IAM caller; the Cognito fields are null outside Cognito identity pools. */
  private static Map<String, Object> iam(CallerIdentity identity) {
    Map<String, Object> iam = new LinkedHashMap<>();
    iam.put("accessKey", identity.accessKey());
    iam.put("accountId", identity.accountId());
    iam.put("callerId", identity.callerId());
    iam.put("cognitoIdentity", null);
    iam.put("principalOrgId", null);
    iam.put("userArn", identity.userArn());
    iam.put("userId", identity.userId());
    return iam;
  }

  /** Lower-cased names, repeated headers joined with ",", cookies moved out, forwarding headers added. */
  private static Map<String, String> headers(GatewayRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals("cookie")) {
        headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
      }
    });
    headers.merge("x-forwarded-for", request.sourceIp(), (existing, ip) -> existing + ", " + ip);
    headers.putIfAbsent("x-forwarded-port", Integer.toString(request.port()));
    headers.putIfAbsent("x-forwarded-proto", "http");
    headers.putIfAbsent("x-amzn-trace-id", request.traceId());
    return headers;
  }

  private static List<String> cookies(GatewayRequest request) {
    List<String> cookies = new ArrayList<>();
    request.headers().forEach((name, values) -> {
      if (name.equalsIgnoreCase("cookie")) {
        for (String line : values) {
          for (String cookie : line.split(";")) {
            if (!cookie.isBlank()) {
              cookies.add(cookie.trim());
            }
          }
        }
      }
    });
    return cookies;
  }

  static Map<String, String> queryStringParameters(String rawQueryString) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQueryString.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQueryString.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.merge(name, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  /** API Gateway passes these bodies as text and base64-encodes all others. */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.equals("application/json") || type.endsWith("+json")
        || type.equals("application/xml") || type.endsWith("+xml")
        || type.equals("application/javascript");
  }

  private static String domainPrefix(String domainName) {
    String host = domainName.replaceFirst(":\\d+$", "");
    boolean ipAddress = host.matches("[0-9.]+") || host.contains(":");
    return ipAddress ? host : host.split("\\.", 2)[0];
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
