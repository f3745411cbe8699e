-- wrk script for Jinku's benchmarks (driven by bench/_wrk.ts). Sends the requests listed in the file
-- named by WRK_REQUESTS in turn, one line each: method, path, headers ("name: value" joined by "|") and
-- body, separated by tabs. With WRK_KEY_PREFIX set, every request carries its own Idempotency-Key.
-- An answer counts as good when its status is 2xx and its body contains WRK_EXPECT.
local templates = {}
for line in io.lines(os.getenv("WRK_REQUESTS")) do
  local method, path, header_text, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  local headers = {}
  for pair in header_text:gmatch("[^|]+") do
    local name, value = pair:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  table.insert(templates, { method = method, path = path, headers = headers, body = body })
end

local key_prefix = os.getenv("WRK_KEY_PREFIX")
local expect = os.getenv("WRK_EXPECT") or ""
-- Without per-request keys the requests never change, so they are formatted once.
local formatted = {}
if not key_prefix then
  for i, t in ipairs(templates) do formatted[i] = wrk.format(t.method, t.path, t.headers, t.body) end
end

local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local next_index = 0
good = 0
function request()
  next_index = next_index + 1
  local i = (next_index - 1) % #templates + 1
  if not key_prefix then return formatted[i] end
  local t = templates[i]
  t.headers["idempotency-key"] = key_prefix .. "-" .. thread_index .. "-" .. next_index
  return wrk.format(t.method, t.path, t.headers, t.body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 and body:find(expect, 1, true) then good = good + 1 end
end

function done(summary, latency, requests)
  local total_good = 0
  for _, thread in ipairs(threads) do total_good = total_good + thread:get("good") end
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"good":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"socketErrors":%d}\n',
    summary.requests, total_good, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout))
end
