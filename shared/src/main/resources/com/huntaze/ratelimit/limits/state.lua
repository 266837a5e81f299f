-- Reading a call's limits and their state, and writing the usage hash back: one HMGET before, one HSET after.

-- algorithm -> its functions, and whether its state is a field of the usage hash
local KINDS = { window = window, bucket = bucket, fixed = fixed, sliding = sliding, lease = lease }
local IN_HASH = { window = true, bucket = true, fixed = true }

-- A plan's limits, parsed from its spec (ARGV[14]). A library loaded with FUNCTION LOAD lives on, so each node
-- parses a plan once and keeps its limit tables (a few plans, a few versions of each: the cache is simply
-- emptied past 64); as a script, the plan is parsed on every call. A call sets what it uses in begin() and
-- in its kind's read(), so nothing of one call is seen by the next. No field of these long-lived tables is
-- ever set to nil (false stands for none): Lua 5.1 drops a nil field at its next collection, and each
-- call that adds it back can make the table rehash.
local plans, plan_count = {}, 0

local function parse_plan(spec)
  local limits, fields = {}, {}
  for item in string.gmatch(spec, '[^ ]+') do
    local name, algorithm, unit, amount, window, burst, enforce =
        string.match(item, '^([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,]+)$')
    local kind = KINDS[algorithm]
    if not kind then
      return nil, redis.error_reply('unknown algorithm ' .. tostring(algorithm))
    end
    limits[#limits + 1] = {
      name = name, kind = kind, unit = unit, plan_amount = tonumber(amount), window = tonumber(window) or window,
      plan_burst = tonumber(burst), enforce = enforce == '1', in_hash = IN_HASH[algorithm],
      amount = tonumber(amount), burst = tonumber(burst), overridden = false,
      sliding = algorithm == 'sliding',
    }
    if IN_HASH[algorithm] then
      fields[#fields + 1] = name
    end
  end
  return { limits = limits, fields = fields }
end

-- What a call may change, set afresh: the amounts (an override changes them), the base costs (ARGV[15..]),
-- the keys of sliding logs and leases (KEYS[3..] in plan order), and what the call wrote.
local function begin(limits, KEYS, ARGV)
  local next_key = 3
  for i = 1, #limits do
    local l = limits[i]
    if l.overridden then
      l.amount, l.burst, l.overridden = l.plan_amount, l.plan_burst, false
    end
    l.base = tonumber(ARGV[SPEC_ARG + i])
    l.dirty, l.tag, l.raw, l.deadline = false, false, false, 0
    if not l.in_hash then
      l.key = KEYS[next_key]
      next_key = next_key + 1
      if l.sliding then
        l.total_key = KEYS[next_key]
        next_key = next_key + 1
      end
    end
  end
end

-- The call's limits and the names of their fields in the usage hash; nil and an error reply for an algorithm
-- this script lacks.
local function read_limits(KEYS, ARGV)
  local spec = ARGV[SPEC_ARG]
  local plan = plans[spec]
  if not plan then
    local err
    plan, err = parse_plan(spec)
    if not plan then
      return nil, err
    end
    if plan_count >= 64 then
      plans, plan_count = {}, 0
    end
    plans[spec], plan_count = plan, plan_count + 1
  end
  begin(plan.limits, KEYS, ARGV)
  return plan.limits, plan.fields
end

-- A creator's override replaces the amounts of the limits it names (a bucket's capacity too) until it
-- expires; Redis drops the key then, and the script ignores one already past on its own clock.
local function apply_override(limits, override)
  local ok, doc = pcall(cjson.decode, override)
  if not (ok and type(doc) == 'table' and type(doc.limits) == 'table' and (tonumber(doc.expiresAtMs) or 0) > now_ms) then
    return
  end
  for _, l in ipairs(limits) do
    local amount = tonumber(doc.limits[l.name])
    if amount and amount > 0 then
      l.amount, l.burst, l.overridden = amount, amount, true
    end
  end
end

-- Reads the state of every limit (`only_leases`: of the lease limits alone) with one HMGET of the hash.
local function read_states(KEYS, limits, fields, only_leases)
  if only_leases then
    for i = 1, #limits do
      if limits[i].unit == 'c' then limits[i].kind.read(limits[i]) end
    end
    return
  end
  local raw = #fields > 0 and redis.call('HMGET', KEYS[1], unpack(fields)) or {}
  local override = redis.call('GET', KEYS[2])
  if override then
    apply_override(limits, override)
  end
  local n = 0
  for i = 1, #limits do
    local l = limits[i]
    if l.in_hash then
      n = n + 1
      l.raw = raw[n]    -- false for a missing field
    end
    l.kind.read(l)
  end
end

-- Writes the changed fields of the hash in one HSET (a field with nothing left to keep is removed), and
-- makes the hash live as long as its longest-lived field needs (never shorter than another limit asked).
-- The hash already lives as long as any field it held (each write saw to that), so a write that needs no
-- longer than a field read before it (a month's counter, say) leaves the expiry alone.
-- The argument lists are kept from call to call: unpack() takes only this call's part.
local set_args, drop_args = {}, {}

local function write_fields(usage_key, limits)
  local set, drop = set_args, drop_args
  local sets, drops, longest, covered = 1, 1, 0, 0
  set[1], drop[1] = usage_key, usage_key
  for i = 1, #limits do
    local l = limits[i]
    if l.in_hash and l.deadline > covered then covered = l.deadline end
    if l.dirty then
      if l.value and l.expires > 0 then
        set[sets + 1], set[sets + 2] = l.name, l.value
        sets = sets + 2
        if l.expires > longest then longest = l.expires end
      else
        drops = drops + 1
        drop[drops] = l.name
      end
    end
  end
  if sets > 1 then
    redis.call('HSET', unpack(set, 1, sets))
    if now + longest > covered then
      local ttl = ceil(longest / 1000) + 1
      if redis.call('PTTL', usage_key) < ttl then
        redis.call('PEXPIRE', usage_key, int(ttl))
      end
    end
  end
  if drops > 1 then
    redis.call('HDEL', unpack(drop, 1, drops))
  end
end
