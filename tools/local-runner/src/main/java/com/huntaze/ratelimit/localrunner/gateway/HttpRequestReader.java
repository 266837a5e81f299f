package com.huntaze.ratelimit.localrunner.gateway;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads HTTP/1.1 requests (RFC 9112) one after another from a connection: the request line, the header
 * section, then a Content-Length or chunked body. Whatever is not well-formed HTTP/1.x is a
 * {@link BadHttpRequest}, so that no request reaches a route half-understood.
 */
final class HttpRequestReader {
  /** Request line and headers together; API Gateway's own limit is lower, this only bounds memory. */
  static final int MAX_HEAD_BYTES = 64 * 1024;
  /** API Gateway HTTP APIs take payloads up to 10 MB. */
  static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  /** Sends the interim "100 Continue" a client that asked for it waits for before its body. */
  interface ContinueSender {
    void sendContinue() throws IOException;
  }

  private final InputStream in;
  private final ContinueSender continueSender;

  HttpRequestReader(InputStream in, ContinueSender continueSender) {
    this.in = in;
    this.continueSender = continueSender;
  }

  /** The next request; empty when the client closed the connection before sending one. */
  Optional<ReceivedRequest> next() throws IOException, BadHttpRequest {
    int[] headBudget = {MAX_HEAD_BYTES};
    String requestLine = readLine(headBudget, true);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(headBudget, true); // RFC 9112 2.2: empty lines before a request are ignored
    }
    if (requestLine == null) {
      return Optional.empty();
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
      throw new BadHttpRequest("the request line is not 'METHOD target HTTP/1.1'");
    }
    boolean http10 = parts[2].equals("HTTP/1.0");
    if (!http10 && !parts[2].equals("HTTP/1.1")) {
      throw new BadHttpRequest("the protocol is not HTTP/1.1 or HTTP/1.0");
    }
    RequestTarget target = RequestTarget.parse(parts[1]);
    Map<String, List<String>> headers = readHeaders(headBudget);
    if (!http10 && values(headers, "host").size() != 1) {
      throw new BadHttpRequest("an HTTP/1.1 request needs exactly one Host header");
    }
    byte[] body = readBody(headers, http10);
    List<String> connection = tokens(values(headers, "connection"));
    boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
    return Optional.of(new ReceivedRequest(parts[0], target, headers, body, http10, keepAlive));
  }

  private Map<String, List<String>> readHeaders(int[] headBudget) throws IOException, BadHttpRequest {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = readLine(headBudget, false); !line.isEmpty(); line = readLine(headBudget, false)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new BadHttpRequest("a header line is not 'Name: value'"); // also obs-fold and "Name : value"
      }
      String value = line.substring(colon + 1).strip();
      if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F)) {
        throw new BadHttpRequest("a header value holds a control character");
      }
      String name = line.substring(0, colon);
      String existing = headers.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
      headers.computeIfAbsent(existing, key -> new ArrayList<>()).add(value);
    }
    return headers;
  }

  private byte[] readBody(Map<String, List<String>> headers, boolean http10) throws IOException, BadHttpRequest {
    List<String> transferEncoding = tokens(values(headers, "transfer-encoding"));
    List<String> contentLength = values(headers, "content-length");
    if (!transferEncoding.isEmpty()) {
      if (!contentLength.isEmpty()) {
        throw new BadHttpRequest("the request has both Transfer-Encoding and Content-Length");
      }
      if (!transferEncoding.equals(List.of("chunked"))) {
        throw new BadHttpRequest("the only Transfer-Encoding understood is chunked");
      }
      expectContinue(headers, http10);
      return readChunked();
    }
    if (contentLength.isEmpty()) {
      return new byte[0];
    }
    long length = contentLength(contentLength);
    if (length > MAX_BODY_BYTES) {
      throw new BadHttpRequest(BadHttpRequest.PAYLOAD_TOO_LARGE, "the body is over " + MAX_BODY_BYTES + " bytes");
    }
    if (length > 0) {
      expectContinue(headers, http10);
    }
    return readExactly((int) length);
  }

  private static long contentLength(List<String> values) throws BadHttpRequest {
    List<String> distinct = tokens(values).stream().distinct().toList();
    if (distinct.size() != 1 || !distinct.get(0).matches("[0-9]{1,15}")) {
      throw new BadHttpRequest("Content-Length is not one decimal number");
    }
    return Long.parseLong(distinct.get(0));
  }

  private void expectContinue(Map<String, List<String>> headers, boolean http10) throws IOException {
    if (!http10 && tokens(values(headers, "expect")).contains("100-continue")) {
      continueSender.sendContinue();
    }
  }

  private byte[] readChunked() throws IOException, BadHttpRequest {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] lineBudget = {MAX_HEAD_BYTES};
    while (true) {
      String sizeLine = readLine(lineBudget, false);
      String size = sizeLine.split(";", 2)[0].strip(); // chunk extensions are ignored
      if (!size.matches("[0-9A-Fa-f]{1,7}")) {
        throw new BadHttpRequest("a chunk size is not a hex number");
      }
      int chunk = Integer.parseInt(size, 16);
      if (chunk == 0) {
        while (!readLine(lineBudget, false).isEmpty()) {
          // trailer fields: not passed on, as API Gateway does not
        }
        return body.toByteArray();
      }
      if (body.size() + (long) chunk > MAX_BODY_BYTES) {
        throw new BadHttpRequest(BadHttpRequest.PAYLOAD_TOO_LARGE, "the body is over " + MAX_BODY_BYTES + " bytes");
      }
      body.write(readExactly(chunk));
      if (!readLine(lineBudget, false).isEmpty()) {
        throw new BadHttpRequest("a chunk is longer than its size");
      }
    }
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("the client closed the connection inside the body");
    }
    return bytes;
  }

  /**
   * A line without its CRLF (a bare LF is taken too). At the start of a request, end of stream gives
   * null; inside one it is an EOFException: there is nobody left to answer.
   */
  private String readLine(int[] budget, boolean startOfRequest) throws IOException, BadHttpRequest {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (startOfRequest && line.size() == 0) {
          return null;
        }
        throw new EOFException("the client closed the connection inside a request");
      }
      if (--budget[0] < 0) {
        throw new BadHttpRequest("the request line and headers are over " + MAX_HEAD_BYTES + " bytes");
      }
      line.write(b);
    }
    budget[0]--;
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\r') {
        throw new BadHttpRequest("a line holds a bare CR");
      }
    }
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  private static List<String> values(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
        .findFirst().map(Map.Entry::getValue).orElse(List.of());
  }

  /** Comma-separated header values as lower-cased tokens. */
  private static List<String> tokens(List<String> values) {
    List<String> tokens = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  private static boolean isToken(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c < 0x7F
        && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0));
  }
}
