-- The whole decision for one creator and one plan, in one atomic call. LimitLibrary joins the files of this
-- folder (prologue, counters, logs, state, check, modes, in that order) into one library: loaded once per node with
-- FUNCTION LOAD and run with FCALL, or, where Redis has no functions, sent as a script run with EVALSHA. The
-- top level only defines (a library may touch no global while it loads); run(KEYS, ARGV) does the work.
-- The protocol (keys, arguments, replies) has one Java owner: LimitScript.
--
-- KEYS        [1] the creator's usage hash prefix:{creatorId}:@usage, one field per limit name holding the
--             state of a window, bucket or fixed limit; [2] the creator's override prefix:{creatorId}:@override
--             (JSON {"limits": {name: amount}, "expiresAtMs": ...}, written by LimitOverrides); then, in plan
--             order, prefix:{creatorId}:limitName for each sliding log (followed by ...:limitName:sum) and
--             each lease limit; last, when ARGV[6] names a request id, its record
--             prefix:{creatorId}:req/requestId. All share the creator's hash slot.
-- ARGV[1]     mode: "check" (consume or reserve, all or nothing), "status" (read only), "settle" (replace
--             a reservation by the actual usage), "release" (free the request's concurrency leases), "set"
--             (an operator carries usage over: raises the usage of limits' current windows, never lowers it)
-- ARGV[2]     time override in microseconds for tests, or "" to use the server's TIME
-- ARGV[3]     check: how long (ms) the request record lives (0 when there is no request id)
-- ARGV[4]     check: how long (ms) after the check a settle is accepted (the reservation's lifetime)
-- ARGV[5]     plan name (a request id is bound to the plan of its check)
-- ARGV[6]     request id, or ""
-- ARGV[7]     check: "1" when the check reserves output tokens (ARGV[8] at most, ARGV[9] at least), "0"
--             for a plain check (ARGV[8] then caps the reported maxOutputTokens)
-- ARGV[8..9]  check: max and min output tokens; settle: the actual tokens and micro-dollars
-- ARGV[10..13] money of the model: the input's cost and the price of one output token, each in
--             micro-dollars x 10^6 split at 10^6 (hi, lo), so that every product stays exact in a double
-- ARGV[14]    the plan's spec, one item per limit separated by spaces, each "name,algorithm,unit,limit,
--             window,burst,enforce" (enforce "1", or "0" for a shadow limit: evaluated and counted, never
--             denying); the same string for every call of a plan, so the library parses it once
--             algorithm "window":  window in microseconds, 10 sub-window counters in one hash field
--             algorithm "sliding": window in microseconds, exact sliding log (ZSET of admitted costs
--                                  and a second key with their total)
--             algorithm "bucket":  window in microseconds, GCRA token bucket of capacity `burst`
--             algorithm "fixed":   window "minute" | "hour" | "day" | "month", UTC calendar windows
--             algorithm "lease":   window (lease lifetime) in microseconds, ZSET of request id -> expiry
--             unit "r" requests, "t" tokens, "u" micro-dollars, "c" concurrent leases
-- ARGV[15..]  the call's base cost per limit, in plan order: requests, tokens before any output, 0 for
--             money, 1 for a lease (0: none taken)
-- then        set: per limit, in plan order, the usage to carry over (micro-dollars for money), or -1 to
--             leave the limit as it is
--
-- Replies (whole numbers, sent as one string of little-endian doubles; ScriptReplies decodes them):
--   check, status: { outcome, replayed, nowMs, maxOutputTokens, expiredLeases,
--                    per limit: fits, remaining, resetAfterMs, retryAfterMs, charged, overridden, limit }
--   settle:        { outcome, replayed, nowMs, reservedAtMs,
--                    per limit: kind, reserved, actual, applied, remaining, resetAfterMs, overridden, limit }
--   release:       { outcome, replayed, nowMs, per limit: kind, remaining, resetAfterMs }
--   set:           the status reply afterwards, then per limit: usage before, usage after
-- A denied check (or a status) writes nothing. Every write sets an expiry, so idle creators cost nothing.

local SPEC_ARG = 14
local MILLION = 1000000
-- outcomes shared by every mode (1: done; check 0: denied)
local OTHER_PLAN, UNKNOWN_REQUEST, SETTLE_EXPIRED = 2, 3, 4

-- The call being run: set by run() before anything reads them (calls never overlap).
local now, now_ms            -- microseconds and milliseconds since the epoch
local request_id             -- "" when the call names none
local a_hi, a_lo, p_hi, p_lo -- the model's money (see ARGV[10..13])

-- Library functions used on every call, bound on the first: a library's top level may not read globals,
-- and a local costs no table lookup where math.floor costs two.
local format, pack, unpack_at, floor, ceil, max

local function bind_libraries()
  format, pack, unpack_at = string.format, struct.pack, struct.unpack
  floor, ceil, max = math.floor, math.ceil, math.max
end

-- Lua turns numbers into strings with 14 significant digits ("%.14g", slow too), too few for epoch
-- microseconds: a whole number put into a string, or passed to redis.call, goes through this.
local function int(x)
  return format('%d', x)
end

local function ceil_ms(micros)
  if micros <= 0 then
    return 0
  end
  return ceil(micros / 1000)
end

-- Money: the input costs a_hi * 10^6 + a_lo and one output token p_hi * 10^6 + p_lo, in micro-dollars
-- x 10^6; a call's cost is rounded up to the next micro-dollar, exactly as ModelPrice.costMicros does.
local function money(output)
  return a_hi + output * p_hi + ceil((a_lo + output * p_lo) / MILLION)
end

-- The most output tokens (up to cap) whose cost, with the input, fits `budget`; -1 when the input alone
-- does not.
local function affordable(budget, cap)
  if money(0) > budget then
    return -1
  end
  if money(cap) <= budget then
    return cap
  end
  local low, high = 0, cap        -- money(low) fits, money(high) does not
  while high - low > 1 do
    local mid = floor((low + high) / 2)
    if money(mid) <= budget then low = mid else high = mid end
  end
  return low
end

-- Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant's algorithms).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m > 2) and (m - 3) or (m + 9)
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153)
  local m = (mp < 10) and (mp + 3) or (mp - 9)
  if m <= 2 then y = y + 1 end
  return y, m
end

local CALENDAR_SECONDS = { minute = 60, hour = 3600, day = 86400 }

-- The last calendar window computed per unit: a day or a month is the same for every call within it.
local calendar_cache = {}

-- [start, end) of the calendar window holding `now`, in microseconds.
local function calendar_window(unit)
  local last = calendar_cache[unit]
  if last and now >= last[1] and now < last[2] then
    return last[1], last[2]
  end
  local seconds = floor(now / MILLION)
  local size = CALENDAR_SECONDS[unit]
  local start, finish
  if size then
    start = seconds - seconds % size
    start, finish = start * MILLION, (start + size) * MILLION
  else
    local y, m = civil_from_days(floor(seconds / 86400))
    start = days_from_civil(y, m, 1) * 86400 * MILLION
    if m == 12 then y, m = y + 1, 1 else m = m + 1 end
    finish = days_from_civil(y, m, 1) * 86400 * MILLION
  end
  calendar_cache[unit] = { start, finish }
  return start, finish
end

-- Settle adjustment kinds (Adjustment.Kind in Java, same order).
local UNCHANGED, ADJUSTED, REFUND_DROPPED, REFUND_CLAMPED, CHARGED_TO_CURRENT_WINDOW = 0, 1, 2, 3, 4

-- A refund or extra charge whose own window has ended: an extra charge is real usage and goes to the
-- current window; a refund never credits a window that has ended.
local function outside_window(l, delta)
  if delta > 0 then
    l.kind.commit(l, delta)
    return CHARGED_TO_CURRENT_WINDOW, delta
  end
  return REFUND_DROPPED, 0
end
