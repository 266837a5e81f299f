package com.huntaze.ratelimit.localrunner.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.localrunner.runtime.InvocationResult;
import com.huntaze.ratelimit.localrunner.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP response API Gateway makes of a Lambda result, payload format 2.0: an object with statusCode
 * gives that status, headers, cookies (one Set-Cookie each) and body (base64-decoded when
 * isBase64Encoded); any other JSON is a 200 application/json with that JSON as the body; a function
 * error or an unusable response is a 500 {"message":"Internal Server Error"}.
 */
record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {
  static final byte[] INTERNAL_SERVER_ERROR =
      "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] NOT_FOUND = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] BAD_REQUEST = "{\"message\":\"Bad Request\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] PAYLOAD_TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8);

  GatewayResponse {
    headers = Headers.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  static GatewayResponse notFound() {
    return json(404, NOT_FOUND);
  }

  /** API Gateway's answer to a request its IAM authorization refused. */
  static GatewayResponse forbidden(Authorization.Refused refused) {
    byte[] body = Json.bytes(Map.of("message", refused.message()));
    return new GatewayResponse(403, Map.of("Content-Type", List.of("application/json"),
        "x-amzn-ErrorType", List.of(refused.errorType())), body);
  }

  static GatewayResponse internalServerError() {
    return json(500, INTERNAL_SERVER_ERROR);
  }

  /** What API Gateway answers a request it cannot read: no route or function sees it. */
  static GatewayResponse rejected(int status) {
    return status == BadHttpRequest.PAYLOAD_TOO_LARGE ? json(status, PAYLOAD_TOO_LARGE) : json(400, BAD_REQUEST);
  }

  /** This response with one more header line. */
  GatewayResponse withHeader(String name, String value) {
    Map<String, List<String>> more = new LinkedHashMap<>(headers);
    more.merge(name, List.of(value), (existing, added) -> {
      List<String> both = new ArrayList<>(existing);
      both.addAll(added);
      return both;
    });
    return new GatewayResponse(status, more, body);
  }

  static GatewayResponse fromInvocation(InvocationResult result) {
    if (result.functionError()) {
      return internalServerError();
    }
    JsonNode response;
    try {
      response = Json.parse(result.payload());
    } catch (IOException e) {
      return internalServerError();
    }
    if (response == null || !response.isObject() || !response.has("statusCode")) {
      return json(200, result.payload());
    }
    try {
      return fromStructured(response);
    } catch (IllegalArgumentException e) {
      return internalServerError(); // e.g. a statusCode that is no number, a body that is no base64
    }
  }

  private static GatewayResponse fromStructured(JsonNode response) {
    JsonNode statusNode = response.get("statusCode");
    int status = statusNode.isNumber() ? statusNode.asInt() : Integer.parseInt(statusNode.asText());
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("statusCode " + status);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    JsonNode headerNode = response.path("headers");
    headerNode.fieldNames().forEachRemaining(name -> headers.put(name, List.of(headerNode.get(name).asText())));
    List<String> cookies = new ArrayList<>();
    response.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
    if (!cookies.isEmpty()) {
      headers.put("Set-Cookie", cookies);
    }
    JsonNode bodyNode = response.get("body");
    String bodyText = bodyNode == null || bodyNode.isNull() ? ""
        : bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
    byte[] body = response.path("isBase64Encoded").asBoolean(false)
        ? Base64.getDecoder().decode(bodyText)
        : bodyText.getBytes(StandardCharsets.UTF_8);
    return new GatewayResponse(status, headers, body);
  }

  private static GatewayResponse json(int status, byte[] body) {
    return new GatewayResponse(status, Map.of("Content-Type", List.of("application/json")), body);
  }
}
