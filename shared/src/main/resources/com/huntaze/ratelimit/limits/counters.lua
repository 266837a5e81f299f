-- Three ways of counting whose state is one short field of the creator's usage hash (logs.lua has the two
-- that keep keys of their own). Each kind is a table of functions of a limit `l`, whose field value was
-- read into l.raw (nil when there is none):
--   read(l)               sets l.remaining and l.reset (units left, microseconds until fully available),
--                         kept current by the calls below, and l.deadline (when the field as read may go)
--   retry(l, need)        microseconds until `need` units would fit
--   commit(l, cost)       consumes `cost` now; returns the tag a settle needs to find this charge again
--   adjust(l, tag, delta) settle: adds `delta` (refund < 0, extra charge > 0) to the charge with `tag`;
--                         returns the adjustment kind and the amount applied
-- A change only sets l.value (the new field, or false to remove it) and l.expires (microseconds until the
-- field may go); state.lua writes every changed field at the end, in one HSET. A field read in a hash that
-- outlives it (another limit keeps the hash) is stale by its own content, so each kind reads it as such.
-- Fields are little-endian doubles (struct), exact for whole numbers below 2^53: packing and unpacking
-- them costs a fraction of formatting and parsing decimal text. A field of another length is read as empty.

local function store(l, value, expires)
  l.value, l.expires, l.dirty = value, expires, true
end

-- Sliding window of SUB_WINDOWS counters: the width of a count (4 bytes, or 8 once a count needs a double),
-- the number of sub-window `newest` (a double), then ck, ..., c1, the admissions of the k sub-windows that end
-- with it, newest first (sub-windows are window / N long, numbered from the epoch; zeros after the newest and
-- before the oldest are left out, so one admission is 13 bytes). A sub-window is
-- counted whole while any part of it is in (now - window, now], so the count never misses an admission
-- in the window (never admits more than the limit) and an admission is counted at most one sub-window
-- longer than exactly: a check may be denied up to window / N early. l.counts[k] holds sub-window
-- first + k - 1, from the oldest still counted (k = 1) to the current one (k = N + 1).
local SUB_WINDOWS = 10
local SLOTS = SUB_WINDOWS + 1
local COUNT_FORMATS = { [4] = '<I4', [8] = '<d' }
local window_formats, window_values = { [4] = {}, [8] = {} }, {}

-- the struct format of a field of n counts of `width` bytes
local function window_format(width, n)
  local f = window_formats[width][n]
  if not f then
    f = '<Bd' .. string.rep(width == 4 and 'I4' or 'd', n)
    window_formats[width][n] = f
  end
  return f
end

-- microseconds until everything counted in slots up to `k` has left the window
local function leaves(l, k)
  return (l.first + k) * l.size + l.window - now
end

local function newest_used(l)
  local counts = l.counts
  for k = SLOTS, 1, -1 do
    if counts[k] > 0 then return k end
  end
  return nil
end

local function store_counts(l)
  local newest = newest_used(l)
  if not newest then
    store(l, false, 0)
    l.remaining, l.reset = l.amount, 0
    return
  end
  local counts, oldest, values, width = l.counts, 1, window_values, 4
  while counts[oldest] == 0 do oldest = oldest + 1 end
  values[2] = l.first + newest - 1
  for k = newest, oldest, -1 do
    local c = counts[k]
    values[newest - k + 3] = c
    if c > 4294967295 then width = 8 end
  end
  values[1] = width
  local n = newest - oldest + 1
  store(l, pack(window_format(width, n), unpack(values, 1, n + 2)), leaves(l, newest))
  l.remaining, l.reset = l.amount - l.used, leaves(l, newest)
end

local window = {}

