-- Replays the requests of a plan file in a loop: one request a line, tab-separated
--   METHOD <TAB> PATH <TAB> BEARER TOKEN or "-" <TAB> JSON BODY or "-"
-- The plan comes from the environment (BENCH_PLAN). Each thread starts at its own offset, so
-- users and products spread across the connections. Statuses are counted per class; at the end
-- one line "BENCH-RESULT {json}" carries throughput, latency percentiles (ms) and the counts.

local plan_path = os.getenv("BENCH_PLAN")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  requests = {}
  for line in io.lines(plan_path) do
    local f = split(line)
    local headers = {["Accept"] = "application/json"}
    if f[3] ~= "-" then headers["Authorization"] = "Bearer " .. f[3] end
    local body = nil
    if f[4] ~= "-" then
      body = f[4]
      headers["Content-Type"] = "application/json"
    end
    table.insert(requests, wrk.format(f[1], f[2], headers, body))
  end
  position = offset % #requests
  statuses = {}
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  if status == 409 then class = "409" end
  statuses[class] = (statuses[class] or 0) + 1
end

function done(summary, latency, requests_done)
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for class, n in pairs(counts) do
      totals[class] = (totals[class] or 0) + n
    end
  end
  local parts = {}
  for class, n in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', class, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"statuses": {%s}, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ", "), e.connect + e.read + e.write, e.timeout))
end
