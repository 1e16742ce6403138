-- wrk script: count answers other than 200 in every thread, then print one line the
-- benchmark reads: BENCH p50_ms=... p95_ms=... rps=... requests=... non200=... errors=...
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH p50_ms=%.3f p95_ms=%.3f rps=%.2f requests=%d non200=%d errors=%d\n",
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.requests,
    bad,
    e.connect + e.read + e.write + e.timeout
  ))
end
