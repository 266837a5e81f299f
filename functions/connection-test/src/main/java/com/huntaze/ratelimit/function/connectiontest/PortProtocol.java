package com.huntaze.ratelimit.function.connectiontest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Asks a port which protocol it speaks, after the configured one failed in a way a REDIS_TLS mismatch explains
 * ({@link StepFailure}). One connection, within the configured connect and socket timeouts; nothing secret is
 * sent: a PING, or a TLS ClientHello whose handshake stops at the server's certificate.
 */
final class PortProtocol {
  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

  private PortProtocol() {
  }

  /**
   * True when the port answers a plain-text PING as Redis does: {@code +PONG}, or an error line such as
   * {@code -NOAUTH}. A TLS port answers with a TLS alert (first byte 0x15) or closes the connection.
   */
  static boolean answersPlainText(String host, int port, Duration connect, Duration read) {
    try (Socket socket = connected(host, port, connect, read)) {
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      int first = socket.getInputStream().read();
      return first == '+' || first == '-';
    } catch (IOException e) {
      return false;   // closed, reset or silent: not plain-text Redis
    }
  }

  /**
   * True when the port answers a TLS ClientHello with a certificate. The certificate is looked at, never trusted:
   * {@link CertificateSeen} refuses it, which ends the handshake there.
   */
  static boolean speaksTls(String host, int port, Duration connect, Duration read) {
    CertificateSeen seen = new CertificateSeen();
    try (Socket plain = connected(host, port, connect, read)) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {seen}, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
        tls.startHandshake();
      }
    } catch (IOException | GeneralSecurityException e) {
      // expected: the handshake fails at the refused certificate, or earlier when the port is not TLS
    }
    return seen.seen;
  }

  private static Socket connected(String host, int port, Duration connect, Duration read) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(connect.toMillis()));
      socket.setSoTimeout(Math.toIntExact(read.toMillis()));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Notes that the server sent a certificate chain, and refuses it: this handshake only asks a question. */
  private static final class CertificateSeen extends X509ExtendedTrustManager {
    private volatile boolean seen;

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      seen = chain != null && chain.length > 0;
      throw new CertificateException("connection test: only asking whether the port speaks TLS");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("connection test: a client, never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
