package com.huntaze.ratelimit.internal;

import com.huntaze.ratelimit.plan.Algorithm;
import com.huntaze.ratelimit.plan.Limit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Redis key names. Every key of one creator carries the creator id as the Cluster hash tag, so all of
 * a check's keys sit in one slot and the multi-key script is legal in cluster mode:
 * {@code prefix:{creatorId}:limitName} (plus {@code ...:limitName:sum}, the running total of a sliding
 * window) and {@code prefix:{creatorId}:req:tier:requestId}.
 */
public final class KeyLayout {
  private final String prefix;

  public KeyLayout(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public String limitKey(String creatorId, String limitName) {
    return creatorPart(creatorId) + limitName;
  }

  /** Every key of these limits, in the order the script reads them. */
  public List<String> limitKeys(String creatorId, Collection<Limit> limits) {
    List<String> keys = new ArrayList<>(limits.size() * 2);
    for (Limit limit : limits) {
      String key = limitKey(creatorId, limit.name());
      keys.add(key);
      if (limit.algorithm() == Algorithm.SLIDING_WINDOW) {
        keys.add(key + ":sum");
      }
    }
    return keys;
  }

  /** Limit names hold no ':' so this namespace cannot meet a limit key. */
  public String requestKey(String creatorId, String tier, String requestId) {
    return creatorPart(creatorId) + "req:" + tier + ":" + requestId;
  }

  private String creatorPart(String creatorId) {
    return prefix + ":{" + creatorId + "}:";
  }
}
