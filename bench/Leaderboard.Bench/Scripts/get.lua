-- wrk: GET BENCH_PATH, where "{id}" becomes a random player of 1..BENCH_PLAYERS, with X-Api-Key: BENCH_KEY.
local path = os.getenv("BENCH_PATH")
local players = tonumber(os.getenv("BENCH_PLAYERS") or "0")
local key = os.getenv("BENCH_KEY") or ""
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
  if key ~= "" then
    wrk.headers["X-Api-Key"] = key
  end
end

function request()
  local target = path
  if players > 0 then
    target = string.gsub(path, "{id}", string.format("player-%09d", math.random(1, players)))
  end
  return wrk.format("GET", target)
end
