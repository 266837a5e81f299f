-- The two ways of counting that keep one entry per admission, in keys of their own (l.key, and for a sliding
-- log l.total_key): the same functions as counters.lua, writing their keys at once; a lease adds release().

-- Sliding log entries are "time:serial:cost": unique (the serial counts the key's entries, so a settle
-- that changes an entry's cost never makes it equal another), and the cost is the last field.
local function entry_cost(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

-- Exact sliding log: a ZSET of admitted costs scored by time, plus a second key holding
-- "total:newest:serial" (the sum of the ZSET's costs, its newest time and the last entry's serial), so a
-- check costs O(log n) plus the entries that left the window since the last write, not O(entries in
-- the window).
local sliding = {}

function sliding.read(l)
  l.from = now - l.window
  l.used, l.serial, l.expired, l.newest = 0, 0, {}, false
  local summary = redis.call('GET', l.total_key)
  if summary then
    local total, last, count = string.match(summary, '^(%d+):(%d+):(%d+)$')
    l.used, l.newest, l.serial = tonumber(total), tonumber(last), tonumber(count)
    l.expired = redis.call('ZRANGEBYSCORE', l.key, '-inf', int(l.from))
    for i = 1, #l.expired do
      l.used = l.used - entry_cost(l.expired[i])
    end
  end
  l.remaining, l.reset = l.amount - l.used, 0
  if l.used > 0 then
    l.reset = l.newest + l.window - now
  end
end

-- when enough of the oldest admitted cost has left the window; past the first 100 entries this is a
-- lower bound (the earliest moment worth retrying)
function sliding.retry(l, need)
  local excess, freed, retry = need - l.remaining, 0, 0
  local oldest = redis.call('ZRANGEBYSCORE', l.key, '(' .. int(l.from), '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
  for i = 1, #oldest, 2 do
    freed = freed + entry_cost(oldest[i])
    retry = tonumber(oldest[i + 1]) + l.window - now
    if freed >= excess then
      break
    end
  end
  return retry
end

-- drops the entries that left the window and stores the new total with the keys' expiry
local function store_total(l)
  if #l.expired > 0 then
    redis.call('ZREMRANGEBYSCORE', l.key, '-inf', int(l.from))
    l.expired = {}
  end
  local ttl = int(ceil_ms(l.newest + l.window - now) + 1)
  redis.call('PEXPIRE', l.key, ttl)
  redis.call('SET', l.total_key, int(l.used) .. ':' .. int(l.newest) .. ':' .. int(l.serial), 'PX', ttl)
  l.remaining = l.amount - l.used
end

function sliding.commit(l, cost)
  l.used, l.serial = l.used + cost, l.serial + 1
  l.newest = max(now, l.newest or now)
  local member = int(now) .. ':' .. int(l.serial) .. ':' .. int(cost)
  redis.call('ZADD', l.key, int(now), member)
  store_total(l)
  l.reset = l.newest + l.window - now
  return member
end

-- the charge is the entry `member`: while it is in the window, its cost becomes the actual cost
function sliding.adjust(l, member, delta)
  if delta == 0 then
    return UNCHANGED, 0
  end
  local at = member and tonumber(string.match(member, '^(%d+):'))
  if not at or at <= l.from or not redis.call('ZSCORE', l.key, member) then
    return outside_window(l, delta)
  end
  local cost = entry_cost(member) + delta
  redis.call('ZREM', l.key, member)
  redis.call('ZADD', l.key, int(at), string.match(member, '^(%d+:%d+:)') .. int(cost))
  l.used = l.used + delta
  store_total(l)
  return ADJUSTED, delta
end

-- Concurrency leases: a ZSET of request id -> lease expiry (microseconds). Expired leases count for
-- nothing and are swept by the next lease taken.
local lease = {}

local function refresh_reset(l)
  local latest = redis.call('ZRANGE', l.key, -1, -1, 'WITHSCORES')
  l.reset = 0
  if #latest > 0 and tonumber(latest[2]) > now then
    l.reset = tonumber(latest[2]) - now
  end
end

function lease.read(l)
  local live = redis.call('ZCOUNT', l.key, '(' .. int(now), '+inf')
  l.remaining, l.reset, l.swept = l.amount - live, 0, 0
  if live > 0 then
    refresh_reset(l)
  end
end

-- when the first lease expires: an upper bound, since a release may come sooner
function lease.retry(l, _)
  local first = redis.call('ZRANGEBYSCORE', l.key, '(' .. int(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #first == 0 then
    return 0
  end
  return tonumber(first[2]) - now
end

function lease.commit(l, _)
  l.swept = redis.call('ZREMRANGEBYSCORE', l.key, '-inf', int(now))
  redis.call('ZADD', l.key, int(now + l.window), request_id)
  redis.call('PEXPIRE', l.key, int(ceil_ms(l.window) + 1))
  l.remaining, l.reset = l.remaining - 1, l.window
  return nil
end

-- frees this request's lease; false when it was no longer held (expired, or the usage was reset)
function lease.release(l)
  local expiry = redis.call('ZSCORE', l.key, request_id)
  if not expiry then
    return false
  end
  redis.call('ZREM', l.key, request_id)
  if tonumber(expiry) <= now then
    return false
  end
  l.remaining = l.remaining + 1
  refresh_reset(l)
  return true
end
