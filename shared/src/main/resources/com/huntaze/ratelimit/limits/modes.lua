-- The four modes. A request record (MessagePack) binds a request id to its plan and keeps what a
-- settle or release needs: { p = plan, at = check time, by = settle deadline, s = 1 once settled,
-- r = the check's reply (replayed for a repeat), c = per limit name { a = charged, t = tag },
-- l = per lease limit name: 1 held, 2 released, 3 freed by the settle, z = the settle's reply }.

-- Lease states in the record, and release kinds (Release.Kind in Java, same order).
local HELD, RELEASED, FREED_BY_SETTLE = 1, 2, 3
local NOT_A_LEASE, RELEASE_DONE, ALREADY_RELEASED, RELEASE_FREED_BY_SETTLE, LEASE_EXPIRED, NO_LEASE = 0, 1, 2, 3, 4, 5
-- settle kinds for leases and for limits the check did not charge (after the algorithms' kinds)
local SETTLE_LEASE_RELEASED, SETTLE_LEASE_EXPIRED, SETTLE_LEASE_ALREADY_FREE, NOT_RESERVED = 5, 6, 7, 8

local evaluators = { window = window_counter, sliding = sliding, bucket = bucket, fixed = fixed, lease = lease }

local function evaluate_all()
  local states = {}
  for i, l in ipairs(limits) do
    local evaluate = evaluators[l.algorithm]
    if not evaluate then
      return nil, redis.error_reply('unknown algorithm ' .. tostring(l.algorithm))
    end
    states[i] = evaluate(l)
  end
  return states
end

local function read_record()
  local raw = redis.call('GET', record_key)
  if raw then
    return cmsgpack.unpack(raw)
  end
  return nil
end

-- The most output tokens that fit every enforced token and money limit after `base_tokens` of input
-- (at most `cap`); negative when the input alone does not fit.
local function output_fit(states, cap, base_tokens)
  local fit = cap
  for i, l in ipairs(limits) do
    local f = nil
    if l.enforce and l.unit == 't' then
      f = states[i].remaining - base_tokens
    elseif l.enforce and l.unit == 'u' then
      f = affordable(states[i].remaining, cap)
    end
    if f and f < fit then
      fit = f
    end
  end
  return fit
end

local function check(reads_only)
  if record_key and not reads_only then
    local record = read_record()
    if record then
      if record.p ~= plan_name then
        return { OTHER_PLAN, 0, now_ms, 0, 0 }
      end
      record.r[2] = 1
      return record.r
    end
  end
  local states, err = evaluate_all()
  if not states then return err end
  local reserve = ARGV[7] == '1'
  local out_max, out_min = tonumber(ARGV[8]), tonumber(ARGV[9])
  if not reserve then out_min = 0 end
  local tokens_in = 0
  for _, l in ipairs(limits) do
    if l.unit == 't' then tokens_in = l.base break end
  end
  local granted = output_fit(states, out_max, tokens_in)

  -- what each limit is charged for `output` tokens; a zero charge still needs one unit left (an exhausted
  -- limit denies), except a lease, which only a generation takes
  local function charge(l, output)
    if l.unit == 't' then return l.base + output end
    if l.unit == 'u' then return money(output) end
    return l.base
  end
  local allowed = 1
  local results = {}
  for i, l in ipairs(limits) do
    local st = states[i]
    local need = charge(l, out_min)
    if l.unit ~= 'c' then need = math.max(need, 1) end
    local fits = need == 0 or need <= st.remaining
    results[i] = { fits = fits, retry = 0, charged = 0 }
    if not fits then
      if l.enforce then allowed = 0 end   -- a shadow limit only reports that it would have denied
      results[i].retry = st.retry(need)
    end
  end

  local expired_leases = 0
  if allowed == 1 and not reads_only then
    local output = reserve and granted or 0
    for i, l in ipairs(limits) do
      local cost = charge(l, output)
      if cost > 0 then
        results[i].charged = cost
        results[i].tag = states[i].commit(cost)
        expired_leases = expired_leases + (states[i].swept or 0)
      end
    end
  end
  local max_output
  if reserve then
    max_output = allowed == 1 and granted or math.max(granted, 0)
  else
    max_output = math.max(output_fit(states, out_max, 0), 0)
  end

  local reply = { allowed, 0, now_ms, max_output, expired_leases }
  for i, r in ipairs(results) do
    reply[#reply + 1] = r.fits and 1 or 0
    reply[#reply + 1] = math.max(states[i].remaining, 0)
    reply[#reply + 1] = ceil_ms(states[i].reset)
    reply[#reply + 1] = ceil_ms(r.retry)
    reply[#reply + 1] = r.charged
    reply[#reply + 1] = limits[i].overridden and 1 or 0
    reply[#reply + 1] = limits[i].amount
  end

  if allowed == 1 and record_key and not reads_only then
    local record = { p = plan_name, at = now, by = now + tonumber(ARGV[4]) * 1000, s = 0, r = reply, c = {}, l = {} }
    for i, l in ipairs(limits) do
      local r = results[i]
      if l.unit == 'c' then
        if r.charged > 0 then record.l[l.name] = HELD end
      else
        record.c[l.name] = { a = r.charged, t = r.tag }
      end
    end
    redis.call('SET', record_key, cmsgpack.pack(record), 'PX', ARGV[3])
  end
  return reply
end

local function settle()
  local record = read_record()
  if not record then
    return { UNKNOWN_REQUEST, 0, now_ms, 0 }
  end
  if record.p ~= plan_name then
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
  local states, err = evaluate_all()
  if not states then return err end
  local actual_tokens, actual_money = tonumber(ARGV[8]), tonumber(ARGV[9])
  local reply = { 1, 0, now_ms, reserved_at_ms }
  for i, l in ipairs(limits) do
    local st = states[i]
    local kind, reserved, actual, applied = NOT_RESERVED, 0, 0, 0
    if l.unit == 'c' then
      local held = record.l[l.name]
      if held == HELD then
        kind = st.release() and SETTLE_LEASE_RELEASED or SETTLE_LEASE_EXPIRED
        record.l[l.name] = FREED_BY_SETTLE
      elseif held then
        kind = SETTLE_LEASE_ALREADY_FREE
      end
    elseif record.c[l.name] then
      local charge = record.c[l.name]
      reserved = charge.a
      if l.unit == 'r' then
        kind, actual = UNCHANGED, reserved      -- the request was made
      else
        actual = (l.unit == 't') and actual_tokens or actual_money
        if charge.t == nil and reserved == 0 then
          -- nothing was charged (e.g. no model priced at the check): the usage is charged now, once
          kind, applied = UNCHANGED, 0
          if actual > 0 then
            st.commit(actual)
            kind, applied = ADJUSTED, actual
          end
        else
          kind, applied = st.adjust(charge.t, actual - reserved)
        end
      end
    end
    reply[#reply + 1] = kind
    reply[#reply + 1] = reserved
    reply[#reply + 1] = actual
    reply[#reply + 1] = applied
    reply[#reply + 1] = math.max(st.remaining, 0)
    reply[#reply + 1] = ceil_ms(st.reset)
    reply[#reply + 1] = l.overridden and 1 or 0
    reply[#reply + 1] = l.amount
  end
  record.s, record.z = 1, reply
  redis.call('SET', record_key, cmsgpack.pack(record), 'KEEPTTL')
  return reply
end

local function release()
  local record = read_record()
  if not record then
    return { UNKNOWN_REQUEST, 0, now_ms }
  end
  if record.p ~= plan_name then
    return { OTHER_PLAN, 0, now_ms }
  end
  local reply = { 1, 0, now_ms }
  local changed = false
  for _, l in ipairs(limits) do
    local kind, remaining, reset = NOT_A_LEASE, 0, 0
    if l.unit == 'c' then
      local st = lease(l)
      local held = record.l[l.name]
      if held == HELD then
        kind = st.release() and RELEASE_DONE or LEASE_EXPIRED
        record.l[l.name] = RELEASED
        changed = true
      elseif held == RELEASED then
        kind = ALREADY_RELEASED
      elseif held == FREED_BY_SETTLE then
        kind = RELEASE_FREED_BY_SETTLE
      else
        kind = NO_LEASE
      end
      remaining, reset = math.max(st.remaining, 0), ceil_ms(st.reset)
    end
    reply[#reply + 1] = kind
    reply[#reply + 1] = remaining
    reply[#reply + 1] = reset
  end
  if changed then
    redis.call('SET', record_key, cmsgpack.pack(record), 'KEEPTTL')
  end
  return reply
end

if mode == 'check' then
  return check(false)
elseif mode == 'status' then
  return check(true)
elseif mode == 'settle' then
  return settle()
elseif mode == 'release' then
  return release()
end
return redis.error_reply('unknown mode ' .. tostring(mode))
