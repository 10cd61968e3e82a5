-- The request mix of hard/load.sh and hard/reingest.sh, for wrk:
--   70% public vector tiles /tiles/public/{z}/{x}/{y}.mvt, z12–z16, anywhere over the city's extent
--   20% /collections/roads/items?bbox=… with a small random box (a few hundred metres) inside the city
--   10% rain: /collections/rain_gauges/items, /rain/gauges/{site}/readings, /rain/alerts
-- SSE connects to /rain/stream cannot be made by wrk (it waits for the end of a response, which a
-- stream never has): hard/sse_load.py makes them beside wrk and reports them on its own row.
--
-- Arguments (after `--`): MINLON MINLAT MAXLON MAXLAT SITE[,SITE...]
-- done() prints one line `WRK_RESULT key=value ...` that the scripts parse.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

local minLon, minLat, maxLon, maxLat
local sites = {}

function init(args)
  minLon, minLat, maxLon, maxLat = tonumber(args[1]), tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  for s in string.gmatch(args[5] or "", "[^,]+") do table.insert(sites, s) end
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
  wrk.headers["Accept-Encoding"] = "gzip"
end

local function tileXY(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end

local function between(a, b) return a + (b - a) * math.random() end

local function tile()
  local z = math.random(12, 16)
  local x, y = tileXY(between(minLon, maxLon), between(minLat, maxLat), z)
  return string.format("/tiles/public/%d/%d/%d.mvt", z, x, y)
end

local function roads()
  -- 0.002°–0.01° of longitude: about 200 m to 1 km, what a phone map shows at z15–z17.
  local w = between(0.002, 0.01)
  local h = w * 0.8
  local lon, lat = between(minLon, maxLon - w), between(minLat, maxLat - h)
  return string.format("/collections/roads/items?bbox=%.5f,%.5f,%.5f,%.5f&limit=100", lon, lat, lon + w, lat + h)
end

local function rain()
  local r = math.random()
  if r < 0.5 or #sites == 0 then return "/collections/rain_gauges/items?limit=100" end
  if r < 0.85 then return "/rain/gauges/" .. sites[math.random(#sites)] .. "/readings?interval=10m" end
  return "/rain/alerts?limit=20"
end

function request()
  local r = math.random()
  local path
  if r < 0.70 then path = tile() elseif r < 0.90 then path = roads() else path = rain() end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
