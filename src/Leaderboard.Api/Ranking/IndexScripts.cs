namespace Leaderboard.Api.Ranking;

/// <summary>
/// The index's Lua scripts: each read or batch of writes is one script, so one round trip, atomic.
/// They run on Redis (Lua 5.1) and Garnet (Lua 5.4) alike: integer arithmetic only, numbers turned
/// into text with <c>%d</c>, and members compared byte by byte (Lua's string comparison follows the
/// locale). Member layout: <see cref="RankKey"/>; buckets: <see cref="PlayerBuckets"/>; keys: <see cref="IndexKeys"/>.
/// </summary>
internal static class IndexScripts
{
    /// <summary>Helpers every script starts with.</summary>
    private const string Prelude = """
        -- Length of the ordered integer at byte i, from its first byte (see OrderedInteger).
        local function vlen(s, i)
          local b = string.byte(s, i)
          if b < 8 then return 9 - b elseif b > 247 then return b - 246 end
          return 1
        end
        -- Length of the prefix (score, subscore, change) at byte i.
        local function plen(s, i)
          local j = i
          for _ = 1, 3 do j = j + vlen(s, j) end
          return j - i
        end
        -- The change sequence of the prefix at byte i (always positive).
        local function seqat(s, i)
          local j = i + vlen(s, i)
          j = j + vlen(s, j)
          local b = string.byte(s, j)
          if b < 248 then return b - 128 end
          local u = 0
          for k = j + 1, j + b - 247 do u = u * 256 + string.byte(s, k) end
          return u + 120
        end
        local function num(x) return string.format('%d', x) end
        local function pow2(k) local r = 1 for _ = 1, k do r = r * 2 end return r end
        -- The bucket key of a field (a signed 32-bit hash, as text) among 2^L + P buckets.
        local function bucket(bp, field, L, P)
          local h = tonumber(field) % 4294967296
          local b = h % pow2(L)
          if b < P then b = h % pow2(L + 1) end
          return bp .. num(b)
        end
        -- The prefix of player id in a bucket's value (prefixes of the players sharing the field),
        -- where it sits, and what probe (ZSCORE or ZRANK of prefix .. id) answered for it.
        local function find(rank, chain, id, probe)
          if not chain then return nil end
          local i = 1
          while i <= #chain do
            local n = plen(chain, i)
            local c = string.sub(chain, i, i + n - 1)
            local r = redis.call(probe, rank, c .. id)
            if r then return c, i, n, r end
            i = i + n
          end
          return nil
        end
        -- Byte order, as Redis orders members of equal score.
        local function before(a, b)
          local n = math.min(#a, #b)
          for k = 1, n do
            local x, y = string.byte(a, k), string.byte(b, k)
            if x ~= y then return x < y end
          end
          return #a < #b
        end
        local function pushall(key, items)
          for i = 1, #items, 4000 do redis.call('RPUSH', key, unpack(items, i, math.min(i + 3999, #items))) end
        end
        -- A moved entry is the member it left, a NUL, and the change that moved it.
        local function moved(entry)
          local z = string.find(entry, '\0', plen(entry, 1) + 1, true)
          return string.sub(entry, 1, z - 1), tonumber(string.sub(entry, z + 1))
        end
        -- KEYS of the writing scripts: rank, state, metadata, moved, moved-by-change, pending, lock.
        -- Applies one record unless the index holds a later change of its player. Returns the
        -- member to rank (the kept one), whether the player is new, whether a position was left, and the change.
        local function applyone(K, bp, L, P, field, member, meta, remember)
          local n = plen(member, 1)
          local prefix, id, seq = string.sub(member, 1, n), string.sub(member, n + 1), seqat(member, 1)
          local bk = bucket(bp, field, L, P)
          local chain = redis.call('HGET', bk, field)
          local old, at, oldn = find(K[1], chain, id, 'ZSCORE')
          if old and seqat(old, 1) > seq then return old .. id, false, false, seq end
          local added, left = false, false
          if not old then
            redis.call('HSET', bk, field, (chain or '') .. prefix)
            added = true
          elseif old ~= prefix then
            redis.call('ZREM', K[1], old .. id)
            if remember then
              local entry = old .. id .. '\0' .. num(seq)
              redis.call('ZADD', K[4], 0, entry)
              redis.call('ZADD', K[5], seq, entry)
              left = true
            end
            redis.call('HSET', bk, field, string.sub(chain, 1, at - 1) .. prefix .. string.sub(chain, at + oldn))
          end
          redis.call('ZADD', K[1], 0, member)
          if meta == '' then redis.call('HDEL', K[3], id) else redis.call('HSET', K[3], id, meta) end
          return member, added, left, seq
        end
        local function removeone(K, bp, L, P, field, id)
          local bk = bucket(bp, field, L, P)
          local chain = redis.call('HGET', bk, field)
          local old, at, oldn = find(K[1], chain, id, 'ZSCORE')
          redis.call('HDEL', K[3], id)
          if not old then return 0 end
          redis.call('ZREM', K[1], old .. id)
          local rest = string.sub(chain, 1, at - 1) .. string.sub(chain, at + oldn)
          if rest == '' then redis.call('HDEL', bk, field) else redis.call('HSET', bk, field, rest) end
          return 1
        end
        -- Whether a live rebuild is loading: writes then wait in the pending list.
        local function fenced(K, owner) return owner and redis.call('GET', K[7]) == owner end

        """;

