-- The four modes and run(). A request record (MessagePack) binds a request id to its plan and keeps what a
-- settle or release needs: { p = plan, at = check time, by = settle deadline, s = 1 once settled,
-- r = the check's reply (replayed for a repeat), c = per limit name { a = charged, t = tag },
-- l = per lease limit name: 1 held, 2 released, 3 freed by the settle, z = the settle's reply }.

-- Lease states in the record, and release kinds (Release.Kind in Java, same order).
local HELD, RELEASED, FREED_BY_SETTLE = 1, 2, 3
local NOT_A_LEASE, RELEASE_DONE, ALREADY_RELEASED, RELEASE_FREED_BY_SETTLE, LEASE_EXPIRED, NO_LEASE = 0, 1, 2, 3, 4, 5
-- settle kinds for leases and for limits the check did not charge (after the algorithms' kinds)
local SETTLE_LEASE_RELEASED, SETTLE_LEASE_EXPIRED, SETTLE_LEASE_ALREADY_FREE, NOT_RESERVED = 5, 6, 7, 8

local function read_record(record_key)
  local raw = redis.call('GET', record_key)
  if raw then
    return cmsgpack.unpack(raw)
  end
  return nil
end

-- The most output tokens that fit every enforced token and money limit after `base_tokens` of input
-- (at most `cap`); negative when the input alone does not fit.
local function output_fit(limits, cap, base_tokens)
  local fit = cap
  for _, l in ipairs(limits) do
    local f = nil
    if l.enforce and l.unit == 't' then
      f = l.remaining - base_tokens
    elseif l.enforce and l.unit == 'u' then
      f = affordable(l.remaining, cap)
    end
    if f and f < fit then
      fit = f
    end
  end
  return fit
end

-- what a limit is charged for `output` tokens
local function charge(l, output)
  if l.unit == 't' then return l.base + output end
  if l.unit == 'u' then return money(output) end
  return l.base
end

local function check(call, reads_only)
  local ARGV, limits, record_key = call.ARGV, call.limits, call.record_key
  if record_key and not reads_only then
    local record = read_record(record_key)
    if record then
      if record.p ~= ARGV[5] then
        return { OTHER_PLAN, 0, now_ms, 0, 0 }
      end
      record.r[2] = 1
      return record.r
    end
  end
  read_states(call.KEYS, limits, call.fields, false)
  local reserve = ARGV[7] == '1'
  local out_max, out_min = tonumber(ARGV[8]), tonumber(ARGV[9])
  if not reserve then out_min = 0 end
  local tokens_in = 0
  for _, l in ipairs(limits) do
    if l.unit == 't' then tokens_in = l.base break end
  end
  local granted = output_fit(limits, out_max, tokens_in)

  -- a zero charge still needs one unit left (an exhausted limit denies), except a lease, which only a
  -- generation takes
  local allowed = 1
  for i = 1, #limits do
    local l = limits[i]
    local need = charge(l, out_min)
    if l.unit ~= 'c' and need < 1 then need = 1 end
    l.fits, l.retry, l.charged = need == 0 or need <= l.remaining, 0, 0
    if not l.fits then
      if l.enforce then allowed = 0 end   -- a shadow limit only reports that it would have denied
      l.retry = l.kind.retry(l, need)
    end
  end

  local expired_leases = 0
  if allowed == 1 and not reads_only then
    local output = reserve and granted or 0
    for i = 1, #limits do
      local l = limits[i]
      local cost = charge(l, output)
      if cost > 0 then
        l.charged = cost
        l.tag = l.kind.commit(l, cost)
        expired_leases = expired_leases + (l.swept or 0)
      end
    end
    write_fields(call.KEYS[1], limits)
  end
  local max_output
  if reserve then
    max_output = allowed == 1 and granted or math.max(granted, 0)
  else
    max_output = math.max(output_fit(limits, out_max, 0), 0)
  end

  local reply = { allowed, 0, now_ms, max_output, expired_leases }
  local n = 5
  for i = 1, #limits do
    local l = limits[i]
    local remaining, reset, retry = l.remaining, l.reset, l.retry
    reply[n + 1] = l.fits and 1 or 0
    reply[n + 2] = remaining > 0 and remaining or 0
    reply[n + 3] = reset > 0 and math.ceil(reset / 1000) or 0
    reply[n + 4] = retry > 0 and math.ceil(retry / 1000) or 0
    reply[n + 5] = l.charged
    reply[n + 6] = l.overridden and 1 or 0
    reply[n + 7] = l.amount
    n = n + 7
  end

  if allowed == 1 and record_key and not reads_only then
    local record = { p = ARGV[5], at = now, by = now + tonumber(ARGV[4]) * 1000, s = 0, r = reply, c = {}, l = {} }
    for _, l in ipairs(limits) do
      if l.unit == 'c' then
        if l.charged > 0 then record.l[l.name] = HELD end
      else
        record.c[l.name] = { a = l.charged, t = l.tag }
      end
    end
    redis.call('SET', record_key, cmsgpack.pack(record), 'PX', ARGV[3])
  end
  return reply
end

-- the settle of one limit charged by the check: its kind, what was reserved, the actual usage, what was applied
local function settle_charge(l, charged, actual_tokens, actual_money)
  local reserved = charged.a
  if l.unit == 'r' then
    return UNCHANGED, reserved, reserved, 0      -- the request was made
  end
  local actual = (l.unit == 't') and actual_tokens or actual_money
  if charged.t == nil and reserved == 0 then
    -- nothing was charged (e.g. no model priced at the check): the usage is charged now, once
    if actual > 0 then
      l.kind.commit(l, actual)
      return ADJUSTED, reserved, actual, actual
    end
    return UNCHANGED, reserved, actual, 0
  end
  local kind, applied = l.kind.adjust(l, charged.t, actual - reserved)
  return kind, reserved, actual, applied
end

local function settle(call)
  local ARGV, limits = call.ARGV, call.limits
  local record = read_record(call.record_key)
  if not record then
    return { UNKNOWN_REQUEST, 0, now_ms, 0 }
  end
  if record.p ~= ARGV[5] then
    return { OTHER_PLAN, 0, now_ms, 0 }
  end
  if record.s == 1 then
    record.z[2] = 1
    return record.z
  end
  local reserved_at_ms = math.floor(record.at / 1000)
  if now > record.by then
    return { SETTLE_EXPIRED, 0, now_ms, reserved_at_ms }
  end
  read_states(call.KEYS, limits, call.fields, false)
  local actual_tokens, actual_money = tonumber(ARGV[8]), tonumber(ARGV[9])
  local reply = { 1, 0, now_ms, reserved_at_ms }
  for _, l in ipairs(limits) do
    local kind, reserved, actual, applied = NOT_RESERVED, 0, 0, 0
    if l.unit == 'c' then
      local held = record.l[l.name]
      if held == HELD then
        kind = l.kind.release(l) and SETTLE_LEASE_RELEASED or SETTLE_LEASE_EXPIRED
        record.l[l.name] = FREED_BY_SETTLE
      elseif held then
        kind = SETTLE_LEASE_ALREADY_FREE
      end
    elseif record.c[l.name] then
      kind, reserved, actual, applied = settle_charge(l, record.c[l.name], actual_tokens, actual_money)
    end
    local n = #reply
    reply[n + 1], reply[n + 2], reply[n + 3], reply[n + 4] = kind, reserved, actual, applied
    reply[n + 5], reply[n + 6] = math.max(l.remaining, 0), ceil_ms(l.reset)
    reply[n + 7], reply[n + 8] = l.overridden and 1 or 0, l.amount
  end
  write_fields(call.KEYS[1], limits)
  record.s, record.z = 1, reply
  redis.call('SET', call.record_key, cmsgpack.pack(record), 'KEEPTTL')
  return reply
end

local function release(call)
  local record = read_record(call.record_key)
  if not record then
    return { UNKNOWN_REQUEST, 0, now_ms }
  end
  if record.p ~= call.ARGV[5] then
    return { OTHER_PLAN, 0, now_ms }
  end
  read_states(call.KEYS, call.limits, call.fields, true)
  local reply = { 1, 0, now_ms }
  local changed = false
  for _, l in ipairs(call.limits) do
    local kind, remaining, reset = NOT_A_LEASE, 0, 0
    if l.unit == 'c' then
      local held = record.l[l.name]
      if held == HELD then
        kind = l.kind.release(l) and RELEASE_DONE or LEASE_EXPIRED
        record.l[l.name] = RELEASED
        changed = true
      elseif held == RELEASED then
        kind = ALREADY_RELEASED
      elseif held == FREED_BY_SETTLE then
        kind = RELEASE_FREED_BY_SETTLE
      else
        kind = NO_LEASE
      end
      remaining, reset = math.max(l.remaining, 0), ceil_ms(l.reset)
    end
    local n = #reply
    reply[n + 1], reply[n + 2], reply[n + 3] = kind, remaining, reset
  end
  if changed then
    redis.call('SET', call.record_key, cmsgpack.pack(record), 'KEEPTTL')
  end
  return reply
end

local MODES = { check = function(call) return check(call, false) end, status = function(call) return check(call, true) end,
                settle = settle, release = release }

local function run(KEYS, ARGV)
  local mode = MODES[ARGV[1]]
  if not mode then
    return redis.error_reply('unknown mode ' .. tostring(ARGV[1]))
  end
  if ARGV[2] ~= '' then
    now = tonumber(ARGV[2])
  else
    local time = redis.call('TIME')
    now = tonumber(time[1]) * MILLION + tonumber(time[2])
  end
  now_ms = math.floor(now / 1000)
  request_id = ARGV[6]
  a_hi, a_lo, p_hi, p_lo = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
  local limits, fields = read_limits(KEYS, ARGV)
  if not limits then
    return fields    -- the error reply
  end
  local record_key = nil
  if request_id ~= '' then
    record_key = KEYS[#KEYS]
  end
  return mode({ KEYS = KEYS, ARGV = ARGV, limits = limits, fields = fields, record_key = record_key })
end
