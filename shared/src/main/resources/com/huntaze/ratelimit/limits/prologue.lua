-- The whole decision for one creator and one plan, in one atomic script assembled from the files of this
-- folder (prologue, algorithms, leases, modes, in that order). The protocol (keys, arguments, replies) has one
-- Java owner: LimitScript.
--
-- KEYS        per limit, in plan order: prefix:{creatorId}:limitName, followed for sliding windows by
--             prefix:{creatorId}:limitName:sum; then the creator's override prefix:{creatorId}:@override
--             (JSON {"limits": {name: amount}, "expiresAtMs": ...}, written by LimitOverrides); then, when
--             ARGV[6] names a request id, its record prefix:{creatorId}:req/requestId. All share the
--             creator's hash slot.
-- ARGV[1]     mode: "check" (consume or reserve, all or nothing), "status" (read only), "settle" (replace
--             a reservation by the actual usage), "release" (free the request's concurrency leases)
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
-- ARGV[14..]  seven values per limit: algorithm, unit, limit, window, burst, base cost, enforce ("1", or
--             "0" for a shadow limit: evaluated and counted, never denying)
--             algorithm "window":  window in microseconds, 10 sub-window counters in one string
--             algorithm "sliding": window in microseconds, exact sliding log (ZSET of admitted costs
--                                  and a second key with their total)
--             algorithm "bucket":  window in microseconds, GCRA token bucket of capacity `burst`
--             algorithm "fixed":   window "minute" | "hour" | "day" | "month", UTC calendar windows
--             algorithm "lease":   window (lease lifetime) in microseconds, ZSET of request id -> expiry
--             unit "r" requests, "t" tokens, "u" micro-dollars, "c" concurrent leases
--             base cost: requests, tokens before any output, 0 for money, 1 for a lease (0: none taken)
--
-- Replies (integers; LimitScript decodes them):
--   check, status: { outcome, replayed, nowMs, maxOutputTokens, expiredLeases,
--                    per limit: fits, remaining, resetAfterMs, retryAfterMs, charged, overridden, limit }
--   settle:        { outcome, replayed, nowMs, reservedAtMs,
--                    per limit: kind, reserved, actual, applied, remaining, resetAfterMs, overridden, limit }
--   release:       { outcome, replayed, nowMs, per limit: kind, remaining, resetAfterMs }
-- A denied check (or a status) writes nothing. Every write sets an expiry, so idle creators cost nothing.

local FIRST_LIMIT_ARG, ARGS_PER_LIMIT = 14, 7
local MILLION = 1000000
-- outcomes shared by every mode (1: done; check 0: denied)
local OTHER_PLAN, UNKNOWN_REQUEST, SETTLE_EXPIRED = 2, 3, 4

local mode = ARGV[1]
local plan_name = ARGV[5]
local request_id = ARGV[6]
local record_key = nil
if request_id ~= '' then
  record_key = KEYS[#KEYS]
end

local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local now_ms = math.floor(now / 1000)

-- The limits with named fields, read once from their argument groups; sliding windows take two keys.
local limits = {}
local next_key = 1
for at = FIRST_LIMIT_ARG, #ARGV, ARGS_PER_LIMIT do
  local limit = {
    algorithm = ARGV[at], unit = ARGV[at + 1], amount = tonumber(ARGV[at + 2]), window = ARGV[at + 3],
    burst = tonumber(ARGV[at + 4]), base = tonumber(ARGV[at + 5]), enforce = ARGV[at + 6] == '1',
    key = KEYS[next_key],
  }
  limit.name = string.match(limit.key, '}:(.*)$')
  next_key = next_key + 1
  if limit.algorithm == 'sliding' then
    limit.total_key = KEYS[next_key]
    next_key = next_key + 1
  end
  limits[#limits + 1] = limit
end

-- A creator's override replaces the amounts of the limits it names (a bucket's capacity too) until it
-- expires; Redis drops the key then, and the script ignores one already past on its own clock.
local override_key = KEYS[next_key]
local override = redis.call('GET', override_key)
if override then
  local ok, doc = pcall(cjson.decode, override)
  if ok and type(doc) == 'table' and type(doc.limits) == 'table' and (tonumber(doc.expiresAtMs) or 0) > now_ms then
    for _, limit in ipairs(limits) do
      local amount = tonumber(doc.limits[limit.name])
      if amount and amount > 0 then
        limit.amount, limit.burst, limit.overridden = amount, amount, true
      end
    end
  end
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

-- Money: the input costs a_hi * 10^6 + a_lo and one output token p_hi * 10^6 + p_lo, in micro-dollars
-- x 10^6; a call's cost is rounded up to the next micro-dollar, exactly as ModelPrice.costMicros does.
local a_hi, a_lo, p_hi, p_lo = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])

local function money(output)
  return a_hi + output * p_hi + math.ceil((a_lo + output * p_lo) / MILLION)
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
    local mid = math.floor((low + high) / 2)
    if money(mid) <= budget then low = mid else high = mid end
  end
  return low
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
