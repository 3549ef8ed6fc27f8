"""The orchestrator end to end, with a real `storehouse serve` process (Python's standard library only).

A small project of its own (seeds and models that fail until a seed is loaded, a slow model, a
landing folder) and jobs.yml, then:
- a schedule (`* * * * *`) fires within a second or two of its minute;
- a file dropped in the landing folder starts its job within a second;
- a step that fails twice and then succeeds shows 3 attempts (the seed it needs is loaded
  between the attempts by `storehouse seed`, run from the CLI and executed by the server);
- a job over its timeout is stopped and marked timed_out;
- a webhook receiver started here gets exactly one failure and one recovery for a job that
  fails and then recovers (and the timed-out job's one failure, nothing else);
- dashboards/pages keep answering while a slow run builds;
- kill -9 of the server mid-run, restart: the run is marked interrupted and retried, the retry
  succeeds, and the warehouse still answers with every table intact.

Usage: orchestrator_test.py STOREHOUSE_BINARY
"""
import http.server
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BINARY = os.path.abspath(sys.argv[1])
SLOW_TOTAL = (24999 * 25000 // 2) ** 2
FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


PROJECT_FILES = {
    "dbt_project.yml": """
name: e2e
version: "1.0.0"
profile: e2e
model-paths: [models]
seed-paths: [seeds]
""",
    "profiles.yml": """
e2e:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('E2E_DB') }}"
      threads: 2
""",
    "seeds/flaky_seed.csv": "id\n1\n2\n",
    "seeds/fragile_seed.csv": "id\n1\n",
    "models/flaky_model.sql": "select count(*) as n from {{ ref('flaky_seed') }}\n",
    "models/fragile_model.sql": "select count(*) as n from {{ ref('fragile_seed') }}\n",
    "models/trivial.sql": "select 1 as x\n",
    # About 3 s on a 2-core machine: long enough to time out at 1 s and to kill mid-build.
    "models/slow_model.sql": "{{ config(materialized='table') }}\nselect sum(a.range * b.range) as total from range(0, 25000) a, range(0, 25000) b\n",
    "models/tick_model.sql": "select 1 as ticked\n",
    "jobs.yml": """
jobs:
  every_minute:
    schedule: "* * * * *"
    steps:
      - run: {select: tick_model}
  on_landing:
    sensor: {landing: {path: landing, glob: "*.csv", min_age: 0s}}
    steps:
      - run: {select: trivial}
  flaky:
    retries: {count: 2, backoff: 2s, max_backoff: 2s, jitter: 0}
    steps:
      - run: {select: flaky_model}
  fragile:
    steps:
      - run: {select: fragile_model}
  too_slow:
    timeout: 1s
    steps:
      - run: {select: slow_model}
  slow:
    retries: {count: 1, backoff: 1s}
    steps:
      - run: {select: slow_model}
""",
}


class Webhook(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Webhook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def start_webhook():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/hook"


def serve(project, env, log):
    process = subprocess.Popen([BINARY, "serve", "--project-dir", project, "--profiles-dir", project, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=log, text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line or "")
        if match:
            threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
            return process, match.group(1)
        if process.poll() is not None:
            sys.exit("storehouse serve exited before listening")
    process.kill()
    sys.exit("storehouse serve did not print its address within 60 s")


def runs_db(runs_path):
    connection = sqlite3.connect(runs_path, timeout=10)
    connection.row_factory = sqlite3.Row
    return connection


def runs_of(runs_path, job):
    with runs_db(runs_path) as db:
        return [dict(row) for row in db.execute("select * from run where job = ? order by id", (job,))]


def attempts_of(runs_path, run_id):
    with runs_db(runs_path) as db:
        return [dict(row) for row in db.execute("select * from step_attempt where run_id = ? order by id", (run_id,))]


def wait_for(what, predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return None


def post_run(base, job):
    request = urllib.request.Request(base + "/api/v1/runs", data=json.dumps({"job": job}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["run"]["id"]


def cli(project, env, *args):
    return subprocess.run([BINARY, *args, "--project-dir", project, "--profiles-dir", project],
                          capture_output=True, text=True, env=env, timeout=120)


def main():
    work = tempfile.mkdtemp(prefix="storehouse-e2e-")
    project = os.path.join(work, "project")
    for name, text in PROJECT_FILES.items():
        path = os.path.join(project, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text.lstrip())
    db = os.path.join(work, "e2e.duckdb")
    runs_path = os.path.join(work, "e2e.runs.sqlite")
    hook_server, hook_url = start_webhook()
    env = dict(os.environ, E2E_DB=db, STOREHOUSE_ALERT_WEBHOOK=hook_url)
    env.pop("STOREHOUSE_RUNS_DB", None)
    log = open(os.path.join(work, "serve.log"), "w")
    process, base = serve(project, env, log)
    try:
        # 1. A file landing starts its job.
        os.makedirs(os.path.join(project, "landing"), exist_ok=True)
        with open(os.path.join(project, "landing", "orders.csv"), "w") as handle:
            handle.write("id\n1\n")
        landed = time.time()
        run = wait_for("landing run", lambda: next((r for r in runs_of(runs_path, "on_landing") if r["started_at"]), None), 10)
        check(run is not None, "a file dropped in the landing folder starts its job")
        if run:
            check(run["started_at"] - landed < 1.0, f"landing → run start in {run['started_at'] - landed:.3f} s (< 1 s)")
            check(json.loads(run["trigger"]).get("files") == ["orders.csv"], f"the run gets the new file: {run['trigger']}")
        time.sleep(0.5)
        check(len(runs_of(runs_path, "on_landing")) == 1, "the same file does not start a second run")

        # 2. A step fails twice, the seed is loaded from the CLI (executed by the server), the third attempt succeeds.
        flaky = post_run(base, "flaky")
        wait_for("two failed attempts", lambda: len([a for a in attempts_of(runs_path, flaky) if a["status"] == "failed"]) >= 2, 20)
        seeded = cli(project, env, "seed", "--select", "flaky_seed")
        check(seeded.returncode == 0 and "runs there" in seeded.stdout,
              f"`storehouse seed` while serve runs is executed by the server (exit {seeded.returncode}): {seeded.stdout[-300:]} {seeded.stderr[-300:]}")
        check(len(runs_of(runs_path, "cli.seed")) == 1, "the server recorded the CLI's seed as a run")
        # generate --days is a job step the server runs (here there is no load to append to, and it says so);
        # a full regenerate is refused with what to do instead of failing on the lock.
        appended = subprocess.run([BINARY, "generate", "--days", "1", "--db", db], capture_output=True, text=True, env=env, timeout=120)
        check(appended.returncode == 1 and "runs there" in appended.stdout and "nothing to append to" in appended.stdout,
              f"`storehouse generate --days 1` while serve runs is executed by the server (exit {appended.returncode}): {appended.stdout[-300:]} {appended.stderr[-300:]}")
        regenerated = subprocess.run([BINARY, "generate", "--users", "10", "--db", db], capture_output=True, text=True, env=env, timeout=120)
        check(regenerated.returncode == 2 and "owns the warehouse" in regenerated.stderr and "--days N" in regenerated.stderr,
              f"a full regenerate while serve runs is refused with what to do (exit {regenerated.returncode}): {regenerated.stderr[-300:]}")
        done = wait_for("flaky run", lambda: next((r for r in runs_of(runs_path, "flaky") if r["status"] not in ("queued", "running")), None), 20)
        attempts = attempts_of(runs_path, flaky)
        check(done is not None and done["status"] == "succeeded", f"the flaky run succeeds: {done and done['status']}")
        check([a["status"] for a in attempts] == ["failed", "failed", "succeeded"], f"3 attempts: {[a['status'] for a in attempts]}")

        # 3. A job over its timeout is stopped and marked so; pages answer while it builds.
        slow_run = post_run(base, "too_slow")
        page_started = time.time()
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            check(response.status == 200, f"the server answers while a run builds ({time.time() - page_started:.3f} s)")
        done = wait_for("timed out run", lambda: next((r for r in runs_of(runs_path, "too_slow") if r["status"] not in ("queued", "running")), None), 30)
        check(done is not None and done["status"] == "timed_out", f"the job over its 1 s timeout is marked timed_out: {done and (done['status'], done['error'])}")

        # 4. A job fails, then recovers: one failure and one recovery message.
        fragile = post_run(base, "fragile")
        wait_for("fragile failure", lambda: runs_of(runs_path, "fragile")[-1]["status"] == "failed", 20)
        seeded = cli(project, env, "seed", "--select", "fragile_seed")
        check(seeded.returncode == 0, f"seeding fragile_seed through the server: {seeded.stdout[-200:]} {seeded.stderr[-200:]}")
        post_run(base, "fragile")
        wait_for("fragile recovery", lambda: runs_of(runs_path, "fragile")[-1]["status"] == "succeeded", 20)
        wait_for("alerts", lambda: len([m for m in Webhook.received if m["storehouse"]["job"] == "fragile"]) >= 2, 10)
        time.sleep(1)
        fragile_alerts = [m["storehouse"]["kind"] for m in Webhook.received if m["storehouse"]["job"] == "fragile"]
        check(fragile_alerts == ["failure", "recovery"], f"the webhook got one failure and one recovery for fragile: {fragile_alerts}")
        kinds = sorted((m["storehouse"]["job"], m["storehouse"]["kind"]) for m in Webhook.received)
        check(kinds == [("fragile", "failure"), ("fragile", "recovery"), ("too_slow", "failure")], f"no other alerts: {kinds}")
        check(all("text" in m and m["text"] for m in Webhook.received), "each message has Slack's `text`")
        check(hook_url not in open(os.path.join(work, "serve.log")).read(), "the webhook URL is never printed")

        # 5. A schedule fires on time (the next minute; the checks above took some of the wait).
        tick = wait_for("scheduled run", lambda: next((r for r in runs_of(runs_path, "every_minute") if r["started_at"]), None), 75)
        check(tick is not None, "the every-minute schedule fired")
        if tick:
            scheduled = json.loads(tick["trigger"])["tick"]
            check(0 <= tick["started_at"] - scheduled < 2.0, f"it started {tick['started_at'] - scheduled:.3f} s after its tick (< 2 s)")

        # 6. kill -9 mid-run, restart: interrupted and retried, the warehouse consistent.
        slow = post_run(base, "slow")
        wait_for("slow running", lambda: runs_of(runs_path, "slow")[-1]["status"] == "running", 10)
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process, base = serve(project, env, log)
        retried = wait_for("retry", lambda: next((r for r in runs_of(runs_path, "slow") if r["status"] == "succeeded"), None), 60)
        first = next(r for r in runs_of(runs_path, "slow") if r["id"] == slow)
        check(first["status"] == "interrupted", f"the killed run is marked interrupted: {first['status']}")
        check(retried is not None and json.loads(retried["trigger"]) == {"kind": "retry", "run": slow},
              f"and retried by the restarted server: {retried and retried['trigger']}")
        query = urllib.request.Request(base + "/api/v1/sql", data=json.dumps({"sql": "select (select n from flaky_model) as flaky, (select total from slow_model) as slow"}).encode(),
                                       method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(query, timeout=30) as response:
            rows = json.loads(response.read())["rows"]
        check(rows == [[2, SLOW_TOTAL]] or rows == [{"flaky": 2, "slow": SLOW_TOTAL}],
              f"the warehouse is consistent after the kill: {rows}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        hook_server.shutdown()
        log.close()
        if FAILURES:
            print(open(os.path.join(work, "serve.log")).read()[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        sys.exit(f"{len(FAILURES)} orchestrator check(s) failed")
    print("orchestrator end to end: all checks passed")


main()
