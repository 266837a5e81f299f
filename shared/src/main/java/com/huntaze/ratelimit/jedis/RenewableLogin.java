package com.huntaze.ratelimit.jedis;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The user and password of REDIS_AUTH_MODE=secret: read from AWS Secrets Manager at init, and read again when
 * Redis refuses them, so that a rotated secret is used without a redeploy. Jedis asks for {@link #current()} each
 * time it opens a connection ({@link RedisClients} makes it the credentials provider): once renewed, every new
 * connection logs in with the new password. Connections already logged in keep working (Redis does not log a
 * connection out when a password changes) until they break or Redis closes them, and are then replaced.
 *
 * <p>A refusal reads the secret again at most once per {@link #MIN_INTERVAL}, whatever that read finds. A wrong
 * secret makes every call fail; without the limit each of them would also wait for Secrets Manager (up to the
 * read's 6 s timeout when it is unreachable) and pay for a call. With it, an execution environment makes at most
 * 6 calls a minute, and one request in 10 s waits for one; a rotation is picked up within 10 s of the secret's
 * update, in whichever order the secret and the server were changed.
 */
public final class RenewableLogin {
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  /** A user (null: the default user) and its password; {@code toString} never shows the password. */
  public record Login(String user, String password) {
    public Login {
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Login{user=" + (user == null ? "(default)" : user) + "}";
    }
  }

  /**
   * What a refusal led to: {@code retry} when a login other than the refused one is there to try; {@code note}
   * says what happened to the secret, for the failure's message (never a value).
   */
  public record Renewal(boolean retry, String note) {
  }

  private final String secretName;
  private final Supplier<Login> reader;
  private final long minIntervalNanos;
  private final LongSupplier nanoClock;
  private volatile Login current;
  /** Counts the changes of {@link #current}: a caller compares it with the one it saw before its attempt. */
  private volatile long generation;
  private boolean readAgain;      // guarded by this
  private long lastReadNanos;     // guarded by this

  /**
   * @param secretName names the secret in notes (an id, never its value)
   * @param reader     reads the secret again; throws a {@code RuntimeException} whose message holds no value
   */
  public RenewableLogin(String secretName, Login first, Supplier<Login> reader) {
    this(secretName, first, reader, MIN_INTERVAL, System::nanoTime);
  }

  RenewableLogin(String secretName, Login first, Supplier<Login> reader, Duration minInterval, LongSupplier nanoClock) {
    this.secretName = Objects.requireNonNull(secretName, "secretName");
    this.current = Objects.requireNonNull(first, "first");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.minIntervalNanos = minInterval.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The login new connections use now. */
  public Login current() {
    return current;
  }

  /** Read before an attempt, and given back to {@link #renewAfterRefusal} if Redis refuses that attempt's login. */
  public long generation() {
    return generation;
  }

  /**
   * Redis refused the login of an attempt that began at {@code seenGeneration}. Retry when the login has changed
   * since (another thread renewed it), or when the secret, read again now, holds another one. No retry when it
   * holds the same, cannot be read, or was read again less than {@link #MIN_INTERVAL} ago. Synchronized: threads
   * refused at the same moment wait for one read, then all try its result.
   */
  public synchronized Renewal renewAfterRefusal(long seenGeneration) {
    if (generation != seenGeneration) {
      return new Renewal(true, "secret '" + secretName + "' had been read again since this attempt began");
    }
    long now = nanoClock.getAsLong();
    // A clock that went backwards (a restored SnapStart snapshot may do that) does not block renewal for good.
    if (readAgain && now - lastReadNanos < minIntervalNanos && now >= lastReadNanos) {
      return new Renewal(false, "secret '" + secretName + "' was read again "
          + Duration.ofNanos(now - lastReadNanos).toSeconds() + " s ago; it is read again at most once every "
          + MIN_INTERVAL.toSeconds() + " s");
    }
    readAgain = true;
    lastReadNanos = now;
    Login read;
    try {
      read = reader.get();
    } catch (RuntimeException e) {
      return new Renewal(false, "reading secret '" + secretName + "' again failed: " + e.getMessage());
    }
    if (read.equals(current)) {
      return new Renewal(false, "secret '" + secretName + "' was read again and is unchanged");
    }
    current = read;
    generation++;
    return new Renewal(true, "secret '" + secretName + "' was read again and had changed");
  }

  @Override
  public String toString() {
    return "RenewableLogin{secret=" + secretName + ", " + current + "}";
  }
}
