package com.huntaze.ratelimit.function.connectiontest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huntaze.ratelimit.function.Json;
import com.huntaze.ratelimit.jedis.RedisSettings;
import java.util.OptionalDouble;

/**
 * What one connection test found: facts about the connection, the steps that passed (in order) and,
 * if one failed, the first failure. {@link #toJson()} is the HTTP answer.
 */
record ProbeResult(ObjectNode connection, ObjectNode tests, Failure failure, OptionalDouble pingMillis,
    double totalMillis) {

  /** The step that failed, how, and what a person should check. */
  record Failure(String step, ErrorKind kind, String message, String hint) {
  }

  /** What the settings say about the connection; never the password, only the auth mode. */
  static ObjectNode connectionFacts(RedisSettings settings) {
    ObjectNode facts = Json.object()
        .put("host", settings.host())
        .put("port", settings.port())
        .put("tls", settings.tls());
    if (settings.tls()) {
      facts.put("verifyHostname", settings.verifyHostname());
    }
    facts.put("authMode", settings.authMode());
    settings.user().ifPresent(user -> facts.put("user", user));
    return facts.put("clusterMode", settings.clusterMode())
        .put("connectTimeoutMs", settings.connectTimeout().toMillis())
        .put("socketTimeoutMs", settings.socketTimeout().toMillis());
  }

  /** The configuration could not be read: nothing was tried, every invocation answers this. */
  static ProbeResult configurationFailure(String message) {
    Failure failure = new Failure("configuration", ErrorKind.CONFIGURATION, message,
        Hints.forFailure(ErrorKind.CONFIGURATION, message, null));
    return new ProbeResult(Json.object(), Json.object(), failure, OptionalDouble.empty(), 0);
  }

  boolean success() {
    return failure == null;
  }

  /** Redis refused the login itself (WRONGPASS, NOAUTH): the password is wrong, not a permission. */
  boolean loginRefused() {
    return failure != null && failure.kind() == ErrorKind.AUTH && failure.message() != null
        && (failure.message().contains("WRONGPASS") || failure.message().contains("NOAUTH"));
  }

  /** The same result, its failure's message followed by {@code note} (what happened to the secret). */
  ProbeResult withNote(String note) {
    Failure noted = new Failure(failure.step(), failure.kind(), failure.message() + " (" + note + ")",
        failure.hint());
    return new ProbeResult(connection, tests, noted, pingMillis, totalMillis);
  }

  int httpStatus() {
    return success() ? 200 : 503;
  }

  ObjectNode toJson() {
    ObjectNode body = Json.object().put("success", success());
    body.set("connection", connection);
    if (failure != null) {
      body.put("failedStep", failure.step());
      body.set("error", Json.object()
          .put("kind", failure.kind().name())
          .put("message", failure.message())
          .put("hint", failure.hint()));
      body.put("detail", failure.message());   // as in problem+json: the line a person reads first
    }
    body.set("tests", tests);
    body.put("totalDurationMs", totalMillis);
    return body;
  }
}
