package com.huntaze.ratelimit.localrunner.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link GatewayResponse} as an HTTP/1.1 response with a Content-Length. The framing headers
 * are the server's own: a function's Content-Length, Transfer-Encoding or Connection header is dropped
 * (as API Gateway does), and so is any header whose name or value could split the response.
 */
final class HttpResponseWriter {
  static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "upgrade", "te", "trailer", "date");
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
      Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(304, "Not Modified"),
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
      Map.entry(413, "Request Entity Too Large"), Map.entry(415, "Unsupported Media Type"),
      Map.entry(422, "Unprocessable Entity"), Map.entry(429, "Too Many Requests"),
      Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"));

  private HttpResponseWriter() {
  }

  /**
   * @param headRequest the answer to a HEAD: the headers of the body, not the body
   * @param keepAliveHeader for an HTTP/1.0 client that asked to keep the connection
   * @param close       whether the connection closes after this response
   */
  static void write(OutputStream out, GatewayResponse response, boolean headRequest, boolean keepAliveHeader,
      boolean close) throws IOException {
    StringBuilder head = new StringBuilder(256);
    int status = response.status();
    head.append("HTTP/1.1 ").append(status).append(' ').append(REASONS.getOrDefault(status, "")).append("\r\n");
    response.headers().forEach((name, values) -> {
      if (!FRAMING.contains(name.toLowerCase(Locale.ROOT)) && isSafe(name)) {
        values.stream().filter(HttpResponseWriter::isSafe)
            .forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
      }
    });
    head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    byte[] body = response.body();
    boolean bodyless = status == 204 || status == 304 || status < 200;
    if (!bodyless) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (close) {
      head.append("Connection: close\r\n");
    } else if (keepAliveHeader) {
      head.append("Connection: keep-alive\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!bodyless && !headRequest) {
      out.write(body);
    }
    out.flush();
  }

  private static boolean isSafe(String text) {
    return text.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0 || c > 0xFF);
  }
}
