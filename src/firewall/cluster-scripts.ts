/**
 * The Lua scripts that keep the thresholds' shared state in Redis. Each runs atomically on the
 * server, so that two instances admitting at once see each other, and a threshold crossed by
 * the cluster is crossed by exactly one caller (the one that logs the alert).
 *
 * Keys, under PREFIX:
 *   instances             sorted set: instance name -> the time its heartbeat lapses
 *   instance:NAME         hash: halfopen, h:HOST, s:SOURCE (expires with the heartbeat)
 *   sessions:NAME         the instance's published session list (expires with the heartbeat)
 *   rate:SLOT             new sessions in one slot of the one-minute window (expires)
 *   source-rate:IP:SLOT   the same per source, kept only when a source one-minute limit is set
 *   block:HOST            a host block (expires by itself, PX)
 *   blocks                sorted set: blocked host -> block end, for listing and UNBLOCK_HOST
 *   host-alert:HOST       HOST_TCP_ALERT_ON was logged for this host's attack (expires)
 *   aggressive            present while the cluster is aggressive; holds the trigger
 *
 * Times come from the Redis server's clock, so instances on several machines agree. Keys are
 * built inside the scripts, which suits one Redis server (not Redis Cluster).
 */

/** Helpers every script starts with. ARGV[1] is the prefix, ARGV[2] this instance's name. */
const PRELUDE = `
local prefix, me = ARGV[1], ARGV[2]
local function key(...) return prefix .. ':' .. table.concat({...}, ':') end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function limited(value) return value >= 0 end
local function live(now)
  redis.call('ZREMRANGEBYSCORE', key('instances'), '-inf', now)
  return redis.call('ZRANGE', key('instances'), 0, -1)
end
local function total(members, field)
  local sum = 0
  for _, name in ipairs(members) do
    sum = sum + tonumber(redis.call('HGET', key('instance', name), field) or '0')
  end
  return sum
end
local function windowTotal(base, now, slotMs)
  local newest = math.floor(now / slotMs)
  local names = {}
  for i = 0, 59 do names[#names + 1] = base .. ':' .. string.format('%d', newest - i) end
  local sum = 0
  for _, value in ipairs(redis.call('MGET', unpack(names))) do
    if value then sum = sum + tonumber(value) end
  end
  return sum
end
local function countNow(base, now, slotMs)
  local name = base .. ':' .. string.format('%d', math.floor(now / slotMs))
  redis.call('INCR', name)
  redis.call('PEXPIRE', name, slotMs * 61)
end
local function adjust(hash, field, by)
  if redis.call('HINCRBY', hash, field, by) <= 0 then redis.call('HDEL', hash, field) end
end
local function calmDown(members, now, slotMs, maxLow, rateLow)
  local trigger = redis.call('GET', key('aggressive'))
  if not trigger then return {} end
  local halfOpen = total(members, 'halfopen')
  local rate = windowTotal(key('rate'), now, slotMs)
  if (limited(maxLow) and halfOpen >= maxLow) or (limited(rateLow) and rate >= rateLow) then
    return {}
  end
  redis.call('DEL', key('aggressive'))
  return {trigger, halfOpen, rate}
end
`;

/**
 * ARGV: prefix, me, host, source, slotMs, liveMs, maxHigh, rateHigh, hostLimit, blockMs,
 * sourceMax, sourceRate, oldestHost, alertMs (a limit of -1 is unlimited).
 * Returns {verdict, reason, evictOldest, hostEvict, alert, trigger, halfOpen, rate, hostAlert,
 * blocked}.
 */
