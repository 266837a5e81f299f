package com.huntaze.ratelimit.benchmark;

import java.util.Arrays;
import java.util.Locale;

/** Latencies measured in nanoseconds: two contenders timed in alternating blocks, percentiles and means. */
final class Latencies {
  static final int WARMUP = 5_000;
  static final int BLOCK = 1_000;

  private Latencies() {
  }

  /** Times {@code count} runs of something into {@code into[from..]}, in nanoseconds. */
  interface Timed {
    void time(long[] into, int from, int count);
  }

  /** Warms both up, then times them in alternating blocks, prints both and returns the p50 and p99 ratios. */
  static double[] compare(String name, Timed measured, String floorName, Timed floor, int iterations) {
    long[] scratch = new long[BLOCK];
    for (int done = 0; done < WARMUP; done += BLOCK) {
      measured.time(scratch, 0, Math.min(BLOCK, WARMUP - done));
      floor.time(scratch, 0, Math.min(BLOCK, WARMUP - done));
    }
    long[] a = new long[iterations];
    long[] b = new long[iterations];
    for (int done = 0; done < iterations; done += BLOCK) {
      int n = Math.min(BLOCK, iterations - done);
      measured.time(a, done, n);
      floor.time(b, done, n);
    }
    Arrays.sort(a);
    Arrays.sort(b);
    print(name, a);
    print(floorName, b);
    double[] ratios = {percentile(a, 50) / percentile(b, 50),
        percentile(a, 99) / percentile(b, 99)};
    System.out.printf(Locale.ROOT, "ratio %s/%s p50 = %.2f, p99 = %.2f, mean = %.2f%n", name.strip(),
        floorName.strip(), ratios[0], ratios[1], mean(a) / mean(b));
    return ratios;
  }

  static void print(String label, long[] sortedNanos) {
    System.out.printf(Locale.ROOT, "%s p50 = %.1f us, p99 = %.1f us, mean = %.1f us%n", label,
        percentile(sortedNanos, 50) / 1000, percentile(sortedNanos, 99) / 1000, mean(sortedNanos) / 1000);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  static double mean(long[] values) {
    double sum = 0;
    for (long v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
