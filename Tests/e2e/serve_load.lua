-- wrk script: requests several pages in turn and counts responses that are not a whole page.
local paths = { "/", "/chapter-2/", "/chapter-2/russia-central-asia-caucasus/", "/countries/russia/",
                "/officials/nikolai-patrushev/", "/agreements/", "/nope/" }
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  seen = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  seen = seen + 1
  -- Every page, the 404 page included, ends with </html> and a newline; anything else is a torn page.
  local whole = string.find(body, "</html>\n$") ~= nil
  if not ((status == 200 or status == 404) and whole) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total, seen_total = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    seen_total = seen_total + thread:get("seen")
  end
  io.write(string.format("CHECKED %d BAD %d\n", seen_total, bad_total))
end
