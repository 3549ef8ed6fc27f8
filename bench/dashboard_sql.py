#!/usr/bin/env python3
"""dashboard_sql.py BASE_URL DB RUNS NAME [NAME ...]: each dashboard's page cold and warm against
its own queries run directly in DuckDB.

For each dashboard: GET /api/v1/dashboards/NAME lists every distinct query a view of the page runs
(the latest-day look-up, the tiles', the filters' values). Then, RUNS times, alternating:
  - cold: DELETE /api/v1/cache (query results, rendered pages and answers), then GET the page;
  - warm: GET the same page again (answered from the page cache);
  - direct: the same queries, one after another, in a DuckDB connection of this process opened
    read-only on the same file, every row fetched.
Checks (exit 1 when one fails): every page answers 200 with no tile error on it, every direct
query runs, and a dashboard runs at least one query. Prints JSON: per dashboard, medians in
seconds and the number of queries."""
import http.client, json, statistics, sys, time, urllib.parse

import duckdb

base, db, runs, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
url = urllib.parse.urlparse(base)
http_connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
direct = duckdb.connect(db, read_only=True)
failures = []


def call(method, path):
    http_connection.request(method, path)
    response = http_connection.getresponse()
    return response.status, response.read()


def page(name):
    started = time.perf_counter()
    status, body = call("GET", f"/dashboards/{name}")
    elapsed = time.perf_counter() - started
    text = body.decode("utf-8", "replace")
    if status != 200:
        failures.append(f"{name}: GET /dashboards/{name} answered {status}: {text[:200]}")
    elif 'class="tile-error' in text:
        failures.append(f"{name}: the page shows a tile error")
    return elapsed


def run_directly(queries):
    started = time.perf_counter()
    for sql in queries:
        direct.execute(sql).fetchall()
    return time.perf_counter() - started


report = {}
for name in names:
    status, body = call("GET", f"/api/v1/dashboards/{name}")
    if status != 200:
        failures.append(f"{name}: GET /api/v1/dashboards/{name} answered {status}: {body[:200]!r}")
        continue
    queries = json.loads(body)["queries"]
    if not queries:
        failures.append(f"{name}: the API lists no query for it")
        continue
    try:
        run_directly(queries)  # warms DuckDB's buffer pool as the server's is warm
    except duckdb.Error as error:
        failures.append(f"{name}: a query failed in DuckDB directly: {error}")
        continue
    cold, warm, anchor = [], [], []
    for _ in range(runs):
        status, body = call("DELETE", "/api/v1/cache")
        if status != 200:
            failures.append(f"DELETE /api/v1/cache answered {status}: {body[:200]!r}")
            break
        cold.append(page(name))
        warm.append(page(name))
        anchor.append(run_directly(queries))
    if cold:
        report[name] = {"queries": len(queries), "cold": statistics.median(cold), "warm": statistics.median(warm),
                        "direct": statistics.median(anchor)}

print(json.dumps({"dashboards": report, "failures": failures}))
sys.exit(1 if failures else 0)