function window.read(l)
  local size = l.window / SUB_WINDOWS
  local current = floor(now / size)
  local first = current - SUB_WINDOWS
  local counts, used = l.counts or {}, 0
  for k = 1, SLOTS do counts[k] = 0 end
  local raw, deadline = l.raw, 0
  local width = raw and #raw >= 13 and unpack_at('<B', raw)
  local count_format = COUNT_FORMATS[width]
  local n = count_format and (#raw - 9) / width
  if n and n >= 1 and n <= SLOTS and n == floor(n) then
    local i = unpack_at('<d', raw, 2)
    deadline = (i + 1) * size + l.window
    for at = 10, #raw, width do
      if i < first then break end
      local c = unpack_at(count_format, raw, at)
      local k = (i < current and i or current) - first + 1   -- a clock that stepped back: count it now
      counts[k] = counts[k] + c
      used = used + c
      i = i - 1
    end
  end
  l.size, l.first, l.counts, l.used, l.deadline = size, first, counts, used, deadline
  l.remaining, l.reset = l.amount - used, 0
  local busiest = newest_used(l)
  if busiest then l.reset = leaves(l, busiest) end
end

function window.retry(l, need)
  local counts, excess, freed = l.counts, need - l.remaining, 0
  for k = 1, SLOTS do
    freed = freed + counts[k]
    if freed >= excess then return leaves(l, k) end
  end
  return leaves(l, SLOTS)
end

function window.commit(l, cost)
  local counts = l.counts
  counts[SLOTS] = counts[SLOTS] + cost
  l.used = l.used + cost
  store_counts(l)
  return l.first + SUB_WINDOWS   -- the current sub-window
end

-- the charge's tag is its sub-window: adjusted there while it is still counted
function window.adjust(l, at, delta)
  if delta == 0 then
    return UNCHANGED, 0
  end
  local k = at and at - l.first + 1
  if not k or k < 1 or k > SLOTS then
    return outside_window(l, delta)
  end
  local counts = l.counts
  if counts[k] + delta < 0 then
    local applied = -counts[k]   -- the usage was reset since the check: less is left to refund
    l.used = l.used - counts[k]
    counts[k] = 0
    store_counts(l)
    return REFUND_CLAMPED, applied
  end
  counts[k] = counts[k] + delta
  l.used = l.used + delta
  store_counts(l)
  return ADJUSTED, delta
end

-- GCRA token bucket: the field is the theoretical arrival time (TAT) of the next unit, in microseconds.
local bucket = {}

-- Units that fit at `now` when the theoretical arrival time is `tat`. Floating point may only err
-- towards fewer: no epsilon, and the stored time is always rounded up.
local function store_tat(l, tat)
  l.tat = tat
  store(l, pack('<d', tat), tat - now)
  l.remaining, l.reset = floor(l.burst - (tat - now) / l.interval), tat - now
end

function bucket.read(l)
  l.interval = l.window / l.amount          -- microseconds per unit
  local raw, tat = l.raw, 0
  if raw and #raw == 8 then tat = unpack_at('<d', raw) end
  l.deadline = tat
  if tat < now then tat = now end
  l.tat = tat
  l.remaining, l.reset = floor(l.burst - (tat - now) / l.interval), tat - now
end

function bucket.retry(l, need)
  return (l.tat - now) - (l.burst - need) * l.interval
end

function bucket.commit(l, cost)
  -- round the increment (a small number), not the sum at epoch scale where doubles are coarse
  store_tat(l, l.tat + ceil(cost * l.interval))
  return nil
end

-- A bucket has no windows: an extra charge drains like any charge; a refund gives back the part that
-- has not refilled yet (the bucket never holds more than its capacity).
function bucket.adjust(l, _, delta)
  if delta >= 0 then
    if delta > 0 then bucket.commit(l, delta) end
    return delta > 0 and ADJUSTED or UNCHANGED, delta
  end
  local owed = floor(-delta * l.interval)
  local outstanding = l.tat - now
  if outstanding <= 0 then
    return REFUND_DROPPED, 0
  end
  if owed <= outstanding then
    store_tat(l, l.tat - owed)
    return ADJUSTED, delta
  end
  store_tat(l, now)
  return REFUND_CLAMPED, -floor(outstanding / l.interval)
end

-- A calendar-window counter: the field is the window's start in seconds and its usage.
local fixed = {}

local function store_used(l, used)
  l.used = used
  store(l, pack('<dd', l.start / MILLION, used), l.finish - now)
  l.remaining, l.reset = l.amount - used, used > 0 and (l.finish - now) or 0
end

function fixed.read(l)
  local start, finish = calendar_window(l.window)
  local raw, used, deadline = l.raw, 0, 0
  if raw and #raw == 16 then
    local window_start, count = unpack_at('<dd', raw)
    if window_start * MILLION == start then
      used, deadline = count, finish
    end
  end
  l.start, l.finish, l.used, l.deadline = start, finish, used, deadline
  l.remaining, l.reset = l.amount - used, used > 0 and (finish - now) or 0
end

function fixed.retry(l, _)
  return l.finish - now
end

function fixed.commit(l, cost)
  store_used(l, l.used + cost)
  return l.start
end

-- the charge's tag is the start of its window: the adjustment goes there while it is current
function fixed.adjust(l, window_start, delta)
  if delta == 0 then
    return UNCHANGED, 0
  end
  if window_start ~= l.start then
    return outside_window(l, delta)
  end
  if l.used + delta < 0 then
    -- the window's usage was reset since the check: there is less left to refund
    local applied = -l.used
    store_used(l, 0)
    return REFUND_CLAMPED, applied
  end
  store_used(l, l.used + delta)
  return ADJUSTED, delta
end
