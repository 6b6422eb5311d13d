-- wrk script for tests/deployment/test_load.py: cycles through the public pages and counts
-- every answer by status, and refusals (429, 503) that lack a Retry-After header.
-- Prints one JSON line at the end.

local paths = {
    "/documents/", "/events/", "/figures/", "/timeline/", "/",
    "/search/?q=pact", "/documents/?q=molotov", "/documents/?type=treaty",
}
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    statuses = {}
    without_retry_after = 0
    counter = 0
end

function request()
    counter = counter + 1
    return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if (status == 429 or status == 503) and headers["Retry-After"] == nil then
        without_retry_after = without_retry_after + 1
    end
end

function done(summary, latency, requests)
    local totals, missing = {}, 0
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            totals[status] = (totals[status] or 0) + count
        end
        missing = missing + thread:get("without_retry_after")
    end
    local parts = {}
    for status, count in pairs(totals) do
        table.insert(parts, string.format('"%d": %d', status, count))
    end
    local errors = summary.errors
    io.write(string.format(
        '{"requests": %d, "duration_us": %d, "statuses": {%s}, "without_retry_after": %d, '
        .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
        .. '"latency_p50_ms": %.1f, "latency_p99_ms": %.1f, "latency_max_ms": %.1f}\n',
        summary.requests, summary.duration, table.concat(parts, ", "), missing,
        errors.connect, errors.read, errors.write, errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
