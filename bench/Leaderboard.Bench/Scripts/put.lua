-- wrk: PUT a score for a new player on every request (BENCH_PATH .. a player id unique to this run,
-- thread and request), a random score in 0..9,999,999, with X-Api-Key: BENCH_KEY.
local path = os.getenv("BENCH_PATH")
local key = os.getenv("BENCH_KEY")
local run = os.getenv("BENCH_RUN")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  sent = 0
  math.randomseed(os.time() * 1000 + thread_number)
  wrk.headers["X-Api-Key"] = key
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  sent = sent + 1
  local player = string.format("w%s-%d-%d", run, thread_number, sent)
  return wrk.format("PUT", path .. player, nil, string.format('{"score":%d}', math.random(0, 9999999)))
end
