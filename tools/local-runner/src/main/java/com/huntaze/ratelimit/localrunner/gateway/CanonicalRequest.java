package com.huntaze.ratelimit.localrunner.gateway;

import com.huntaze.ratelimit.localrunner.runtime.Percent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a SigV4 canonical request as AWS services other than S3 build them: the path normalized
 * and URI-encoded once more, the query sorted and re-encoded, the signed headers with trimmed values.
 */
final class CanonicalRequest {
  private CanonicalRequest() {
  }

  static String of(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
      List<String> signedHeaders, String payloadHash) {
    StringBuilder canonical = new StringBuilder()
        .append(method).append('\n')
        .append(uri(rawPath)).append('\n')
        .append(query(rawQuery)).append('\n');
    for (String name : signedHeaders) {
      canonical.append(name).append(':').append(headerValue(headers, name)).append('\n');
    }
    return canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash)
        .toString();
  }

  /** "." and ".." resolved, empty segments dropped, then every byte but unreserved ones and "/" encoded. */
  static String uri(String rawPath) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : rawPath.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    String normalized = "/" + String.join("/", segments)
        + (!segments.isEmpty() && rawPath.endsWith("/") ? "/" : "");
    return encode(normalized, true);
  }

  /** Name=value pairs, each decoded and encoded again, sorted by name then value. */
  static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      pairs.add(new String[] {encode(Percent.decode(name), false), encode(Percent.decode(value), false)});
    }
    pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder query = new StringBuilder();
    for (String[] pair : pairs) {
      query.append(query.length() == 0 ? "" : "&").append(pair[0]).append('=').append(pair[1]);
    }
    return query.toString();
  }

  /** Every line of the header, each trimmed with inner runs of spaces made one, joined with ",". */
  static String headerValue(Map<String, List<String>> headers, String lowerCaseName) {
    List<String> values = new ArrayList<>();
    headers.forEach((name, lines) -> {
      if (name.toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
        lines.forEach(line -> values.add(line.strip().replaceAll("\\s+", " ")));
      }
    });
    return String.join(",", values);
  }

  private static String encode(String text, boolean keepSlashes) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~';
      if (unreserved || (keepSlashes && c == '/')) {
        encoded.append(c);
      } else {
        encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return encoded.toString();
  }
}
