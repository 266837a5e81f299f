package com.huntaze.ratelimit.internal;

import java.util.List;
import java.util.stream.Stream;

/**
 * Redis key names. Every key of one creator carries the creator id as the Cluster hash tag, so all of
 * a check's keys sit in one slot and the multi-key script is legal in cluster mode:
 * {@code prefix:{creatorId}:limitName} and {@code prefix:{creatorId}:req:tier:requestId}.
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

  public List<String> limitKeys(String creatorId, Stream<String> limitNames) {
    return limitNames.map(name -> limitKey(creatorId, name)).toList();
  }

  /** Limit names hold no ':' so this namespace cannot meet a limit key. */
  public String requestKey(String creatorId, String tier, String requestId) {
    return creatorPart(creatorId) + "req:" + tier + ":" + requestId;
  }

  private String creatorPart(String creatorId) {
    return prefix + ":{" + creatorId + "}:";
  }
}
