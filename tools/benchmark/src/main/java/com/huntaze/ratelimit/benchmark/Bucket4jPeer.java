package com.huntaze.ratelimit.benchmark;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * bucket4j's own Jedis integration as a throughput peer: the compare-and-swap proxy manager (the only one
 * bucket4j ships for Jedis) over the same kind of Jedis client, one bucket per creator, no client-side
 * optimization (batching, delaying, prediction), so every check reads and writes the bucket in Redis.
 *
 * <p>A bucket4j bucket takes one number per consume from all its bandwidths, so it cannot charge 1 request to
 * two limits and 500 tokens to two others. The closest equivalent of the project's 4-limit plan is one bucket
 * with 4 bandwidths counted in checks of 1 request + 500 tokens: the token limits are divided by 500.
 */
final class Bucket4jPeer implements ThroughputBenchmark.Contender {
  static final long TOKENS_PER_CHECK = 500;

  private final UnifiedJedis jedis;
  private final ProxyManager<String> buckets;
  private final BucketConfiguration configuration;
  private final ConcurrentMap<String, BucketProxy> proxies = new ConcurrentHashMap<>();

  Bucket4jPeer(UnifiedJedis jedis, long requestsPerMinute, long tokensPerMinute, long requestsPerDay,
      long tokensPerMonth) {
    this.jedis = jedis;
    this.buckets = Bucket4jJedis.casBasedBuilder(jedis)
        .keyMapper(Mapper.STRING)
        // keys expire, as the project's do, once a full bucket would have refilled (+ 10 s)
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
            Duration.ofSeconds(10)))
        .build();
    long minuteChecks = tokensPerMinute / TOKENS_PER_CHECK;
    long monthChecks = tokensPerMonth / TOKENS_PER_CHECK;
    this.configuration = BucketConfiguration.builder()
        // sliding requests/minute: the nearest bucket4j has is a greedy refill over the minute
        .addLimit(limit -> limit.capacity(requestsPerMinute).refillGreedy(requestsPerMinute, Duration.ofMinutes(1))
            .id("requests-per-minute"))
        .addLimit(limit -> limit.capacity(minuteChecks).refillGreedy(minuteChecks, Duration.ofMinutes(1))
            .id("tokens-per-minute"))
        // fixed windows: all at once at the end of each interval
        .addLimit(limit -> limit.capacity(requestsPerDay).refillIntervally(requestsPerDay, Duration.ofDays(1))
            .id("requests-per-day"))
        .addLimit(limit -> limit.capacity(monthChecks).refillIntervally(monthChecks, Duration.ofDays(30))
            .id("tokens-per-month"))
        .build();
  }

  @Override
  public String name() {
    return "bucket4j";
  }

  @Override
  public boolean check(String creatorId) {
    // A proxy is a local handle (no Redis call to make one); kept so a check is only tryConsume's round trips.
    BucketProxy bucket = proxies.computeIfAbsent(creatorId,
        id -> buckets.builder().build("b4j:{" + id + "}", () -> configuration));
    return bucket.tryConsume(1);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