export const ADMIT_SCRIPT = `${PRELUDE}
local host, source = ARGV[3], ARGV[4]
local slotMs, liveMs = tonumber(ARGV[5]), tonumber(ARGV[6])
local maxHigh, rateHigh = tonumber(ARGV[7]), tonumber(ARGV[8])
local hostLimit, blockMs = tonumber(ARGV[9]), tonumber(ARGV[10])
local sourceMax, sourceRate = tonumber(ARGV[11]), tonumber(ARGV[12])
local oldestHost, alertMs = ARGV[13], tonumber(ARGV[14])
local now = clock()
local mine = key('instance', me)
redis.call('ZADD', key('instances'), now + liveMs, me)
local members = live(now)
local alert, trigger, halfOpen, rate, evictOldest = 0, '', 0, 0, 0
local function result(verdict, reason, hostEvict, hostAlert, blocked)
  return {verdict, reason, evictOldest, hostEvict, alert, trigger, halfOpen, rate, hostAlert,
    blocked}
end

if redis.call('EXISTS', key('block', host)) == 1 then
  return result('refuse', 'host-blocked', 'none', 0, 0)
end
if limited(sourceMax) and total(members, 's:' .. source) >= sourceMax then
  return result('refuse', 'source-sessions', 'none', 0, 0)
end
local sourceBase = key('source-rate', source)
if limited(sourceRate) and windowTotal(sourceBase, now, slotMs) >= sourceRate then
  return result('refuse', 'source-rate', 'none', 0, 0)
end

countNow(key('rate'), now, slotMs)
if limited(sourceRate) then countNow(sourceBase, now, slotMs) end

-- The global thresholds: the crossing caller alone sets 'aggressive' and logs ALERT_ON.
halfOpen = total(members, 'halfopen') + 1
rate = windowTotal(key('rate'), now, slotMs)
local overMax = limited(maxHigh) and halfOpen > maxHigh
local aggressive = redis.call('EXISTS', key('aggressive')) == 1
if not aggressive and (overMax or (limited(rateHigh) and rate > rateHigh)) then
  trigger = overMax and 'max-incomplete' or 'one-minute'
  redis.call('SET', key('aggressive'), trigger)
  aggressive, alert = true, 1
end
if aggressive then
  if oldestHost ~= '' and tonumber(redis.call('HGET', mine, 'halfopen') or '0') > 0 then
    evictOldest = 1
    adjust(mine, 'halfopen', -1)
    adjust(mine, 'h:' .. oldestHost, -1)
  elseif overMax then
    return result('refuse', 'half-open-full', 'none', 0, 0)
  end
end

-- The per-host limit: block-time 0 deletes the host's oldest, otherwise all and a block.
local hostField = 'h:' .. host
local hostEvict, hostAlert = 'none', 0
if limited(hostLimit) and total(members, hostField) + 1 > hostLimit then
  local mineHost = tonumber(redis.call('HGET', mine, hostField) or '0')
  if blockMs > 0 then
    redis.call('SET', key('block', host), now + blockMs, 'PX', blockMs)
    redis.call('ZADD', key('blocks'), now + blockMs, host)
    adjust(mine, 'halfopen', -mineHost)
    redis.call('HDEL', mine, hostField)
    return result('refuse', 'host-blocked', 'all', 1, 1)
  end
  if redis.call('SET', key('host-alert', host), '1', 'NX', 'PX', alertMs) then hostAlert = 1 end
  if mineHost == 0 then return result('refuse', 'half-open-full', 'none', hostAlert, 0) end
  hostEvict = 'oldest'
  adjust(mine, 'halfopen', -1)
  adjust(mine, hostField, -1)
end

redis.call('HINCRBY', mine, 'halfopen', 1)
redis.call('HINCRBY', mine, hostField, 1)
redis.call('HINCRBY', mine, 's:' .. source, 1)
redis.call('PEXPIRE', mine, liveMs)
return result('admit', '', hostEvict, hostAlert, 0)
`;

/**
 * A session left half-open (ARGV[3] its host) or ended (ARGV[4] its source), either may be ''.
 * ARGV[5..7]: slotMs, maxLow, rateLow. Returns the calm-down {trigger, halfOpen, rate} or {}.
 */
export const RELEASE_SCRIPT = `${PRELUDE}
local mine = key('instance', me)
if ARGV[3] ~= '' then
  adjust(mine, 'halfopen', -1)
  adjust(mine, 'h:' .. ARGV[3], -1)
end
if ARGV[4] ~= '' then adjust(mine, 's:' .. ARGV[4], -1) end
local now = clock()
return calmDown(live(now), now, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))
`;

/**
 * This instance's whole share, rewritten from its own tables, so that any drift (a release
 * lost while Redis was away) lasts one heartbeat at most. ARGV[3..7]: liveMs, slotMs, maxLow,
 * rateLow, the published session list; then field, value pairs.
 * Returns {calm-down or {}, hosts unblocked by this call, hosts blocked now}.
 */
export const HEARTBEAT_SCRIPT = `${PRELUDE}
local liveMs, slotMs = tonumber(ARGV[3]), tonumber(ARGV[4])
local now = clock()
local mine = key('instance', me)
redis.call('DEL', mine)
for i = 8, #ARGV, 2 do redis.call('HSET', mine, ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', mine, liveMs)
redis.call('SET', key('sessions', me), ARGV[7], 'PX', liveMs)
redis.call('ZADD', key('instances'), now + liveMs, me)
local members = live(now)
local unblocked = {}
for _, host in ipairs(redis.call('ZRANGEBYSCORE', key('blocks'), '-inf', now)) do
  if redis.call('ZREM', key('blocks'), host) == 1 then unblocked[#unblocked + 1] = host end
end
local calm = calmDown(members, now, slotMs, tonumber(ARGV[5]), tonumber(ARGV[6]))
return {calm, unblocked, redis.call('ZRANGE', key('blocks'), 0, -1)}
`;

/**
 * Read only, for `show`: ARGV[3] slotMs. Returns {{name, halfOpen, sessions}..., rate,
 * blocked hosts, aggressive trigger or ''}.
 */
export const VIEW_SCRIPT = `${PRELUDE}
local now = clock()
local rows = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', key('instances'), now, '+inf')) do
  local halfOpen = redis.call('HGET', key('instance', name), 'halfopen') or '0'
  rows[#rows + 1] = {name, halfOpen, redis.call('GET', key('sessions', name)) or ''}
end
return {rows, windowTotal(key('rate'), now, tonumber(ARGV[3])),
  redis.call('ZRANGEBYSCORE', key('blocks'), now, '+inf'), redis.call('GET', key('aggressive')) or ''}
`;