    /// <summary>
    /// Applies records (ARGV: bucket prefix, moved positions kept, players per bucket, then field,
    /// member, metadata per record) and returns each one's 0-based rank; an empty answer while a
    /// rebuild loads (the records wait for it). Positions left are remembered for paging; players
    /// past the bucket load split the next bucket.
    /// </summary>
    public const string Apply = Prelude + """
        local st = redis.call('HMGET', KEYS[2], 'building', 'level', 'split', 'latest')
        if fenced(KEYS, st[1]) then
          local items = {}
          for k = 4, #ARGV, 3 do
            items[#items + 1] = 'a'; items[#items + 1] = ARGV[k]; items[#items + 1] = ARGV[k + 1]; items[#items + 1] = ARGV[k + 2]
          end
          pushall(KEYS[6], items)
          return {}
        end
        local L, P, latest = tonumber(st[2] or '0'), tonumber(st[3] or '0'), tonumber(st[4] or '0')
        local ranks, added, left = {}, 0, false
        for k = 4, #ARGV, 3 do
          local member, isnew, wasleft, seq = applyone(KEYS, ARGV[1], L, P, ARGV[k], ARGV[k + 1], ARGV[k + 2], true)
          if isnew then added = added + 1 end
          if wasleft then left = true end
          if seq > latest then latest = seq end
          ranks[#ranks + 1] = redis.call('ZRANK', KEYS[1], member)
        end
        if left then
          local excess = redis.call('ZCARD', KEYS[5]) - tonumber(ARGV[2])
          if excess > 0 then
            local dropped = redis.call('ZRANGE', KEYS[5], 0, excess - 1)
            for i = 1, #dropped, 4000 do redis.call('ZREM', KEYS[4], unpack(dropped, i, math.min(i + 3999, #dropped))) end
            redis.call('ZREMRANGEBYRANK', KEYS[5], 0, excess - 1)
            local _, at = moved(dropped[#dropped])
            redis.call('HSET', KEYS[2], 'floor', num(at))
          end
        end
        if added > 0 then
          local load, card, splits = tonumber(ARGV[3]), redis.call('ZCARD', KEYS[1]), 0
          while card > load * (pow2(L) + P) and splits < 8 do
            local from, to, wide = ARGV[1] .. num(P), ARGV[1] .. num(P + pow2(L)), pow2(L + 1)
            local all = redis.call('HGETALL', from)
            local go, gone = {}, {}
            for i = 1, #all, 2 do
              if (tonumber(all[i]) % 4294967296) % wide ~= P then
                go[#go + 1] = all[i]; go[#go + 1] = all[i + 1]; gone[#gone + 1] = all[i]
              end
            end
            if #gone > 0 then
              redis.call('HSET', to, unpack(go))
              redis.call('HDEL', from, unpack(gone))
            end
            P = P + 1
            if P == pow2(L) then L = L + 1; P = 0 end
            splits = splits + 1
          end
          if splits > 0 then redis.call('HSET', KEYS[2], 'level', num(L), 'split', num(P)) end
        end
        redis.call('HSET', KEYS[2], 'latest', num(latest))
        return ranks
        """;

    /// <summary>Removes a player (ARGV: bucket prefix, field, id); 1 when it had an entry. Waits in the pending list while a rebuild loads.</summary>
    public const string Remove = Prelude + """
        local st = redis.call('HMGET', KEYS[2], 'building', 'level', 'split')
        if fenced(KEYS, st[1]) then
          redis.call('RPUSH', KEYS[6], 'r', ARGV[2], ARGV[3], '')
          return 0
        end
        return removeone(KEYS, ARGV[1], tonumber(st[2] or '0'), tonumber(st[3] or '0'), ARGV[2], ARGV[3])
        """;

