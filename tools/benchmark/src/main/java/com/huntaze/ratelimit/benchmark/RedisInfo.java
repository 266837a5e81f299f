package com.huntaze.ratelimit.benchmark;

import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/** What the benchmark reads from INFO: the server version, used_memory and the commandstats counters. */
final class RedisInfo {
  private final UnifiedJedis admin;

  RedisInfo(UnifiedJedis admin) {
    this.admin = admin;
  }

  String version() {
    return field(admin.info("server"), "redis_version");
  }

  long usedMemory() {
    return Long.parseLong(field(admin.info("memory"), "used_memory"));
  }

  /** cmdstat_NAME:calls=N,usec=U,... lines as NAME -> {calls, usec}. */
  Map<String, long[]> commandStats() {
    Map<String, long[]> stats = new TreeMap<>();
    for (String line : admin.info("commandstats").split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      int colon = line.indexOf(':');
      long[] values = new long[2];
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("calls=")) {
          values[0] = Long.parseLong(field.substring(6));
        } else if (field.startsWith("usec=")) {
          values[1] = Long.parseLong(field.substring(5));
        }
      }
      stats.put(line.substring("cmdstat_".length(), colon), values);
    }
    return stats;
  }

  private static String field(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalStateException("INFO has no field " + field);
  }
}
