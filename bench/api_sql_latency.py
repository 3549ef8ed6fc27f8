#!/usr/bin/env python3
"""api_sql_latency.py BASE_URL DB SQL RUNS: one aggregate through POST /api/v1/sql (one kept-alive
HTTP connection, JSON parsed) against the same SQL in a DuckDB connection of this process opened
read-only on the same file (rows fetched), alternating, RUNS times each after a warm-up. Prints
JSON: medians and p90 in seconds, and whether the rows agree."""
import decimal, http.client, json, statistics, sys, time, urllib.parse

import duckdb

base, db, sql, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = urllib.parse.urlparse(base)
http = http.client.HTTPConnection(url.hostname, url.port)
direct = duckdb.connect(db, read_only=True)
body = json.dumps({"sql": sql, "limit": 10000})


def over_http():
    http.request("POST", "/api/v1/sql", body=body, headers={"Content-Type": "application/json"})
    response = http.getresponse()
    payload = response.read()
    if response.status != 200:
        sys.exit(f"POST /api/v1/sql: HTTP {response.status}: {payload[:300]!r}")
    return json.loads(payload, parse_float=decimal.Decimal)["rows"]


def in_duckdb():
    return direct.execute(sql).fetchall()


for _ in range(3):
    over_http(), in_duckdb()
ours, theirs = [], []
for _ in range(runs):
    started = time.perf_counter(); rows_http = over_http(); ours.append(time.perf_counter() - started)
    started = time.perf_counter(); rows_direct = in_duckdb(); theirs.append(time.perf_counter() - started)
def canonical(rows):
    """Rows as comparable text: numbers by value (JSON 5.50 and DuckDB's Decimal('5.500000') agree)."""
    def value(v):
        if isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool):
            return format(decimal.Decimal(str(v)).normalize(), "f")
        return str(v)
    return sorted(json.dumps([value(v) for v in row]) for row in rows)


same = canonical(rows_http) == canonical(rows_direct)
q = lambda xs, p: statistics.quantiles(xs, n=100)[p - 1]
print(json.dumps({"api_median": statistics.median(ours), "api_p90": q(ours, 90), "duckdb_median": statistics.median(theirs),
                  "duckdb_p90": q(theirs, 90), "rows": len(rows_direct), "same_rows": same}))