    /// <summary>
    /// One page of the period as it stood at change <c>snapshot</c> (KEYS: rank, moved, state,
    /// metadata; ARGV: the prefix the previous page ended at, the snapshot, the limit; both empty
    /// for a first page, which takes the latest change as its snapshot): current members that have
    /// not changed since, merged in rank order with the positions that records held at the snapshot
    /// and have left since. Returns { 'ok', snapshot, members..., metadata... }, { 'expired' } or { 'notready' }.
    /// </summary>
    public const string Page = Prelude + """
        local st = redis.call('HMGET', KEYS[3], 'ready', 'latest', 'floor')
        if not st[1] then return { 'notready' } end
        local snapshot = tonumber(st[2] or '0')
        if ARGV[2] ~= '' then
          snapshot = tonumber(ARGV[2])
          if st[3] and snapshot < tonumber(st[3]) then return { 'expired' } end
        end
        local limit = tonumber(ARGV[3])
        local chunk = limit + 16
        local start = '-'
        if ARGV[1] ~= '' then start = '(' .. ARGV[1] .. '\255' end
        local function reader(key)
          local r = { from = start, buf = {}, i = 1, done = false }
          function r.peek()
            if r.i > #r.buf then
              if r.done then return nil end
              r.buf = redis.call('ZRANGEBYLEX', key, r.from, '+', 'LIMIT', 0, chunk)
              r.i = 1
              if #r.buf < chunk then r.done = true end
              if #r.buf == 0 then return nil end
              r.from = '(' .. r.buf[#r.buf]
            end
            return r.buf[r.i]
          end
          function r.advance() r.i = r.i + 1 end
          return r
        end
        local current, left = reader(KEYS[1]), reader(KEYS[2])
        local members = {}
        while #members < limit do
          local c, m = current.peek(), left.peek()
          if not c and not m then break end
          local mm, at
          if m then mm, at = moved(m) end
          local fromMoved = (c == nil) or (m ~= nil and before(mm, c))
          local item = c
          if fromMoved then item = mm; left.advance() else current.advance() end
          if seqat(item, 1) <= snapshot and ((not fromMoved) or at > snapshot) then members[#members + 1] = item end
        end
        local out = { 'ok', num(snapshot) }
        for i = 1, #members do out[#out + 1] = members[i] end
        if #members > 0 then
          local ids = {}
          for i = 1, #members do ids[i] = string.sub(members[i], plen(members[i], 1) + 1) end
          local metas = redis.call('HMGET', KEYS[4], unpack(ids))
          for i = 1, #members do out[#out + 1] = metas[i] end
        end
        return out
        """;

    /// <summary>
    /// The entries of some players (KEYS: rank, state, metadata; ARGV: bucket prefix, then field
    /// and id per player): { 'ok', member, rank, metadata, ... } for those that have one, or { 'notready' }.
    /// </summary>
    public const string Players = Prelude + """
        local st = redis.call('HMGET', KEYS[2], 'ready', 'level', 'split')
        if not st[1] then return { 'notready' } end
        local L, P = tonumber(st[2] or '0'), tonumber(st[3] or '0')
        local out = { 'ok' }
        for k = 2, #ARGV, 2 do
          local id = ARGV[k + 1]
          local chain = redis.call('HGET', bucket(ARGV[1], ARGV[k], L, P), ARGV[k])
          local old, _, _, rank = find(KEYS[1], chain, id, 'ZRANK')
          if old then
            out[#out + 1] = old .. id
            out[#out + 1] = rank
            out[#out + 1] = redis.call('HGET', KEYS[3], id)
          end
        end
        return out
        """;

    /// <summary>
    /// The entries around a player (KEYS: rank, state, metadata; ARGV: bucket prefix, field, id,
    /// radius): { 'ok', first rank, members..., metadata... }, { 'ok' } for an unknown player, or { 'notready' }.
    /// </summary>
    public const string Around = Prelude + """
        local st = redis.call('HMGET', KEYS[2], 'ready', 'level', 'split')
        if not st[1] then return { 'notready' } end
        local L, P = tonumber(st[2] or '0'), tonumber(st[3] or '0')
        local chain = redis.call('HGET', bucket(ARGV[1], ARGV[2], L, P), ARGV[2])
        local old, _, _, rank = find(KEYS[1], chain, ARGV[3], 'ZRANK')
        if not old then return { 'ok' } end
        local radius = tonumber(ARGV[4])
        local first = rank - radius
        if first < 0 then first = 0 end
        local members = redis.call('ZRANGE', KEYS[1], first, rank + radius)
        local out = { 'ok', first }
        local ids = {}
        for i = 1, #members do
          out[#out + 1] = members[i]
          ids[i] = string.sub(members[i], plen(members[i], 1) + 1)
        end
        local metas = redis.call('HMGET', KEYS[3], unpack(ids))
        for i = 1, #members do out[#out + 1] = metas[i] end
        return out
        """;

