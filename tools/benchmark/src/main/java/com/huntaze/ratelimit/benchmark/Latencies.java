package com.huntaze.ratelimit.benchmark;

import java.util.Locale;

/** Percentiles and means of latencies measured in nanoseconds. */
final class Latencies {
  private Latencies() {
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
