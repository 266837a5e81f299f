package com.huntaze.ratelimit.localrunner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local API on the wire: requests no HTTP library would send get API Gateway's answer, and what
 * curl and Node's fetch do (keep-alive, chunked bodies, Expect: 100-continue) works.
 */
class LocalApiWireIT {
  private static final Path DIR = Path.of("target/it-wire").toAbsolutePath();
  private static final String BAD_REQUEST = "{\"message\":\"Bad Request\"}";
  private static LocalRunner.RunningApi api;
  private static URI base;

  @BeforeAll
  static void start() {
    Path template = TestFunctionPackage.create(DIR);
    ByteArrayOutputStream ignored = new ByteArrayOutputStream();
    api = LocalRunner.startApi(List.of("--port", "0", "--no-auth", "--template", template.toString()),
        new PrintStream(ignored, true, StandardCharsets.UTF_8), new PrintStream(ignored, true, StandardCharsets.UTF_8),
        Map.of());
    base = URI.create(api.baseUrl());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** One response read off a socket: status, headers (lower-cased names), body by its Content-Length. */
  private record Response(int status, Map<String, String> headers, String body) {
  }

  private static Response readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static Response exchange(String wire) throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(wire.getBytes(StandardCharsets.ISO_8859_1));
      return readResponse(socket.getInputStream());
    }
  }

  private static void assertApiGatewaysBadRequest(Response response, String what) {
    assertEquals(400, response.status(), what);
    assertEquals("application/json", response.headers().get("content-type"), what);
    assertEquals(BAD_REQUEST, response.body(), what);
    assertTrue(response.headers().containsKey("apigw-requestid"), what);
    assertEquals("close", response.headers().get("connection"), what);
  }

  @Test
  void badRequestTargetsGetApiGatewaysJsonNeverAServerPage() throws IOException {
    for (String target : List.of("/items/a%ZZ", "/items/a%", "/items/1?x=%zz", "/items/\u00e9", "items/1")) {
      assertApiGatewaysBadRequest(exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"), target);
    }
  }

  @Test
  void malformedRequestsGetTheSameAnswer() throws IOException {
    for (String wire : List.of("GET /items/1\r\n\r\n", "HELLO\r\n\r\n", "GET /items/1 HTTP/1.1\r\n\r\n",
        "GET /items/1 HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
      assertApiGatewaysBadRequest(exchange(wire), wire);
    }
  }

  @Test
  void oneConnectionServesRequestsOneAfterAnother() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Response first = readResponse(socket.getInputStream());
      Response second = readResponse(socket.getInputStream());
      out.write("GET /items/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Response third = readResponse(socket.getInputStream());

      assertTrue(first.body().contains("pathParameters={id=1}"), first.body());
      assertTrue(second.body().contains("pathParameters={id=2}"), second.body());
      assertTrue(third.body().contains("pathParameters={id=3}"), third.body());
      assertFalse(first.headers().containsKey("connection"), "kept open");
      assertEquals("close", third.headers().get("connection"));
      assertEquals(-1, socket.getInputStream().read(), "closed after the request that asked");
    }
  }

  @Test
  void aChunkedBodyAfter100ContinueReachesTheFunctionWhole() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 100 Continue", line(socket.getInputStream()));
      assertEquals("", line(socket.getInputStream()));
      out.write("7\r\n{\"name\"\r\n7\r\n:\"pen\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Response response = readResponse(socket.getInputStream());

      assertEquals(201, response.status(), response.body());
      assertTrue(response.body().contains("body={\"name\":\"pen\"}"), response.body());
    }
  }

  @Test
  void curlGetsJsonForABadTargetReusesItsConnectionAndSendsChunkedAndLargeBodies() throws Exception {
    assumeTrue(onPath("curl"), "curl is not on PATH: this test runs the local API with curl");
    Run bad = run("curl", "-s", "-g", "--path-as-is", "-w", "\\n%{http_code} %{content_type}", base + "/items/a%ZZ");
    assertEquals(BAD_REQUEST + "\n400 application/json", bad.stdout());

    Run twice = run("curl", "-sv", base + "/items/1", base + "/items/2");
    assertTrue(twice.stdout().contains("pathParameters={id=1}") && twice.stdout().contains("pathParameters={id=2}"));
    assertTrue(twice.stderr().toLowerCase(Locale.ROOT).contains("re-using existing connection"), twice.stderr());

    Path large = DIR.resolve("large.json");
    Files.writeString(large, "{\"text\":\"" + "x".repeat(200_000) + "\"}");
    for (List<String> upload : List.of(List.of("-H", "Transfer-Encoding: chunked"), List.<String>of())) {
      List<String> command = new ArrayList<>(List.of("curl", "-sv", "-w", "\\n%{http_code}", "-H",
          "Content-Type: application/json", "--data-binary", "@" + large));
      command.addAll(upload);
      command.add(base + "/items");
      Run posted = run(command.toArray(String[]::new));
      assertTrue(posted.stdout().endsWith("\n201"), posted.stdout());
      assertTrue(posted.stdout().contains("bodyBytes=200011"), posted.stdout());
      if (posted.stderr().contains("Expect: 100-continue")) {
        assertTrue(posted.stderr().contains("< HTTP/1.1 100 Continue"), "answered, so curl need not wait");
      }
    }
  }

  @Test
  void nodeFetchKeepsItsConnectionAndStreamsARequestBody() throws Exception {
    assumeTrue(onPath("node"), "node is not on PATH: this test runs the local API with Node's fetch");
    String script = """
        const base = process.argv[1];
        const get = async (path) => (await fetch(base + path)).text();
        const body = new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode('{"name":')); \
        c.enqueue(new TextEncoder().encode('"cup"}')); c.close(); }});
        (async () => {
          const first = await get('/items/1');
          const second = await get('/items/2');
          const posted = await fetch(base + '/items', {method: 'POST', body, duplex: 'half',
              headers: {'content-type': 'application/json'}});
          const bad = await fetch(base + '/items/a%ZZ');
          console.log(JSON.stringify({first, second, postedStatus: posted.status, posted: await posted.text(),
              badStatus: bad.status, bad: await bad.text(), badType: bad.headers.get('content-type')}));
        })().catch((e) => { console.error(e); process.exit(1); });
        """;
    Run node = run("node", "-e", script, base.toString());
    assertEquals(0, node.exitCode(), node.stderr());
    assertTrue(node.stdout().contains("pathParameters={id=1}") && node.stdout().contains("pathParameters={id=2}"),
        node.stdout());
    assertTrue(node.stdout().contains("\"postedStatus\":201"), node.stdout());
    assertTrue(node.stdout().contains("body={\\\"name\\\":\\\"cup\\\"}"), node.stdout());
    assertTrue(node.stdout().contains("\"badStatus\":400,\"bad\":\"{\\\"message\\\":\\\"Bad Request\\\"}\""),
        node.stdout());
    assertTrue(node.stdout().contains("\"badType\":\"application/json\""), node.stdout());
  }

  private record Run(int exitCode, String stdout, String stderr) {
  }

  private static Run run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    byte[] stdout = process.getInputStream().readAllBytes();
    byte[] stderr = process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
    return new Run(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
        new String(stderr, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
