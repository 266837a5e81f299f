-- The whole rate-limit decision for one creator and one plan, in one atomic script. The protocol
-- (key order, arguments, reply) has one Java owner: LimitScript, beside this file.
--
-- KEYS        per limit, in plan order: prefix:{creatorId}:limitName, followed for sliding windows by
--             prefix:{creatorId}:limitName:sum; then, when ARGV[3] > 0, the request-id key
--             prefix:{creatorId}:req:plan:requestId. All share the creator's hash slot.
-- ARGV[1]     "check" (consume, all or nothing) or "status" (read only)
-- ARGV[2]     time override in microseconds for tests, or "" to use the server's TIME
-- ARGV[3]     how long (ms) an allowed decision is kept under the request-id key, the last KEY;
--             0: there is no request-id key
-- ARGV[4..]   five values per limit: algorithm, limit, window, burst, cost
--             algorithm "sliding": window in microseconds, exact sliding log (ZSET of admitted costs
--                                  and a second key with their total)
--             algorithm "bucket":  window in microseconds, GCRA token bucket of capacity `burst`
--             algorithm "fixed":   window "minute" | "hour" | "day" | "month", UTC calendar windows
--
-- Reply: { allowed, replayed, nowMs, then per limit: fits, remaining, resetAfterMs, retryAfterMs }
-- A denied check (or a status) writes nothing. Every write sets an expiry, so idle creators cost nothing.

