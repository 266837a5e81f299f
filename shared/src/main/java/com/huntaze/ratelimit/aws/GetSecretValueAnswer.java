package com.huntaze.ratelimit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.huntaze.ratelimit.json.InvalidJsonException;
import com.huntaze.ratelimit.json.StrictJson;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One HTTP answer to GetSecretValue (AWS JSON 1.1 protocol): the secret string, or a reason in our own words
 * plus at most AWS's own error message. An error's code is the X-Amzn-ErrorType header or else the body's
 * "__type", without a ":details" suffix or a "namespace#" prefix; its text is the body's "message" or "Message".
 */
final class GetSecretValueAnswer {
  private static final int MAX_MESSAGE = 500;
  private final int status;
  private final Optional<String> errorCode;
  /** The body as a JSON object; empty when it is none (a proxy's HTML page, say). */
  private final Optional<JsonNode> json;

  GetSecretValueAnswer(int status, String errorTypeHeader, String body) {
    this.status = status;
    this.json = parse(body);
    this.errorCode = status == 200 ? Optional.empty() : code(errorTypeHeader)
        .or(() -> json.map(j -> j.get("__type")).filter(JsonNode::isTextual).flatMap(t -> code(t.textValue())));
  }

  Optional<String> errorCode() {
    return errorCode;
  }

  /** Worth another attempt: server errors and throttling, which the SDK retries too. */
  boolean retryable() {
    return status >= 500 || status == 429 || errorCode.filter("ThrottlingException"::equals).isPresent();
  }

  /** @throws UnreadableSecretException why this answer holds no secret string; never quotes the value */
  String secretString(String region) {
    if (status == 200) {
      JsonNode answer = json.orElseThrow(() -> new UnreadableSecretException(
          "the answer from Secrets Manager is not a JSON object"));
      JsonNode value = answer.get("SecretString");
      if (value != null && value.isTextual()) {
        return value.textValue();
      }
      if (answer.hasNonNull("SecretBinary")) {
        throw new UnreadableSecretException("it holds binary data; store the password as a secret string"
            + " (the token itself, or JSON {\"password\": \"...\"})");
      }
      throw new UnreadableSecretException("the answer from Secrets Manager holds no SecretString");
    }
    String code = errorCode.orElse(null);
    if ("ResourceNotFoundException".equals(code)) {
      throw new UnreadableSecretException("no such secret in region " + region + " (check the name or ARN"
          + " and the region)");
    }
    if ("DecryptionFailure".equals(code)) {
      throw new UnreadableSecretException(withAwsMessage("Secrets Manager cannot decrypt it with its KMS key;"
          + " the function's role needs kms:Decrypt on that key"));
    }
    if (status == 403 || "AccessDeniedException".equals(code)) {
      throw new UnreadableSecretException(withAwsMessage("access denied; the function's role needs"
          + " secretsmanager:GetSecretValue on this secret (and kms:Decrypt for a customer managed key)"));
    }
    throw new UnreadableSecretException(withAwsMessage(code != null ? code
        : "HTTP " + status + " without an AWS error code"));
  }

  /** Our sentence, then AWS's explanation when the answer has one (on one line, cut at MAX_MESSAGE). */
  private String withAwsMessage(String sentence) {
    return sentence + json.flatMap(j -> Stream.of("message", "Message").map(j::get)
            .filter(m -> m != null && m.isTextual()).map(JsonNode::textValue).findFirst())
        .map(m -> m.replaceAll("\\p{Cntrl}+", " ").strip())
        .filter(m -> !m.isEmpty())
        .map(m -> ": " + (m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m))
        .orElse("");
  }

  private static Optional<JsonNode> parse(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StrictJson.read(body)).filter(JsonNode::isObject);
    } catch (InvalidJsonException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> code(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    int details = raw.indexOf(':');
    String code = details >= 0 ? raw.substring(0, details) : raw;
    return Optional.of(code.substring(code.lastIndexOf('#') + 1).strip()).filter(c -> !c.isEmpty());
  }
}
