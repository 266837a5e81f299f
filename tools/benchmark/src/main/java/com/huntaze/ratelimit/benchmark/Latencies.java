package com.huntaze.ratelimit.benchmark;

import java.util.Locale;

/** Nearest-rank percentiles and means of latency samples in nanoseconds. */
final class Latencies {
  private Latencies() {
  }

  /** "label p50 = .. us, p99 = .. us, mean = .. us" of sorted samples. */
  static String summary(String label, long[] sortedNanos) {
    return String.format(Locale.ROOT, "%s p50 = %.1f us, p99 = %.1f us, mean = %.1f us", label,
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
