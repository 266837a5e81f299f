-- The settle, release and set modes, and run(), which reads a call's time, arguments and limits and runs its mode.

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
  local reserved_at_ms = floor(record.at / 1000)
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
    reply[n + 5], reply[n + 6] = max(l.remaining, 0), ceil_ms(l.reset)
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
      remaining, reset = max(l.remaining, 0), ceil_ms(l.reset)
    end
    local n = #reply
    reply[n + 1], reply[n + 2], reply[n + 3] = kind, remaining, reset
  end
  if changed then
    redis.call('SET', call.record_key, cmsgpack.pack(record), 'KEEPTTL')
  end
  return reply
end

-- the most a limit holds: a bucket's capacity, the amount of any other limit (an override sets both)
local function capacity(l)
  return l.kind == bucket and l.burst or l.amount
end

-- An operator carries usage counted elsewhere over: each limit given an amount has the usage of its current
-- window (as much as a check would see now) raised to that amount, at most its capacity, by charging the
-- difference now as a check would. Usage is never lowered, so a repeat changes nothing and nothing counted
-- since is lost. Leases are not usage: left as they are.
local function set_usage(call)
  local ARGV, limits = call.ARGV, call.limits
  read_states(call.KEYS, limits, call.fields, false)
  local n, before = #limits, {}
  for i = 1, n do
    local l = limits[i]
    local cap = capacity(l)
    before[i] = cap - l.remaining
    local wanted = tonumber(ARGV[SPEC_ARG + n + i])
    if wanted > cap then wanted = cap end
    if l.unit ~= 'c' and wanted > before[i] then
      l.kind.commit(l, wanted - before[i])
    end
  end
  write_fields(call.KEYS[1], limits)
  -- the status as a later call reads it back: every limit's state, then each one's usage before and after
  local status = check(call, true)
  local reply, m = {}, #status
  for j = 1, m do reply[j] = status[j] end
  for i = 1, n do
    local l = limits[i]
    reply[m + 1], reply[m + 2] = before[i], capacity(l) - l.remaining
    m = m + 2
  end
  return reply
end

local MODES = { check = function(call) return check(call, false) end, status = function(call) return check(call, true) end,
                settle = settle, release = release, set = set_usage }

-- A reply goes back as one string of little-endian doubles (whole numbers, exact below 2^53): Redis copies
-- one string where it would convert every entry of a table.
local reply_formats = {}

local function pack_reply(reply)
  local n = #reply
  local f = reply_formats[n]
  if not f then
    f = '<' .. string.rep('d', n)
    reply_formats[n] = f
  end
  return pack(f, unpack(reply, 1, n))
end

local function run(KEYS, ARGV)
  if not format then
    bind_libraries()
  end
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
  now_ms = floor(now / 1000)
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
  local reply = mode({ KEYS = KEYS, ARGV = ARGV, limits = limits, fields = fields, record_key = record_key })
  if reply.err then
    return reply
  end
  return pack_reply(reply)
end