local FIRST_LIMIT_ARG, ARGS_PER_LIMIT = 4, 5
local mode = ARGV[1]
local request_ttl = tonumber(ARGV[3])
local request_key = nil
if request_ttl > 0 then
  request_key = KEYS[#KEYS]
end

-- The limits with named fields, read once from their argument groups; sliding windows take two keys.
local limits = {}
local next_key = 1
for at = FIRST_LIMIT_ARG, #ARGV, ARGS_PER_LIMIT do
  local limit = {
    algorithm = ARGV[at], amount = tonumber(ARGV[at + 1]), window = ARGV[at + 2],
    burst = tonumber(ARGV[at + 3]), cost = tonumber(ARGV[at + 4]), key = KEYS[next_key],
  }
  next_key = next_key + 1
  if limit.algorithm == 'sliding' then
    limit.total_key = KEYS[next_key]
    next_key = next_key + 1
  end
  limits[#limits + 1] = limit
end

if mode == 'check' and request_key then
  local stored = redis.call('GET', request_key)
  if stored then
    local reply = {}
    for value in string.gmatch(stored, '[^,]+') do
      reply[#reply + 1] = tonumber(value)
    end
    reply[2] = 1
    return reply
  end
end

local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end

-- Lua turns numbers into strings with 14 significant digits, too few for epoch microseconds:
-- every number sent to Redis or stored goes through this.
local function int(x)
  return string.format('%.0f', x)
end

local function ceil_ms(micros)
  if micros <= 0 then
    return 0
  end
  return math.ceil(micros / 1000)
end

-- Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant's algorithms).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m > 2) and (m - 3) or (m + 9)
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = (mp < 10) and (mp + 3) or (mp - 9)
  if m <= 2 then y = y + 1 end
  return y, m
end

-- [start, end) of the calendar window holding `now`, in microseconds.
local function calendar_window(unit)
  local seconds = math.floor(now / 1000000)
  local start, finish
  if unit == 'minute' or unit == 'hour' or unit == 'day' then
    local size = (unit == 'minute' and 60) or (unit == 'hour' and 3600) or 86400
    start = seconds - seconds % size
    finish = start + size
  else
    local y, m = civil_from_days(math.floor(seconds / 86400))
    start = days_from_civil(y, m, 1) * 86400
    if m == 12 then y, m = y + 1, 1 else m = m + 1 end
    finish = days_from_civil(y, m, 1) * 86400
  end
  return start * 1000000, finish * 1000000
end

-- Sliding log entries are "time:usedAfter:cost": unique (usedAfter grows within one microsecond),
-- and the cost is the last field.
local function entry_cost(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

-- Each evaluator returns: fits, remaining (before consuming), resetAfter, retryAfter (microseconds),
-- and a commit function that consumes `cost` and returns the new resetAfter and remaining.

-- Exact sliding log: a ZSET of admitted costs scored by time, plus a second key holding
-- "total:newest" (the sum of the ZSET's costs and its newest time), so a check costs O(log n) plus the
-- entries that left the window since the last allowed check, not O(entries in the window).
local function sliding(key, total_key, limit, window, cost, need)
  local from = now - window
  local used, newest = 0, nil
  local expired = {}
  local summary = redis.call('GET', total_key)
  if summary then
    local total, last = string.match(summary, '^(%d+):(%d+)$')
    used, newest = tonumber(total), tonumber(last)
    expired = redis.call('ZRANGEBYSCORE', key, '-inf', int(from))
    for i = 1, #expired do
      used = used - entry_cost(expired[i])
    end
  end
  local remaining = limit - used
  local fits = need <= remaining
  local reset = 0
  if used > 0 then
    reset = newest + window - now
  end
  local retry = 0
  if not fits then
    -- when enough of the oldest admitted cost has left the window; past the first 100 entries this
    -- is a lower bound (the earliest moment worth retrying)
    local excess, freed = need - remaining, 0
    local oldest = redis.call('ZRANGEBYSCORE', key, '(' .. int(from), '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
    for i = 1, #oldest, 2 do
      freed = freed + entry_cost(oldest[i])
      retry = tonumber(oldest[i + 1]) + window - now
      if freed >= excess then
        break
      end
    end
  end
  local function commit()
    if #expired > 0 then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', int(from))
    end
    local ttl = int(ceil_ms(window) + 1)
    local latest = math.max(now, newest or now)
    redis.call('ZADD', key, int(now), int(now) .. ':' .. int(used + cost) .. ':' .. int(cost))
    redis.call('PEXPIRE', key, ttl)
    redis.call('SET', total_key, int(used + cost) .. ':' .. int(latest), 'PX', ttl)
    return latest + window - now, remaining - cost
  end
  return fits, remaining, reset, retry, commit
end

local function bucket(key, limit, window, burst, cost, need)
  local interval = window / limit          -- microseconds per unit
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  -- Units that fit at `now` if the theoretical arrival time is `at`. Floating point may only err
  -- towards fewer: no epsilon, and the stored time is always rounded up.
  local function available(at)
    return math.floor(burst - (at - now) / interval)
  end
  local remaining = available(tat)
  local fits = need <= remaining
  local retry = 0
  if not fits then
    retry = (tat - now) - (burst - need) * interval
  end
  local function commit()
    -- round the increment (a small number), not the sum at epoch scale where doubles are coarse
    local new_tat = tat + math.ceil(cost * interval)
    redis.call('SET', key, int(new_tat), 'PX', int(ceil_ms(new_tat - now) + 1))
    return new_tat - now, available(new_tat)
  end
  return fits, remaining, tat - now, retry, commit
end

-- A calendar-window counter: one string "windowStart:used", expiring at the window's end.
local function fixed(key, limit, unit, cost, need)
  local start, finish = calendar_window(unit)
  local used = 0
  local state = redis.call('GET', key)
  if state then
    local window_start, count = string.match(state, '^(%d+):(%d+)$')
    if tonumber(window_start) == start then
      used = tonumber(count)
    end
  end
  local remaining = limit - used
  local fits = need <= remaining
  local retry = 0
  if not fits then
    retry = finish - now
  end
  local reset = 0
  if used > 0 then
    reset = finish - now
  end
  local function commit()
    redis.call('SET', key, int(start) .. ':' .. int(used + cost), 'PX', int(ceil_ms(finish - now) + 1))
    return finish - now, remaining - cost
  end
  return fits, remaining, reset, retry, commit
end

local allowed = 1
local results = {}
for i, limit in ipairs(limits) do
  -- a zero cost (e.g. no token estimate) still needs one unit left: an exhausted limit denies
  local need = math.max(limit.cost, 1)
  local fits, remaining, reset, retry, commit
  if limit.algorithm == 'sliding' then
    fits, remaining, reset, retry, commit = sliding(limit.key, limit.total_key, limit.amount,
      tonumber(limit.window), limit.cost, need)
  elseif limit.algorithm == 'bucket' then
    fits, remaining, reset, retry, commit = bucket(limit.key, limit.amount, tonumber(limit.window), limit.burst,
      limit.cost, need)
  elseif limit.algorithm == 'fixed' then
    fits, remaining, reset, retry, commit = fixed(limit.key, limit.amount, limit.window, limit.cost, need)
  else
    return redis.error_reply('unknown algorithm ' .. tostring(limit.algorithm))
  end
  if not fits then
    allowed = 0
  end
  results[i] = { fits = fits, remaining = remaining, reset = reset, retry = retry, commit = commit,
    cost = limit.cost }
end

if mode == 'check' and allowed == 1 then
  for i = 1, #results do
    local r = results[i]
    if r.cost > 0 then
      r.reset, r.remaining = r.commit()
    end
  end
end

local reply = { allowed, 0, math.floor(now / 1000) }
for i = 1, #results do
  local r = results[i]
  reply[#reply + 1] = r.fits and 1 or 0
  reply[#reply + 1] = math.max(r.remaining, 0)
  reply[#reply + 1] = ceil_ms(r.reset)
  reply[#reply + 1] = ceil_ms(r.retry)
end

if mode == 'check' and allowed == 1 and request_key then
  local parts = {}
  for i = 1, #reply do
    parts[i] = int(reply[i])
  end
  redis.call('SET', request_key, table.concat(parts, ','), 'PX', int(request_ttl))
end

return reply
