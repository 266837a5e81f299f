package com.huntaze.ratelimit.localredis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a plain-text Redis: records the name of every command clients send
 * (what is really on the wire), and can stall (hold all traffic) or drop connections, for fault tests.
 */
public final class RespProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;
  private volatile boolean closed;

  private RespProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "resp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static RespProxy to(String host, int port) {
    try {
      return new RespProxy(host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Upper-cased command names in the order clients sent them, e.g. ["EVALSHA", "PING"]. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  public void clearCommands() {
    commands.clear();
  }

  /** While stalled, bytes are held in both directions: the server seems to hang. */
  public void stall(boolean stall) {
    this.stalled = stall;
  }

  /** Closes every open connection (as a failover or a network cut would). */
  public void dropConnections() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    dropConnections();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server;
        try {
          server = new Socket(targetHost, targetPort);
        } catch (IOException upstreamDown) {
          closeQuietly(client); // the client sees the connection closed, as with a refused connect
          continue;
        }
        sockets.add(client);
        sockets.add(server);
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    Thread thread = new Thread(() -> {
      RespCommandParser parser = new RespCommandParser(commands::add);
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          while (stalled && !closed) {
            LocalRedisServer.sleep(5);
          }
          if (fromClient) {
            parser.feed(buffer, read);
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException | RuntimeException e) {
        // connection closed or dropped: end this direction
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "resp-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  /** Incremental parser of client-to-server RESP arrays; reports each command's name. */
  static final class RespCommandParser {
    private final java.util.function.Consumer<String> sink;
    private final List<Byte> pending = new ArrayList<>();

    RespCommandParser(java.util.function.Consumer<String> sink) {
      this.sink = sink;
    }

    void feed(byte[] data, int length) {
      for (int i = 0; i < length; i++) {
        pending.add(data[i]);
      }
      int consumed;
      while ((consumed = parseOne()) > 0) {
        pending.subList(0, consumed).clear();
      }
    }

    /** Returns bytes consumed by one complete command, or 0 when more bytes are needed. */
    private int parseOne() {
      int[] pos = {0};
      String header = line(pos);
      if (header == null) {
        return 0;
      }
      if (!header.startsWith("*")) {
        sink.accept(header.split(" ")[0].toUpperCase()); // inline command
        return pos[0];
      }
      int count = Integer.parseInt(header.substring(1));
      String name = null;
      for (int i = 0; i < count; i++) {
        String bulk = line(pos);
        if (bulk == null) {
          return 0;
        }
        int len = Integer.parseInt(bulk.substring(1));
        if (pending.size() < pos[0] + len + 2) {
          return 0;
        }
        if (i == 0) {
          byte[] raw = new byte[len];
          for (int b = 0; b < len; b++) {
            raw[b] = pending.get(pos[0] + b);
          }
          name = new String(raw, StandardCharsets.UTF_8).toUpperCase();
        }
        pos[0] += len + 2;
      }
      sink.accept(name);
      return pos[0];
    }

    private String line(int[] pos) {
      StringBuilder sb = new StringBuilder();
      for (int i = pos[0]; i + 1 < pending.size(); i++) {
        if (pending.get(i) == '\r' && pending.get(i + 1) == '\n') {
          pos[0] = i + 2;
          return sb.toString();
        }
        sb.append((char) (byte) pending.get(i));
      }
      return null;
    }
  }
}
