package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Requests as bytes on the wire, read as API Gateway's front end would read them. */
class HttpRequestReaderTest {
  private final List<String> continues = new ArrayList<>();

  private HttpRequestReader reader(String wire) {
    return new HttpRequestReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)),
        () -> continues.add("100 Continue"));
  }

  private ReceivedRequest read(String wire) throws Exception {
    return reader(wire).next().orElseThrow();
  }

  private int rejected(String wire) {
    return assertThrows(BadHttpRequest.class, () -> reader(wire).next(), wire).status();
  }

  @Test
  void readsAGetWithItsTargetSplitAndHeadersAsReceived() throws Exception {
    ReceivedRequest request = read("GET /v1/limits/creator-123?tier=pro HTTP/1.1\r\nHost: 127.0.0.1:8765\r\n"
        + "X-Trace: a\r\nx-trace: b\r\nUser-Agent: curl/8\r\n\r\n");

    assertEquals("GET", request.method());
    assertEquals("/v1/limits/creator-123", request.target().rawPath());
    assertEquals("tier=pro", request.target().rawQueryString());
    assertEquals(Map.of("Host", List.of("127.0.0.1:8765"), "X-Trace", List.of("a", "b"),
        "User-Agent", List.of("curl/8")), request.headers());
    assertEquals(0, request.body().length);
    assertTrue(request.keepAlive(), "HTTP/1.1 keeps the connection by default");
  }

  @Test
  void readsAContentLengthBodyAndTheNextRequestOnTheSameConnection() throws Exception {
    HttpRequestReader reader = reader("POST /v1/check HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
        + "GET /test-redis HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

    ReceivedRequest first = reader.next().orElseThrow();
    ReceivedRequest second = reader.next().orElseThrow();

    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), first.body());
    assertEquals("/test-redis", second.target().rawPath());
    assertFalse(second.keepAlive());
    assertEquals(Optional.empty(), reader.next(), "the client closed: no request, no error");
  }

  @Test
  void decodesAChunkedBodyWithExtensionsAndTrailers() throws Exception {
    ReceivedRequest request = read("POST /v1/check HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\n");

    assertEquals("{\"a\":1}", new String(request.body(), StandardCharsets.UTF_8));
    assertFalse(request.headers().containsKey("X-Trailer"));
  }

  @Test
  void sendsContinueBeforeReadingTheBodyOfAClientThatWaitsForIt() throws Exception {
    read("POST /v1/check HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");

    assertEquals(List.of("100 Continue"), continues);
  }

  @Test
  void http10ClosesUnlessItAsksToKeepTheConnection() throws Exception {
    assertFalse(read("GET / HTTP/1.0\r\n\r\n").keepAlive(), "no Host needed in HTTP/1.0");
    ReceivedRequest keepAlive = read("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    assertTrue(keepAlive.keepAlive());
    assertTrue(keepAlive.http10());
  }

  @Test
  void anAbsoluteFormTargetNamesItsPath() throws Exception {
    ReceivedRequest request = read("GET http://127.0.0.1:8765/v1/limits/x?tier=pro HTTP/1.1\r\nHost: h\r\n\r\n");

    assertEquals("/v1/limits/x", request.target().rawPath());
    assertEquals("tier=pro", request.target().rawQueryString());
  }

  @Test
  void badRequestTargetsAreRejected() {
    for (String target : new String[] {"/v1/limits/a%ZZ", "/v1/limits/a%2", "/%", "/v1/limits/x?tier=%G1",
        "v1/check", "*", "/v1/limits/\u00e9", "/a#fragment", "/a\u0001b", "127.0.0.1:8765"}) {
      assertEquals(400, rejected("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"), target);
    }
  }

  @Test
  void malformedRequestLinesAndHeadersAreRejected() {
    for (String wire : new String[] {
        "GET /\r\n\r\n",                                        // no version
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",                   // two spaces
        "GET / HTTP/2.0\r\nHost: h\r\n\r\n",                    // not HTTP/1.x
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",                     // HTTP/2 prior knowledge
        "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",                    // not a method token
        "GET / HTTP/1.1\r\n\r\n",                               // no Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",         // two Hosts
        "GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n",   // space in a name
        "GET / HTTP/1.1\r\nHost: h\r\nX-A : x\r\n\r\n",         // space before the colon
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: x\r\n folded\r\n\r\n", // obs-fold
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u0000b\r\n\r\n",   // NUL in a value
        "GET / HTTP/1.1\rHost: h\r\n\r\n",                      // bare CR
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n"}) {
      assertEquals(400, rejected(wire), wire);
    }
  }

  @Test
  void aHeadOrBodyOverTheLimitsIsRefused() {
    assertEquals(400, rejected("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(HttpRequestReader.MAX_HEAD_BYTES)
        + "\r\n\r\n"));
    assertEquals(413, rejected("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
        + (HttpRequestReader.MAX_BODY_BYTES + 1) + "\r\n\r\n"));
    assertEquals(List.of(), continues, "no 100 Continue for a body that is refused anyway");
  }

  @Test
  void aClientThatLeavesInsideARequestIsNoRequest() {
    assertThrows(EOFException.class, () -> reader("GET / HTTP/1.1\r\nHost: h\r\n").next());
    assertThrows(EOFException.class,
        () -> reader("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc").next());
  }

  @Test
  void emptyLinesBeforeARequestAreSkipped() throws Exception {
    assertEquals("/x", read("\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n").target().rawPath());
  }

  @Test
  void aBareLineFeedEndsALineToo() throws IOException, BadHttpRequest {
    assertEquals("/x", reader("GET /x HTTP/1.1\nHost: h\n\n").next().orElseThrow().target().rawPath());
  }
}
