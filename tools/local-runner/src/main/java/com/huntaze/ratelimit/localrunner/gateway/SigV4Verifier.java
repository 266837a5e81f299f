package com.huntaze.ratelimit.localrunner.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's Signature Version 4 (Authorization header) as an HTTP API with IAM authorization
 * does, against the local credentials, and refuses with API Gateway's messages. Permissions are not
 * checked: every valid signature may call every route, as an admin would.
 */
final class SigV4Verifier {
  static final String SERVICE = "execute-api";
  static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you "
      + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
  static final String INVALID_TOKEN = "The security token included in the request is invalid.";

  private final Map<String, LocalCredentials> credentials = new LinkedHashMap<>();
  private final String region;

  SigV4Verifier(List<LocalCredentials> accepted, String region) {
    accepted.forEach(c -> credentials.putIfAbsent(c.accessKeyId(), c));
    this.region = region;
  }

  Authorization authorize(GatewayRequest request) {
    String header = CanonicalRequest.headerValue(request.headers(), "authorization");
    if (header.isEmpty()) {
      return new Authorization.Refused("ForbiddenException", "Forbidden");
    }
    Map<String, String> parts = parts(header);
    String amzDate = CanonicalRequest.headerValue(request.headers(), "x-amz-date");
    String incomplete = incomplete(header, parts, amzDate);
    if (!incomplete.isEmpty()) {
      return new Authorization.Refused("IncompleteSignatureException", incomplete);
    }
    String[] scope = parts.get("Credential").split("/");
    LocalCredentials key = credentials.get(scope[0]);
    String token = CanonicalRequest.headerValue(request.headers(), "x-amz-security-token");
    if (key == null || !key.sessionToken().orElse("").equals(token)) {
      return new Authorization.Refused("UnrecognizedClientException", INVALID_TOKEN);
    }
    Optional<String> refusal = scopeOrTimeProblem(scope, amzDate, request.time());
    if (refusal.isPresent()) {
      return new Authorization.Refused("InvalidSignatureException", refusal.get());
    }
    List<String> signedHeaders = Arrays.asList(parts.get("SignedHeaders").split(";"));
    if (!signedHeaders.contains("host")) {
      return new Authorization.Refused("InvalidSignatureException",
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    String canonical = CanonicalRequest.of(request.method(), request.rawPath(), request.rawQueryString(),
        request.headers(), signedHeaders, hex(sha256(request.body())));
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", Arrays.copyOfRange(scope, 1, 5))
        + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] expected = hmac(signingKey(key.secretAccessKey(), scope[1]), stringToSign);
    byte[] given = parseHex(parts.get("Signature"));
    if (given == null || !MessageDigest.isEqual(expected, given)) {
      return new Authorization.Refused("InvalidSignatureException", SIGNATURE_MISMATCH);
    }
    return new Authorization.Allowed(Optional.of(CallerIdentity.of(key)));
  }

  /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} into its named parts. */
  private static Map<String, String> parts(String header) {
    Map<String, String> parts = new LinkedHashMap<>();
    if (!header.startsWith(ALGORITHM + " ")) {
      return parts;
    }
    for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
      int equals = part.indexOf('=');
      if (equals > 0) {
        parts.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
      }
    }
    return parts;
  }

  private static String incomplete(String header, Map<String, String> parts, String amzDate) {
    StringBuilder missing = new StringBuilder();
    for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
      if (parts.getOrDefault(name, "").isEmpty()) {
        missing.append("Authorization header requires '").append(name).append("' parameter. ");
      }
    }
    if (amzDate.isEmpty()) {
      missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (missing.isEmpty() && parts.get("Credential").split("/").length != 5) {
      missing.append("Credential should have 5 parts (key/date/region/service/aws4_request). ");
    }
    return missing.isEmpty() ? "" : missing.append("Authorization=").append(header.split(" ", 2)[0]).toString();
  }

  private Optional<String> scopeOrTimeProblem(String[] scope, String amzDate, Instant now) {
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return Optional.of("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
    }
    if (!scope[1].equals(amzDate.substring(0, 8))) {
      return Optional.of("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
          + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
    }
    if (!scope[2].equals(region)) {
      return Optional.of("Credential should be scoped to a valid region. ");
    }
    if (!scope[3].equals(SERVICE) || !scope[4].equals("aws4_request")) {
      return Optional.of("Credential should be scoped to correct service: '" + SERVICE + "'. ");
    }
    if (signedAt.isBefore(now.minus(ALLOWED_SKEW))) {
      return Optional.of("Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(ALLOWED_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
    }
    if (signedAt.isAfter(now.plus(ALLOWED_SKEW))) {
      return Optional.of("Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(ALLOWED_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
    }
    return Optional.empty();
  }

  private byte[] signingKey(String secret, String date) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, SERVICE);
    return hmac(key, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] parseHex(String text) {
    try {
      return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
