-- The check (and status) mode, and the request record it writes. A request record (MessagePack) binds a request
-- id to its plan and keeps what a settle or release needs: { p = plan, at = check time, by = settle deadline, s = 1 once settled,
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
  for i = 1, #limits do
    local l, f = limits[i], nil
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

-- The check's reply, kept from call to call (Redis reads it before the next call runs), cleared past this
-- call's part so that it stays an array.
local check_reply, check_reply_length = {}, 0

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
  -- a reservation: the most output that fits after the input
  local granted = 0
  if reserve then
    local tokens_in = 0
    for i = 1, #limits do
      if limits[i].unit == 't' then tokens_in = limits[i].base break end
    end
    granted = output_fit(limits, out_max, tokens_in)
  end

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
        l.tag = l.kind.commit(l, cost) or false
        expired_leases = expired_leases + (l.swept or 0)
      end
    end
    write_fields(call.KEYS[1], limits)
  end
  -- a plain check reports the output that fits what is left after it
  local max_output
  if reserve then
    max_output = allowed == 1 and granted or max(granted, 0)
  else
    max_output = max(output_fit(limits, out_max, 0), 0)
  end

  local reply = check_reply
  reply[1], reply[2], reply[3], reply[4], reply[5] = allowed, 0, now_ms, max_output, expired_leases
  local n = 5
  for i = 1, #limits do
    local l = limits[i]
    local remaining, reset, retry = l.remaining, l.reset, l.retry
    reply[n + 1] = l.fits and 1 or 0
    reply[n + 2] = remaining > 0 and remaining or 0
    reply[n + 3] = reset > 0 and ceil(reset / 1000) or 0
    reply[n + 4] = retry > 0 and ceil(retry / 1000) or 0
    reply[n + 5] = l.charged
    reply[n + 6] = l.overridden and 1 or 0
    reply[n + 7] = l.amount
    n = n + 7
  end
  for j = n + 1, check_reply_length do reply[j] = nil end
  check_reply_length = n

  if allowed == 1 and record_key and not reads_only then
    local record = { p = ARGV[5], at = now, by = now + tonumber(ARGV[4]) * 1000, s = 0, r = reply, c = {}, l = {} }
    for i = 1, #limits do
      local l = limits[i]
      if l.unit == 'c' then
        if l.charged > 0 then record.l[l.name] = HELD end
      else
        record.c[l.name] = { a = l.charged, t = l.tag or nil }
      end
    end
    redis.call('SET', record_key, cmsgpack.pack(record), 'PX', ARGV[3])
  end
  return reply
end
