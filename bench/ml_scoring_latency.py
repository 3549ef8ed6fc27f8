"""Latency of the scoring API (issue 16: p99 < 5 ms): one feature row per request, sent one
after another over a kept-alive connection, after a warm-up.

    ml_scoring_latency.py BASE_URL ROWS.json [REQUESTS]

ROWS.json maps a model name to one row of its features ({"churn": {"recency_days": 12, …}}).
Prints p50 / p99 / max in milliseconds per model; exits 1 when a request fails.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main():
    base, rows_path = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    with open(rows_path) as handle:
        rows = json.load(handle)
    url = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    for model, row in rows.items():
        body = json.dumps({"rows": [row]})
        timings = []
        for index in range(requests + 200):
            started = time.perf_counter()
            connection.request("POST", f"/api/v1/ml/{model}/score", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                print(f"{model}: HTTP {response.status}: {payload[:300]!r}")
                sys.exit(1)
            if index >= 200:
                timings.append(elapsed)
        timings.sort()
        p99 = timings[int(len(timings) * 0.99) - 1]
        score = json.loads(payload)["scores"][0]
        print(f"{model}: {requests} requests of one row · p50 {statistics.median(timings):.2f} ms · p99 {p99:.2f} ms · "
              f"max {timings[-1]:.2f} ms (target p99 < 5 ms) · score {score:.4f}")


if __name__ == "__main__":
    main()
