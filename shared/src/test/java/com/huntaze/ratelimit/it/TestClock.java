package com.huntaze.ratelimit.it;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A settable clock in epoch microseconds, fed to the script instead of the server's TIME. */
final class TestClock implements LongSupplier {
  private final AtomicLong micros;

  TestClock(String isoInstant) {
    this.micros = new AtomicLong(TestPlans.micros(isoInstant));
  }

  void set(String isoInstant) {
    micros.set(TestPlans.micros(isoInstant));
  }

  void advance(Duration d) {
    micros.addAndGet(d.toNanos() / 1000);
  }

  void advanceMicros(long delta) {
    micros.addAndGet(delta);
  }

  @Override
  public long getAsLong() {
    return micros.get();
  }
}
