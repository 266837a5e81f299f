package com.huntaze.ratelimit.jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huntaze.ratelimit.jedis.RenewableLogin.Login;
import com.huntaze.ratelimit.jedis.RenewableLogin.Renewal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When a refused login reads the secret again, and what it then tries; a test clock, an in-memory secret. */
class RenewableLoginTest {
  private static final Login FIRST = new Login(null, "first-pw-1a2b");
  private static final Login ROTATED = new Login(null, "rotated-pw-3c4d");
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final AtomicReference<Login> secret = new AtomicReference<>(FIRST);
  private final AtomicInteger reads = new AtomicInteger();
  private final RenewableLogin login = new RenewableLogin("rl/redis", FIRST, () -> {
    reads.incrementAndGet();
    Login value = secret.get();
    if (value == null) {
      throw new IllegalStateException("cannot read secret 'rl/redis': access denied");
    }
    return value;
  }, Duration.ofSeconds(10), clock::get);

  @Test
  void aRotatedSecretIsReadOnTheFirstRefusalAndUsedFromThenOn() {
    secret.set(ROTATED);
    long seen = login.generation();

    Renewal renewal = login.renewAfterRefusal(seen);

    assertTrue(renewal.retry(), renewal.toString());
    assertEquals(ROTATED, login.current());
    assertEquals(seen + 1, login.generation());
    assertEquals(1, reads.get());
  }

  @Test
  void anUnchangedSecretIsNotRetried() {
    Renewal renewal = login.renewAfterRefusal(login.generation());

    assertFalse(renewal.retry());
    assertTrue(renewal.note().contains("unchanged"), renewal.note());
    assertEquals(FIRST, login.current());
  }

  @Test
  void theSecretIsReadAgainAtMostOncePerIntervalWhateverItHolds() {
    login.renewAfterRefusal(login.generation());   // unchanged
    secret.set(ROTATED);
    clock.addAndGet(9 * SECOND);

    Renewal tooSoon = login.renewAfterRefusal(login.generation());

    assertFalse(tooSoon.retry());
    assertTrue(tooSoon.note().contains("9 s ago") && tooSoon.note().contains("every 10 s"), tooSoon.note());
    assertEquals(1, reads.get(), "not read within the interval");
    clock.addAndGet(SECOND);
    assertTrue(login.renewAfterRefusal(login.generation()).retry(), "read again once the interval has passed");
    assertEquals(2, reads.get());
    assertEquals(ROTATED, login.current());
  }

  @Test
  void anAttemptThatBeganBeforeARenewalRetriesWithoutReadingAgain() {
    long seenBefore = login.generation();
    secret.set(ROTATED);
    login.renewAfterRefusal(seenBefore);            // another thread renewed first

    Renewal late = login.renewAfterRefusal(seenBefore);

    assertTrue(late.retry(), late.toString());
    assertEquals(1, reads.get());
  }

  @Test
  void anUnreadableSecretKeepsTheLoginAndCountsAsARead() {
    secret.set(null);

    Renewal renewal = login.renewAfterRefusal(login.generation());

    assertFalse(renewal.retry());
    assertTrue(renewal.note().contains("access denied"), renewal.note());
    assertEquals(FIRST, login.current());
    secret.set(ROTATED);
    assertFalse(login.renewAfterRefusal(login.generation()).retry(), "a failed read is rate-limited too");
    assertEquals(1, reads.get());
  }

  @Test
  void aClockThatWentBackwardsDoesNotBlockRenewal() {
    login.renewAfterRefusal(login.generation());
    secret.set(ROTATED);
    clock.addAndGet(-60 * SECOND);   // a restored snapshot's clock

    assertTrue(login.renewAfterRefusal(login.generation()).retry());
  }

  @Test
  void noPasswordIsShown() {
    secret.set(ROTATED);
    for (Renewal renewal : new Renewal[] {login.renewAfterRefusal(0), login.renewAfterRefusal(1)}) {
      assertFalse(renewal.note().contains(FIRST.password()) || renewal.note().contains(ROTATED.password()),
          renewal.note());
    }
    assertFalse(login.toString().contains(ROTATED.password()), login.toString());
    assertFalse(ROTATED.toString().contains(ROTATED.password()), ROTATED.toString());
  }
}
