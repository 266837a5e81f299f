-- The fourth way of counting: calls in flight. Same evaluator shape as algorithms.lua, plus release().

-- Concurrency leases: a ZSET of request id -> lease expiry (microseconds). Expired leases count for
-- nothing and are swept by the next lease taken.
local function lease(l)
  local ttl, limit = tonumber(l.window), l.amount
  local live = redis.call('ZCOUNT', l.key, '(' .. int(now), '+inf')
  local st = { remaining = limit - live, reset = 0, swept = 0 }
  local function refresh_reset()
    local latest = redis.call('ZRANGE', l.key, -1, -1, 'WITHSCORES')
    st.reset = 0
    if #latest > 0 and tonumber(latest[2]) > now then
      st.reset = tonumber(latest[2]) - now
    end
  end
  if live > 0 then
    refresh_reset()
  end

  -- when the first lease expires: an upper bound, since a release may come sooner
  function st.retry(_)
    local first = redis.call('ZRANGEBYSCORE', l.key, '(' .. int(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if #first == 0 then
      return 0
    end
    return tonumber(first[2]) - now
  end

  function st.commit(_)
    st.swept = redis.call('ZREMRANGEBYSCORE', l.key, '-inf', int(now))
    redis.call('ZADD', l.key, int(now + ttl), request_id)
    redis.call('PEXPIRE', l.key, int(ceil_ms(ttl) + 1))
    st.remaining, st.reset = st.remaining - 1, ttl
    return nil
  end

  -- frees this request's lease; false when it was no longer held (expired, or the usage was reset)
  function st.release()
    local expiry = redis.call('ZSCORE', l.key, request_id)
    if not expiry then
      return false
    end
    redis.call('ZREM', l.key, request_id)
    if tonumber(expiry) <= now then
      return false
    end
    st.remaining = st.remaining + 1
    refresh_reset()
    return true
  end
  return st
end