    /// <summary>The entry count (KEYS: rank, state), or -1 while the index is not ready.</summary>
    public const string Count = """
        if not redis.call('HGET', KEYS[2], 'ready') then return -1 end
        return redis.call('ZCARD', KEYS[1])
        """;

    /// <summary>
    /// Starts a rebuild (KEYS: the writing scripts' keys, then the first layout's; ARGV: bucket
    /// prefix, owner): when the lock is the owner's, drops everything the index holds and fences
    /// writes into the pending list. 1 when started, 0 when the lock is not the owner's.
    /// </summary>
    public const string BeginRebuild = Prelude + """
        if redis.call('GET', KEYS[7]) ~= ARGV[2] then return 0 end
        local st = redis.call('HMGET', KEYS[2], 'level', 'split')
        for b = 0, pow2(tonumber(st[1] or '0')) + tonumber(st[2] or '0') - 1 do redis.call('UNLINK', ARGV[1] .. num(b)) end
        for k = 1, #KEYS do if k ~= 7 then redis.call('UNLINK', KEYS[k]) end end
        redis.call('HSET', KEYS[2], 'building', ARGV[2])
        return 1
        """;

    /// <summary>
    /// Finishes a rebuild (KEYS: the writing scripts' keys; ARGV: bucket prefix, owner, level,
    /// split, latest change loaded, how many pending writes to apply per call): applies writes
    /// that waited (never going back to an older change), and once none wait, opens the index:
    /// ready, snapshots before it expired. Returns 0 when ready, the number still waiting, or -1
    /// when the lock or the build is no longer the owner's.
    /// </summary>
    public const string FinishRebuild = Prelude + """
        if redis.call('GET', KEYS[7]) ~= ARGV[2] or redis.call('HGET', KEYS[2], 'building') ~= ARGV[2] then return -1 end
        local L, P = tonumber(ARGV[3]), tonumber(ARGV[4])
        local latest = math.max(tonumber(redis.call('HGET', KEYS[2], 'latest') or '0'), tonumber(ARGV[5]))
        local items = redis.call('LRANGE', KEYS[6], 0, 4 * tonumber(ARGV[6]) - 1)
        for i = 1, #items, 4 do
          if items[i] == 'a' then
            local _, _, _, seq = applyone(KEYS, ARGV[1], L, P, items[i + 1], items[i + 2], items[i + 3], false)
            if seq > latest then latest = seq end
          else
            removeone(KEYS, ARGV[1], L, P, items[i + 1], items[i + 2])
          end
        end
        if #items > 0 then redis.call('LTRIM', KEYS[6], #items, -1) end
        redis.call('HSET', KEYS[2], 'level', num(L), 'split', num(P), 'latest', num(latest))
        local waiting = redis.call('LLEN', KEYS[6])
        if waiting > 0 then return waiting end
        redis.call('HDEL', KEYS[2], 'building')
        redis.call('HSET', KEYS[2], 'ready', '1', 'floor', num(latest))
        return 0
        """;

    /// <summary>
    /// Marks a new board's index ready and empty (KEYS: rank, state), unless something was
    /// already written to it or a rebuild runs (then the first read rebuilds it). 1 when marked.
    /// </summary>
    public const string Open = """
        if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HGET', KEYS[2], 'building') then return 0 end
        redis.call('HSET', KEYS[2], 'ready', '1', 'latest', '0', 'floor', '0')
        return 1
        """;

    /// <summary>Drops every key of the period (KEYS: the writing scripts' keys, then the first layout's; ARGV: bucket prefix).</summary>
    public const string Drop = Prelude + """
        local st = redis.call('HMGET', KEYS[2], 'level', 'split')
        for b = 0, pow2(tonumber(st[1] or '0')) + tonumber(st[2] or '0') - 1 do redis.call('UNLINK', ARGV[1] .. num(b)) end
        for k = 1, #KEYS do redis.call('UNLINK', KEYS[k]) end
        return 1
        """;

    public const string RenewLock = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    public const string ReleaseLock = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
}
