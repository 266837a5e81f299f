package com.huntaze.ratelimit.localrunner.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The local API's own HTTP/1.1 server: keep-alive, Content-Length and chunked request bodies,
 * {@code Expect: 100-continue}, one thread per connection. It exists so that every request, even one
 * no HTTP library would accept, is answered the way API Gateway answers it (never a library's page):
 * a request it cannot read gets the {@link Exchange#reject} answer and the connection is closed.
 */
public final class LocalHttpServer implements AutoCloseable {
  /** How long an idle keep-alive connection, or a stalled request, is kept open. */
  private static final int IDLE_TIMEOUT_MILLIS = 60_000;
  private static final int DRAIN_MILLIS = 500;

  /** What the server asks of the API behind it. */
  interface Exchange {
    GatewayResponse respond(ReceivedRequest request, InetAddress client);

    GatewayResponse reject(BadHttpRequest problem, InetAddress client);
  }

  private final String host;
  private final ServerSocket socket;
  private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "local-api-connection");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LocalHttpServer(String host, ServerSocket socket) {
    this.host = host;
    this.socket = socket;
  }

  /** Binds now, so that a port in use is known before anything else starts; {@code port} 0 picks a free one. */
  public static LocalHttpServer bind(String host, int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(host, port), 128);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new LocalHttpServer(host, socket);
  }

  public String host() {
    return host;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Starts accepting connections, each served on its own thread. */
  void serve(Exchange exchange) {
    connections.execute(() -> {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          open.add(connection);
          try {
            connections.execute(() -> serveConnection(connection, exchange));
          } catch (RejectedExecutionException e) {
            connection.close(); // accepted while close() ran
          }
        } catch (IOException e) {
          // closed by close(), or a connection reset before it was accepted
        }
      }
    });
  }

  private void serveConnection(Socket connection, Exchange exchange) {
    InetAddress client = connection.getInetAddress();
    try (connection) {
      connection.setSoTimeout(IDLE_TIMEOUT_MILLIS);
      connection.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = new BufferedOutputStream(connection.getOutputStream());
      HttpRequestReader reader = new HttpRequestReader(in, () -> {
        out.write(HttpResponseWriter.CONTINUE);
        out.flush();
      });
      while (true) {
        Optional<ReceivedRequest> request;
        try {
          request = reader.next();
        } catch (BadHttpRequest problem) {
          HttpResponseWriter.write(out, exchange.reject(problem, client), false, false, true);
          closeGracefully(connection, in);
          return;
        }
        if (request.isEmpty()) {
          return;
        }
        ReceivedRequest received = request.get();
        boolean http10KeepAlive = received.keepAlive() && received.http10();
        HttpResponseWriter.write(out, exchange.respond(received, client), received.method().equals("HEAD"),
            http10KeepAlive, !received.keepAlive());
        if (!received.keepAlive()) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away, or stayed idle past the timeout: nobody to answer
    } finally {
      open.remove(connection);
    }
  }

  /**
   * Closing right after an error answer while the client still sends would reset the connection and
   * could lose the answer: stop writing, read what is left for a moment, then close.
   */
  private static void closeGracefully(Socket connection, InputStream in) {
    try {
      connection.shutdownOutput();
      connection.setSoTimeout(DRAIN_MILLIS);
      byte[] discard = new byte[8192];
      long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
      while (System.currentTimeMillis() < deadline && in.read(discard) >= 0) {
        // discarded: the request was refused
      }
    } catch (SocketException e) {
      // already closed by the client
    } catch (IOException e) {
      // timed out draining: close now
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(connection -> {
      try {
        connection.close();
      } catch (IOException e) {
        // closing anyway
      }
    });
    connections.shutdownNow();
  }
}
