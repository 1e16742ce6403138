-- wrk script for a cold page: every request asks for a period no request asked for before
-- (custom dates from the path's `from` to a day later each time), so no cached figure
-- answers it. Reports as report.lua does.
dofile("bench/report.lua")

local first_day = os.time({year = 2024, month = 1, day = 1, hour = 12})
local next_id = 0

local report_setup = setup
function setup(thread)
  report_setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  non200 = 0
  asked = 0
end

function request()
  -- Thread `id` takes days id, id + 4, id + 8, ...: four threads never ask the same day.
  local day = first_day + (asked * 4 + id) * 86400
  asked = asked + 1
  return wrk.format(nil, wrk.path .. "&to=" .. os.date("!%Y-%m-%d", day))
end
