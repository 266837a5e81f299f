package com.huntaze.ratelimit.benchmark;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * A reference limiter to measure the project's check against: one GCRA limit (generic cell rate algorithm,
 * as in redis-cell) in a short Lua script, one key per creator holding its theoretical arrival time, one
 * EVALSHA per check. What the least a Lua-script limiter on Redis can cost looks like; not used by the product.
 */
final class ReferenceGcra implements ThroughputBenchmark.Contender {
  /**
   * KEYS[1]: the creator's theoretical arrival time (TAT), microseconds since the epoch.
   * ARGV[1]: emission interval, microseconds per unit (window / limit); ARGV[2]: burst span, microseconds
   * (interval x burst); ARGV[3]: cost in units. Replies {1, 0} allowed, or {0, microseconds to wait}.
   */
  static final String SCRIPT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local interval = tonumber(ARGV[1])
      local span = tonumber(ARGV[2])
      local tat = tonumber(redis.call('GET', KEYS[1])) or now
      if tat < now then
        tat = now
      end
      local new_tat = tat + interval * tonumber(ARGV[3])
      if new_tat - now > span then
        return {0, new_tat - now - span}
      end
      -- %d: a plain tostring would round a 16-digit microsecond count to 14 significant digits
      redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
      return {1, 0}
      """;

  private final UnifiedJedis jedis;
  private final String sha;
  private final List<String> args;

  /** {@code limit} units per {@code windowMicros}, with a burst of the whole limit. */
  ReferenceGcra(UnifiedJedis jedis, long limit, long windowMicros) {
    this.jedis = jedis;
    this.sha = jedis.scriptLoad(SCRIPT);
    long interval = Math.max(1, windowMicros / limit);
    this.args = List.of(Long.toString(interval), Long.toString(interval * limit), "1");
  }

  @Override
  public String name() {
    return "reference GCRA";
  }

  @Override
  public boolean check(String creatorId) {
    Object reply = jedis.evalsha(sha, List.of("gcra:{" + creatorId + "}"), args);
    return ((List<?>) reply).get(0).equals(1L);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
