package com.huntaze.ratelimit.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.huntaze.ratelimit.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Reads a secret with one SigV4-signed GetSecretValue call over the JDK's HttpURLConnection, the SDK's
 * default credentials chain and its signer: no generated Secrets Manager client, whose classes were most
 * of the function jars' AWS code. Endpoint: {@link SecretsManagerEndpoint}.
 */
final class SecretsManagerSecretSource implements SecretSource {
  // Lambda's init phase is short: fail within a few seconds rather than hang on an unreachable endpoint.
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);
  /** As the SDK's standard retry mode: 3 attempts, exponential backoff from 100 ms with jitter. */
  private static final int MAX_ATTEMPTS = 3;
  private static final long BASE_DELAY_MS = 100;
  /** A secret holds at most 64 KiB: a longer answer is not one from Secrets Manager. */
  private static final int MAX_ANSWER_BYTES = 1 << 20;
  private static final String NO_ANSWER = "cannot call AWS Secrets Manager: ";

  private final Supplier<AwsCredentialsIdentity> credentials;
  private final SecretsManagerEndpoint endpoints;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  SecretsManagerSecretSource() {
    this(SecretsManagerSecretSource::defaultCredentials, SecretsManagerEndpoint.fromThisProcess());
  }

  /** For tests: e.g. static credentials and a local endpoint. */
  SecretsManagerSecretSource(Supplier<AwsCredentialsIdentity> credentials, SecretsManagerEndpoint endpoints) {
    this.credentials = credentials;
    this.endpoints = endpoints;
  }

  /**
   * The chain is made, used and closed for each read: reads are rare (at init, then only after Redis refused the
   * password, at most once every 10 s), and nothing of it is kept open in a SnapStart snapshot.
   */
  private static AwsCredentialsIdentity defaultCredentials() {
    try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
      return chain.resolveCredentials();
    }
  }

  @Override
  public String secretString(String region, String secretId) {
    URI endpoint = endpoints.forRegion(region);
    long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
    // The call runs on its own thread so that nothing (a DNS lookup, a slow answer) outlasts CALL_TIMEOUT.
    CompletableFuture<String> answer = new CompletableFuture<>();
    Thread call = new Thread(() -> {
      try {
        answer.complete(call(region, secretId, endpoint, deadline));
      } catch (RuntimeException | Error e) {
        answer.completeExceptionally(e);
      }
    }, "secrets-manager-get-secret-value");
    call.setDaemon(true);
    call.start();
    try {
      return answer.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.interrupt();
      throw new UnreadableSecretException(NO_ANSWER + "no answer from " + endpoint + " within "
          + CALL_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnreadableSecretException reason) {
        throw reason;
      }
      throw new UnreadableSecretException(NO_ANSWER + "the call failed unexpectedly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreadableSecretException(NO_ANSWER + "interrupted while waiting for its answer");
    }
  }

  private String call(String region, String secretId, URI endpoint, long deadline) {
    AwsCredentialsIdentity identity;
    try {
      identity = credentials.get();
    } catch (RuntimeException e) {
      throw new UnreadableSecretException(NO_ANSWER + "no AWS credentials (in Lambda, the function's role;"
          + " elsewhere AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile)", e);
    }
    byte[] body = StrictJson.write(JsonNodeFactory.instance.objectNode().put("SecretId", secretId)).getBytes(UTF_8);
    for (int attempt = 1; ; attempt++) {
      try {
        GetSecretValueAnswer answer = send(sign(identity, region, endpoint, body), body, deadline);
        if (!answer.retryable() || attempt == MAX_ATTEMPTS || !pauseBeforeAttempt(attempt + 1, deadline)) {
          return answer.secretString(region);
        }
      } catch (CallFailure e) {
        if (attempt == MAX_ATTEMPTS || !pauseBeforeAttempt(attempt + 1, deadline)) {
          throw new UnreadableSecretException(NO_ANSWER + e.getMessage()
              + (attempt > 1 ? " (" + attempt + " attempts)" : ""), e.getCause());
        }
      }
    }
  }

  private SdkHttpRequest sign(AwsCredentialsIdentity identity, String region, URI endpoint, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .protocol(endpoint.getScheme())
        .host(endpoint.getHost())
        .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue");
    if (endpoint.getPort() != -1) {
      request.port(endpoint.getPort());
    }
    return signer.sign(r -> r
        .identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
        .request();
  }

  private static GetSecretValueAnswer send(SdkHttpRequest signed, byte[] body, long deadline) throws CallFailure {
    URI uri = signed.getUri();
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setRequestMethod("POST");
    } catch (IOException e) {
      throw new CallFailure("cannot open a connection to " + uri, e);
    }
    try {
      connection.setConnectTimeout(timeoutMillis(CONNECT_TIMEOUT, deadline));
      connection.setReadTimeout(timeoutMillis(READ_TIMEOUT, deadline));
      connection.setUseCaches(false);
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
        // HttpURLConnection writes these itself, to the values the signer read from the request
        if (!header.getKey().equalsIgnoreCase("Host") && !header.getKey().equalsIgnoreCase("Content-Length")) {
          connection.setRequestProperty(header.getKey(), String.join(",", header.getValue()));
        }
      }
      try {
        connection.connect();
      } catch (IOException e) {
        throw new CallFailure(cannotConnect(uri, e), e);
      }
      try {
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
        int status = connection.getResponseCode();
        InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String text = in == null ? "" : readAnswer(in);
        return new GetSecretValueAnswer(status, connection.getHeaderField("X-Amzn-ErrorType"), text);
      } catch (SocketTimeoutException e) {
        throw new CallFailure("no answer from " + uri + " within " + READ_TIMEOUT.toSeconds() + " s", e);
      } catch (IOException e) {
        throw new CallFailure("the connection to " + uri + " failed before its answer", e);
      }
    } finally {
      connection.disconnect();   // nothing is kept open (nor in a SnapStart snapshot)
    }
  }

  private static String cannotConnect(URI uri, IOException e) {
    if (e instanceof UnknownHostException) {
      return "cannot resolve the host " + uri.getHost();
    } else if (e instanceof SocketTimeoutException) {
      return "cannot connect to " + uri + " (timed out)";
    } else if (e instanceof SSLException) {
      return "the TLS handshake with " + uri + " failed";
    } else if (e instanceof ConnectException) {
      return "cannot connect to " + uri;
    }
    return "the connection to " + uri + " failed";
  }

  private static String readAnswer(InputStream in) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        throw new IOException("answer longer than " + MAX_ANSWER_BYTES + " bytes");
      }
      return new String(bytes, UTF_8);
    }
  }

  /** The timeout, shortened to what is left before the deadline (at least 1 ms: 0 means none). */
  private static int timeoutMillis(Duration timeout, long deadline) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(timeout.toMillis(), left));
  }

  /** Sleeps the backoff before that attempt; false when it would end after the deadline, or on interrupt. */
  private static boolean pauseBeforeAttempt(int attempt, long deadline) {
    long delay = (long) (BASE_DELAY_MS * (1L << (attempt - 2)) * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) >= deadline) {
      return false;
    }
    try {
      Thread.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An attempt that got no answer; its message is our own sentence, the cause stays for a debugger. */
  private static final class CallFailure extends Exception {
    CallFailure(String reason, IOException cause) {
      super(reason, cause);
    }
  }
}
