-- wrk 4.1 script for bench/server_bench.sh: paced requests against
-- `blindspot serve` over the URLs bench/gen_admin_db wrote.
--
-- Environment:
--   BENCH_DATA   the folder gen_admin_db wrote (reads.txt, pages.txt, writes.txt)
--   BENCH_MODE   reads (API reads, bearer tokens), pages (HTML pages, a session
--                cookie) or writes (PUT .../touchpoints/{id}/answers as the
--                business owner the touchpoint is assigned to)
--   BENCH_RATE   the requests per second this wrk offers, across its threads
--                (wrk 4.1 has no -R). Each thread hands out send times on a
--                fixed schedule, rate / threads per second, to whichever of its
--                connections asks next (delay() after each response); a slow
--                answer does not lower the offered rate while a connection is
--                free. A thread more than 100 ms behind its schedule drops the
--                missed slots rather than sending them in one burst.
--   BENCH_COOKIE the session cookie's name (default __Host-bs_session)
--
-- Writes: every write carries the version last seen for its touchpoint (from
-- writes.txt, then from each response). One write in ten goes to a small hot
-- set of touchpoints shared by all threads, so concurrent editors meet: the
-- server answers a stale version with 409 (correct behaviour, counted apart
-- from errors) and the message names the current version, with which the
-- write is retried next (as a client reloads and retries).
--
-- done() prints one JSON line: rate, p50/p90/p99/max latency in ms, counts.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local mode, items, hot, versions, by_id, retry, n, i, interval_ms, next_at, seq

-- A monotonic clock in milliseconds (wrk's Lua is LuaJIT: clock_gettime through its FFI).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
s409, serr = 0, 0  -- globals: done() reads them with thread:get

local function lines(path)
  local out = {}
  local f = assert(io.open(path, "r"))
  for l in f:lines() do
    if #l > 0 then
      local fields = {}
      for w in l:gmatch("%S+") do table.insert(fields, w) end
      table.insert(out, fields)
    end
  end
  f:close()
  return out
end

function init(args)
  local dir = os.getenv("BENCH_DATA")
  mode = os.getenv("BENCH_MODE") or "reads"
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  local cookie_name = os.getenv("BENCH_COOKIE") or "__Host-bs_session"
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  interval_ms = rate > 0 and nthreads * 1000 / rate or 0
  math.randomseed(tid * 7919)
  s409, serr, seq = 0, 0, 0
  local all = lines(dir .. "/" .. mode .. ".txt")
  items = {}
  if mode == "writes" then
    versions = {}
    by_id = {}
    retry = {}
    hot = {}
    for k, f in ipairs(all) do
      -- f = token org touchpoint version
      versions[f[3]] = tonumber(f[4])
      by_id[f[3]] = f
      if k <= 20 then
        table.insert(hot, f)
      elseif k % nthreads == tid - 1 then
        table.insert(items, f)
      end
    end
  else
    -- each thread starts at another place of the shuffled list
    local start = math.floor(#all * (tid - 1) / nthreads)
    for k = 1, #all do
      local f = all[((start + k - 1) % #all) + 1]
      if mode == "pages" then
        table.insert(items, {"Cookie: " .. cookie_name .. "=" .. f[1], f[2]})
      else
        table.insert(items, {"Authorization: Bearer " .. f[1], f[2]})
      end
    end
  end
  n = #items
  i = 0
end

function delay()
  if interval_ms <= 0 then return 0 end
  local t = now_ms()
  if not next_at or next_at < t - 100 then next_at = t end
  next_at = next_at + interval_ms
  return math.max(0, math.floor(next_at - t + 0.5))
end

function request()
  if mode == "writes" then
    -- a stale write is retried with the version the 409 named (reload and retry)
    local f = table.remove(retry)
    if not f then
      i = i % n + 1
      f = items[i]
      if i % 10 == 0 then f = hot[math.random(1, #hot)] end
    end
    seq = seq + 1
    local body = string.format(
      '{"version":%d,"answers":{"in_use":true,"stored_by_vendor_details":"EU, %d maanden (t%d)"},' ..
      '"reason":"bench"}', versions[f[3]], seq % 36 + 1, tid)
    return wrk.format("PUT", "/api/v1/orgs/" .. f[2] .. "/touchpoints/" .. f[3] .. "/answers",
                      {["Authorization"] = "Bearer " .. f[1], ["Content-Type"] = "application/json"}, body)
  end
  i = i % n + 1
  local f = items[i]
  local name, value = f[1]:match("^([^:]+): (.*)$")
  return wrk.format("GET", f[2], {[name] = value})
end

function response(status, headers, body)
  if mode == "writes" then
    if status == 200 then
      local id = body:match('"id":"(o%d+%-tp%-%d+)"')
      local v = body:match('"version":(%d+)')
      if id and v and (versions[id] or 0) < tonumber(v) then versions[id] = tonumber(v) end
    elseif status == 409 then
      s409 = s409 + 1
      local id = body:match("(o%d+%-tp%-%d+)")
      local v = body:match("at version (%d+)")
      if id and v then
        versions[id] = tonumber(v)
        if by_id[id] then table.insert(retry, by_id[id]) end
      end
    else
      serr = serr + 1
    end
  elseif status ~= 200 then
    serr = serr + 1
  end
end

function done(summary, latency, requests)
  local c409, cerr = 0, 0
  for _, t in ipairs(threads) do
    c409 = c409 + (t:get("s409") or 0)
    cerr = cerr + (t:get("serr") or 0)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{"mode":"%s","seconds":%.1f,"requests":%d,"rate":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,' ..
    '"p99_ms":%.2f,"max_ms":%.2f,"conflicts_409":%d,"errors":%d,"socket_errors":%d,"timeouts":%d}\n',
    os.getenv("BENCH_MODE") or "reads", secs, summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, c409, cerr, e.connect + e.read + e.write, e.timeout))
end
