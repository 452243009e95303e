import { RedisScript } from './redis-script';

/**
 * Lua for the Redis session store. Each script is atomic, so limits hold across proxies (two logins at
 * once cannot both take the last slot) and every session ends exactly once, with exactly one
 * announcement on the pub/sub channel that all proxies subscribe to.
 *
 * Layout (P = key prefix): P..'session:'..id  hash {data, lastSeen, timeout, ukey}
 *                          ukey = P..'user:'..sha256(prefix,user)  zset id → creation sequence
 *                          P..'expiry'          zset id → lastSeen + timeout (what sweep scans)
 * The scripts touch the user key named inside a session hash, so this layout is for standalone or
 * Sentinel Redis, not Redis Cluster.
 */
const END_FN = `
local function end_session(sk, id, reason, expiry, channel)
  local u = redis.call('HGET', sk, 'ukey')
  redis.call('DEL', sk)
  redis.call('ZREM', expiry, id)
  if u then redis.call('ZREM', u, id) end
  redis.call('PUBLISH', channel, cjson.encode({id = id, reason = reason}))
end
local function due(sk, now)
  local h = redis.call('HMGET', sk, 'lastSeen', 'timeout')
  if not h[1] then return nil end
  return now - tonumber(h[1]) >= tonumber(h[2])
end
`;

/** KEYS: session, user, expiry, seq. ARGV: id, data, now, timeout, max, policy, channel, graceMs, sessionKeyPrefix. */
export const CREATE = new RedisScript(`${END_FN}
local now = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then return {-1} end
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local d = due(ARGV[9] .. m, now)
  if d == nil then redis.call('ZREM', KEYS[2], m) elseif d then end_session(ARGV[9] .. m, m, 'timeout', KEYS[3], ARGV[7]) end
end
local count = redis.call('ZCARD', KEYS[2])
local max = tonumber(ARGV[5])
local result = {1}
if count >= max then
  if ARGV[6] == 'refuse' then return {0} end
  for _, v in ipairs(redis.call('ZRANGE', KEYS[2], 0, count - max)) do
    end_session(ARGV[9] .. v, v, 'evicted', KEYS[3], ARGV[7])
    table.insert(result, v)
  end
end
local timeout = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'lastSeen', ARGV[3], 'timeout', ARGV[4], 'ukey', KEYS[2])
redis.call('PEXPIRE', KEYS[1], timeout + tonumber(ARGV[8]))
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
redis.call('ZADD', KEYS[3], now + timeout, ARGV[1])
return result`);

/** KEYS: session, expiry. ARGV: id, now, channel, graceMs. Returns {data, lastSeen} or false. */
export const TOUCH = new RedisScript(`${END_FN}
local now = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'data', 'lastSeen', 'timeout')
if not h[1] then return false end
if now - tonumber(h[2]) >= tonumber(h[3]) then
  end_session(KEYS[1], ARGV[1], 'timeout', KEYS[2], ARGV[3])
  return false
end
local last = math.max(now, tonumber(h[2]))
redis.call('HSET', KEYS[1], 'lastSeen', last)
redis.call('ZADD', KEYS[2], last + tonumber(h[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(h[3]) + tonumber(ARGV[4]))
return {h[1], tostring(last)}`);

/** KEYS: session, expiry. ARGV: id, reason, channel. */
export const END = new RedisScript(`${END_FN}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
end_session(KEYS[1], ARGV[1], ARGV[2], KEYS[2], ARGV[3])
return 1`);

/** KEYS: user, expiry. ARGV: channel, sessionKeyPrefix. Ends all of the user's sessions as logout. */
export const END_USER = new RedisScript(`${END_FN}
local n = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', ARGV[2] .. m) == 1 then
    end_session(ARGV[2] .. m, m, 'logout', KEYS[2], ARGV[1])
    n = n + 1
  end
end
redis.call('DEL', KEYS[1])
return n`);

/**
 * KEYS: expiry. ARGV: now, batch, channel, sessionKeyPrefix. Ends due sessions; a session whose hash
 * already vanished through the Redis TTL backstop is still announced, so its sockets close.
 */
export const SWEEP = new RedisScript(`${END_FN}
local now = tonumber(ARGV[1])
local n = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  local sk = ARGV[4] .. id
  local d = due(sk, now)
  if d ~= false then
    end_session(sk, id, 'timeout', KEYS[1], ARGV[3])
    n = n + 1
  else
    local h = redis.call('HMGET', sk, 'lastSeen', 'timeout')
    redis.call('ZADD', KEYS[1], tonumber(h[1]) + tonumber(h[2]), id)
  end
end
return n`);
