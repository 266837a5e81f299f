-- Three ways of counting (leases.lua has the fourth). Each evaluator reads one limit's state at `now` and returns a table:
--   remaining, reset      units left and microseconds until fully available (kept current by the calls below)
--   retry(need)           microseconds until `need` units would fit
--   commit(cost)          consumes `cost` now; returns the tag a settle needs to find this charge again
--   adjust(tag, delta)    settle: adds `delta` (refund < 0, extra charge > 0) to the charge with `tag`;
--                         returns the adjustment kind and the amount applied
-- Nothing is written until commit or adjust is called.

-- Settle adjustment kinds (Adjustment.Kind in Java, same order).
local UNCHANGED, ADJUSTED, REFUND_DROPPED, REFUND_CLAMPED, CHARGED_TO_CURRENT_WINDOW = 0, 1, 2, 3, 4

-- A refund or extra charge whose own window has ended: an extra charge is real usage and goes to the
-- current window; a refund never credits a window that has ended.
local function outside_window(st, delta)
  if delta > 0 then
    st.commit(delta)
    return CHARGED_TO_CURRENT_WINDOW, delta
  end
  return REFUND_DROPPED, 0
end

-- Sliding log entries are "time:serial:cost": unique (the serial counts the key's entries, so a settle
-- that changes an entry's cost never makes it equal another), and the cost is the last field.
local function entry_cost(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

-- Exact sliding log: a ZSET of admitted costs scored by time, plus a second key holding
-- "total:newest:serial" (the sum of the ZSET's costs, its newest time and the last entry's serial), so a
-- check costs O(log n) plus the entries that left the window since the last write, not O(entries in
-- the window).
local function sliding(l)
  local window, limit = tonumber(l.window), l.amount
  local from = now - window
  local used, newest, serial = 0, nil, 0
  local expired = {}
  local summary = redis.call('GET', l.total_key)
  if summary then
    local total, last, count = string.match(summary, '^(%d+):(%d+):(%d+)$')
    used, newest, serial = tonumber(total), tonumber(last), tonumber(count)
    expired = redis.call('ZRANGEBYSCORE', l.key, '-inf', int(from))
    for i = 1, #expired do
      used = used - entry_cost(expired[i])
    end
  end
  local st = { remaining = limit - used, reset = 0 }
  if used > 0 then
    st.reset = newest + window - now
  end

  -- when enough of the oldest admitted cost has left the window; past the first 100 entries this is a
  -- lower bound (the earliest moment worth retrying)
  function st.retry(need)
    local excess, freed, retry = need - st.remaining, 0, 0
    local oldest = redis.call('ZRANGEBYSCORE', l.key, '(' .. int(from), '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
    for i = 1, #oldest, 2 do
      freed = freed + entry_cost(oldest[i])
      retry = tonumber(oldest[i + 1]) + window - now
      if freed >= excess then
        break
      end
    end
    return retry
  end

  -- drops the entries that left the window and stores the new total with the keys' expiry
  local function store_total(ttl_from)
    if #expired > 0 then
      redis.call('ZREMRANGEBYSCORE', l.key, '-inf', int(from))
      expired = {}
    end
    local ttl = int(ceil_ms(ttl_from + window - now) + 1)
    redis.call('PEXPIRE', l.key, ttl)
    redis.call('SET', l.total_key, int(used) .. ':' .. int(newest) .. ':' .. int(serial), 'PX', ttl)
  end

  function st.commit(cost)
    used, serial = used + cost, serial + 1
    newest = math.max(now, newest or now)
    local member = int(now) .. ':' .. int(serial) .. ':' .. int(cost)
    redis.call('ZADD', l.key, int(now), member)
    store_total(newest)
    st.remaining, st.reset = limit - used, newest + window - now
    return member
  end

  -- the charge is the entry `member`: while it is in the window, its cost becomes the actual cost
  function st.adjust(member, delta)
    if delta == 0 then
      return UNCHANGED, 0
    end
    local at = member and tonumber(string.match(member, '^(%d+):'))
    if not at or at <= from or not redis.call('ZSCORE', l.key, member) then
      return outside_window(st, delta)
    end
    local cost = entry_cost(member) + delta
    redis.call('ZREM', l.key, member)
    redis.call('ZADD', l.key, int(at), string.match(member, '^(%d+:%d+:)') .. int(cost))
    used = used + delta
    store_total(newest)
    st.remaining = limit - used
    return ADJUSTED, delta
  end
  return st
end

-- Sliding window of SUB_WINDOWS counters: "newest:c1,...,ck", the admissions of the k sub-windows that
-- end with sub-window `newest` (sub-windows are window / N long, numbered from the epoch; zeros before
-- the first and after the newest are left out, so one admission is "2968271:1"). A sub-window is
-- counted whole while any part of it is in (now - window, now], so the count never misses an admission
-- in the window (never admits more than the limit) and an admission is counted at most one sub-window
-- longer than exactly: a check may be denied up to window / N early. Memory: one short string.
local SUB_WINDOWS = 10

local function window_counter(l)
  local window, limit = tonumber(l.window), l.amount
  local size = window / SUB_WINDOWS
  local current = math.floor(now / size)
  local first = current - SUB_WINDOWS
  local counts, used = {}, 0
  for i = first, current do counts[i] = 0 end
  local stored = redis.call('GET', l.key)
  if stored then
    local newest, rest = string.match(stored, '^(%d+):(.*)$')
    local values = {}
    for count in string.gmatch(rest, '%d+') do values[#values + 1] = tonumber(count) end
    local i = tonumber(newest) - #values + 1
    for _, c in ipairs(values) do
      if i >= first and c > 0 then
        local at = math.min(i, current)   -- a clock that stepped back: count it now, never lose it
        counts[at] = counts[at] + c
        used = used + c
      end
      i = i + 1
    end
  end

  -- microseconds until everything counted in sub-windows up to `i` has left the window
  local function leaves(i)
    return (i + 1) * size + window - now
  end
  local function newest_used()
    for i = current, first, -1 do
      if counts[i] > 0 then return i end
    end
    return nil
  end
  local st = { remaining = limit - used, reset = 0 }
  local busiest = newest_used()
  if busiest then st.reset = leaves(busiest) end

  function st.retry(need)
    local excess, freed = need - st.remaining, 0
    for i = first, current do
      freed = freed + counts[i]
      if freed >= excess then return leaves(i) end
    end
    return leaves(current)
  end

  local function store()
    local newest = newest_used()
    if not newest then
      redis.call('DEL', l.key)
      st.remaining, st.reset = limit, 0
      return
    end
    local oldest = first
    while counts[oldest] == 0 do oldest = oldest + 1 end
    local parts = {}
    for i = oldest, newest do parts[#parts + 1] = int(counts[i]) end
    redis.call('SET', l.key, int(newest) .. ':' .. table.concat(parts, ','), 'PX', int(ceil_ms(leaves(newest)) + 1))
    st.remaining, st.reset = limit - used, leaves(newest)
  end

  function st.commit(cost)
    counts[current] = counts[current] + cost
    used = used + cost
    store()
    return current
  end

  -- the charge's tag is its sub-window: adjusted there while it is still counted
  function st.adjust(at, delta)
    if delta == 0 then
      return UNCHANGED, 0
    end
    if not at or at < first or at > current then
      return outside_window(st, delta)
    end
    if counts[at] + delta < 0 then
      local applied = -counts[at]   -- the usage was reset since the check: less is left to refund
      used = used - counts[at]
      counts[at] = 0
      store()
      return REFUND_CLAMPED, applied
    end
    counts[at] = counts[at] + delta
    used = used + delta
    store()
    return ADJUSTED, delta
  end
  return st
end

-- GCRA token bucket: the stored value is the theoretical arrival time (TAT) of the next unit.
local function bucket(l)
  local window, limit, burst = tonumber(l.window), l.amount, l.burst
  local interval = window / limit          -- microseconds per unit
  local tat = tonumber(redis.call('GET', l.key) or '0')
  if tat < now then tat = now end
  -- Units that fit at `now` if the theoretical arrival time is `at`. Floating point may only err
  -- towards fewer: no epsilon, and the stored time is always rounded up.
  local function available(at)
    return math.floor(burst - (at - now) / interval)
  end
  local st = { remaining = available(tat), reset = tat - now }

  function st.retry(need)
    return (tat - now) - (burst - need) * interval
  end

  local function store(new_tat)
    tat = new_tat
    if tat > now then
      redis.call('SET', l.key, int(tat), 'PX', int(ceil_ms(tat - now) + 1))
    else
      redis.call('DEL', l.key)
    end
    st.remaining, st.reset = available(tat), tat - now
  end

  function st.commit(cost)
    -- round the increment (a small number), not the sum at epoch scale where doubles are coarse
    store(tat + math.ceil(cost * interval))
    return nil
  end

  -- A bucket has no windows: an extra charge drains like any charge; a refund gives back the part that
  -- has not refilled yet (the bucket never holds more than its capacity).
  function st.adjust(_, delta)
    if delta >= 0 then
      if delta > 0 then st.commit(delta) end
      return delta > 0 and ADJUSTED or UNCHANGED, delta
    end
    local owed = math.floor(-delta * interval)
    local outstanding = tat - now
    if outstanding <= 0 then
      return REFUND_DROPPED, 0
    end
    if owed <= outstanding then
      store(tat - owed)
      return ADJUSTED, delta
    end
    store(now)
    return REFUND_CLAMPED, -math.floor(outstanding / interval)
  end
  return st
end

-- A calendar-window counter: one string "windowStart:used", expiring at the window's end.
local function fixed(l)
  local limit = l.amount
  local start, finish = calendar_window(l.window)
  local used = 0
  local state = redis.call('GET', l.key)
  if state then
    local window_start, count = string.match(state, '^(%d+):(%d+)$')
    if tonumber(window_start) == start then
      used = tonumber(count)
    end
  end
  local st = { remaining = limit - used, reset = 0 }
  if used > 0 then
    st.reset = finish - now
  end

  function st.retry(_)
    return finish - now
  end

  local function store(new_used)
    used = new_used
    redis.call('SET', l.key, int(start) .. ':' .. int(used), 'PX', int(ceil_ms(finish - now) + 1))
    st.remaining, st.reset = limit - used, used > 0 and (finish - now) or 0
  end

  function st.commit(cost)
    store(used + cost)
    return start
  end

  -- the charge's tag is the start of its window: the adjustment goes there while it is current
  function st.adjust(window_start, delta)
    if delta == 0 then
      return UNCHANGED, 0
    end
    if window_start ~= start then
      return outside_window(st, delta)
    end
    if used + delta < 0 then
      -- the window's usage was reset since the check: there is less left to refund
      local applied = -used
      store(0)
      return REFUND_CLAMPED, applied
    end
    store(used + delta)
    return ADJUSTED, delta
  end
  return st
end
