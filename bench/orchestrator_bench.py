#!/usr/bin/env python3
"""The harness of bench/orchestrator_vs_dagster.sh: Storehouse's built-in orchestrator
(`storehouse serve`'s scheduler and landing sensor) next to Dagster (`dagster dev`, its defaults),
one after the other on this machine, with the same trivial job (one step that builds the one-row
table `trivial` = `select 1 as x` in a DuckDB file), started by a file landing in a watched folder.

For each side it measures

  1. landing → run started: the run's start time (as the orchestrator recorded it) minus the time
     the harness finished writing the file (write, close, then time.time()); LANDINGS landings a
     couple of seconds apart, each after the previous run ended. Dagster twice: its sensor with
     the default interval (30 s; DEFAULT_LANDINGS landings) and with minimum_interval_seconds=1.
  2. the overhead of a run: queued → started and started → ended, from the orchestrator's own
     records (Storehouse: GET /api/v1/runs, else its run store bench.runs.sqlite; Dagster: its
     instance's run records and run stats, i.e. the RUN_START / RUN_SUCCESS events).
  3. resident memory of the idle server, summed over its process and all its descendants, once
     the runs are done and it has settled SETTLE seconds (median of three samples a second apart).

Run with the Python of scripts/dagster-venv.sh (it imports dagster for the run records):

  orchestrator_bench.py --storehouse BIN --dagster-venv VENV --work DIR
      [--landings 5] [--default-landings 2] [--settle 10] [--only storehouse|dagster]

Every server starts in its own process group; the group ids are appended to DIR/pgids so that the
calling script can kill what is left if this process itself is killed. Exits 1 when a side could
not be measured (the table says why), else 0; missed targets are reported, not failures.
"""
import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DAGSTER_DIR = os.path.join(HERE, "orchestrator_dagster")


def log(message=""):
    print(message, flush=True)


class Failure(Exception):
    """A side could not be measured; the message says what failed."""


# --- processes ----------------------------------------------------------------------------------

def proc_table():
    """pid -> (ppid, pgid, state) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), int(fields[2]), fields[0])
    return table


def tree(root):
    """root and all its live descendants."""
    table = proc_table()
    children = {}
    for pid, (ppid, _, state) in table.items():
        if state != "Z":
            children.setdefault(ppid, []).append(pid)
    result, todo = [], [root] if root in table and table[root][2] != "Z" else []
    while todo:
        pid = todo.pop()
        result.append(pid)
        todo.extend(children.get(pid, []))
    return result


def memory(root):
    """(RSS bytes, PSS bytes, [(pid, rss bytes, command)]) summed over root's process tree."""
    total_rss = total_pss = 0
    rows = []
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:")), 0)
            pss = 0
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    pss = next((int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:")), 0)
            except OSError:
                pass
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:
            continue
        total_rss += rss
        total_pss += pss
        rows.append((pid, rss, short_command(argv)))
    return total_rss, total_pss, rows


def short_command(argv):
    """`python -m dagster code-server start …` → `dagster code-server start`."""
    if not argv:
        return "?"
    words = [os.path.basename(argv[0])] + argv[1:]
    if words[0].startswith("python"):
        words = words[1:]
        if words[:1] == ["-m"]:
            words = words[1:]
        elif words and words[0].startswith("/"):
            words[0] = os.path.basename(words[0])
    return " ".join(w for w in words[:3] if not w.startswith("{"))[:60]


class Server:
    """A server in its own process group; stop() interrupts the group (Ctrl-C), then kills it."""

    def __init__(self, argv, cwd, env, log_path, pgids_path):
        self.log_path = log_path
        self.log_file = open(log_path, "w")

        def child_setup():
            # A background job of a non-interactive shell starts with SIGINT ignored, and Python
            # programs (dagster dev) then ignore Ctrl-C: restore it so stop() can interrupt them.
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=child_setup)
        self.pgid = self.process.pid
        with open(pgids_path, "a") as f:
            f.write(f"{self.pgid}\n")

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def group(self):
        return [pid for pid, (_, pgid, state) in proc_table().items() if pgid == self.pgid and state != "Z"]

    def alive(self, members):
        table = proc_table()
        return [pid for pid in members if pid in table and table[pid][2] != "Z"] + \
            [pid for pid, (_, pgid, state) in table.items() if pgid == self.pgid and state != "Z" and pid not in members]

    def stop(self, grace=20.0):
        """Interrupts the group (Ctrl-C), waits up to `grace` seconds for every process of the
        server's tree and group to exit, kills what is left and waits until it is gone."""
        began = time.time()
        members = set(tree(self.pgid)) | set(self.group())
        how = "exited on Ctrl-C"
        if members:
            try:
                os.killpg(self.pgid, signal.SIGINT)
            except ProcessLookupError:
                pass
            while self.alive(members) and time.time() - began < grace:
                self.process.poll()
                time.sleep(0.1)
            left = self.alive(members)
            if left:
                how = f"{len(left)} process(es) killed after {grace:.0f} s"
                for pid in left:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                try:
                    os.killpg(self.pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                deadline = time.time() + 10
                while self.alive(members) and time.time() < deadline:
                    self.process.poll()
                    time.sleep(0.05)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.log_file.close()
        left = self.alive(members)
        return f"{how} in {time.time() - began:.1f} s" + (f"; STILL ALIVE: {left}" if left else "")


def wait_for(predicate, timeout, interval, what, server=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        if server is not None and server.process.poll() is not None:
            raise Failure(f"{what}: the server exited with status {server.process.returncode}:\n"
                          + tail(server.output()))
        time.sleep(interval)
    raise Failure(f"{what}: nothing after {timeout:.0f} s" + (":\n" + tail(server.output()) if server else ""))


def tail(text, lines=25):
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def land(folder, name):
    """Writes a one-line CSV file and returns the time its write completed."""
    with open(os.path.join(folder, name), "w") as f:
        f.write("id,landed\n1,yes\n")
    return time.time()


def settled_memory(root, settle):
    time.sleep(settle)
    samples = []
    for i in range(3):
        if i:
            time.sleep(1)
        samples.append(memory(root))
    samples.sort(key=lambda s: s[0])
    return samples[1]


# --- Storehouse -----------------------------------------------------------------------------------

def iso_seconds(value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


class StorehouseRuns:
    """Finds the run a landing started: GET /api/v1/runs when it answers with orchestrator runs
    (items with `job` and `queued_at`), else the run store beside the warehouse."""

    def __init__(self, base, store_path):
        self.base = base
        self.store_path = store_path
        self.api_answers = None   # None: not seen yet; True/False once an answer was seen

    def api_runs(self):
        try:
            with urllib.request.urlopen(f"{self.base}/api/v1/runs?job=on_landing&limit=10", timeout=5) as r:
                body = json.load(r)
        except (urllib.error.URLError, OSError, ValueError):
            return None
        runs = body.get("runs") if isinstance(body, dict) else None
        if not isinstance(runs, list):
            return None
        if runs and not all(isinstance(run, dict) and "job" in run and "queued_at" in run for run in runs):
            self.api_answers = False   # some other shape (e.g. build invocations): not the run history
            return None
        if runs:
            self.api_answers = True
        return [dict(run, source="api") for run in runs]

    def store_runs(self):
        if not os.path.exists(self.store_path):
            return []
        try:
            con = sqlite3.connect(f"file:{self.store_path}?mode=ro", uri=True, timeout=2)
            try:
                rows = con.execute("select id, job, status, trigger, queued_at, started_at, ended_at from run "
                                   "where job = 'on_landing' order by id desc limit 20").fetchall()
            finally:
                con.close()
        except sqlite3.Error:
            return []
        return [{"id": r[0], "job": r[1], "status": r[2], "trigger": r[3], "queued_at": r[4], "started_at": r[5],
                 "ended_at": r[6], "source": "sqlite"} for r in rows]

    def find(self, name):
        for runs in (self.api_runs() or [], self.store_runs()):
            for run in runs:
                trigger = run.get("trigger")
                text = trigger if isinstance(trigger, str) else json.dumps(trigger)
                if run.get("job") == "on_landing" and name in text:
                    return run
        return None


def measure_storehouse(args, work):
    binary = os.path.abspath(args.storehouse)
    if not os.access(binary, os.X_OK):
        raise Failure(f"no storehouse binary at {binary}")
    project = os.path.join(work, "storehouse")
    shutil.copytree(os.path.join(DAGSTER_DIR, "storehouse_project"), project)
    database = os.path.join(project, "bench.duckdb")
    with open(os.path.join(project, "profiles.yml"), "w") as f:
        f.write("orchestrator_bench:\n  target: dev\n  outputs:\n    dev:\n"
                f"      type: duckdb\n      path: {database}\n      threads: 1\n")
    landing = os.path.join(project, "landing")
    os.makedirs(landing)
    env = dict(os.environ)
    env.pop("STOREHOUSE_DB", None)
    env.pop("STOREHOUSE_RUNS_DB", None)
    server = Server([binary, "serve", "--project-dir", project, "--profiles-dir", project, "--db", database,
                     "--port", "0"], cwd=project, env=env, log_path=os.path.join(work, "storehouse-serve.log"),
                    pgids_path=os.path.join(work, "pgids"))
    try:
        def listening():
            for word in server.output().split():
                if word.startswith("http://127.0.0.1:"):
                    return word.rstrip("/").rstrip(".")
            return None
        base = wait_for(listening, 120, 0.05, "storehouse serve did not print its address", server)
        log(f"storehouse serve listening at {base} (pid {server.pgid})")
        time.sleep(2)   # the scheduler's first sensor poll
        runs = StorehouseRuns(base, os.path.join(project, "bench.runs.sqlite"))
        landings = []
        for i in range(args.landings):
            name = f"landing-{i + 1}.csv"
            written = land(landing, name)

            def ended():
                run = runs.find(name)
                return run if run and run.get("ended_at") is not None else None
            try:
                run = wait_for(ended, 60, 0.05, f"no finished run for {name}", server)
            except Failure as error:
                found = runs.find(name)
                raise Failure(f"{error} (the run store {'has ' + json.dumps(found) if found else 'has no run for it'};"
                              f" GET /api/v1/runs {'answers with orchestrator runs' if runs.api_answers else 'does not answer with orchestrator runs'})")
            queued, started, ended_at = (iso_seconds(run[k]) for k in ("queued_at", "started_at", "ended_at"))
            if isinstance(run.get("seconds"), (int, float)) and started is not None:
                ended_at = started + run["seconds"]   # the API's run length is to full precision, its instants to the ms
            landings.append({"file": name, "written": written, "queued": queued, "started": started, "ended": ended_at,
                             "status": run.get("status"), "source": run["source"], "id": run.get("id")})
            log(f"  run {run.get('id')} for {name}: landing → queued {ms(queued - written)}, → started "
                f"{ms(started - written)}; queued → started {ms(started - queued)}, started → ended "
                f"{ms(ended_at - started)}; {run.get('status')} (from {run['source']})")
            time.sleep(2)
        bad = [l for l in landings if l["status"] not in ("succeeded", "success")]
        if bad:
            raise Failure(f"runs did not succeed: {', '.join(str(l['id']) + ' ' + str(l['status']) for l in bad)}")
        rss, pss, rows = settled_memory(server.pgid, args.settle)
        log(f"  idle after {args.settle:.0f} s: RSS {mb(rss)}, PSS {mb(pss)} over {len(rows)} process(es): "
            + "; ".join(f"{cmd} {mb(r)}" for _, r, cmd in rows))
        return {"landings": landings, "rss": rss, "pss": pss, "processes": rows}
    finally:
        log(f"  storehouse serve stopped: {server.stop()}")


# --- Dagster --------------------------------------------------------------------------------------

def measure_dagster(args, work):
    venv = os.path.abspath(args.dagster_venv)
    home = os.path.join(work, "dagster", "home")
    landing = os.path.join(work, "dagster", "landing")
    tmp = os.path.join(work, "dagster", "tmp")
    for d in (home, os.path.join(landing, "default"), os.path.join(landing, "fast"), tmp):
        os.makedirs(d)
    code = os.path.join(work, "dagster", "code")
    os.makedirs(code)
    shutil.copy(os.path.join(DAGSTER_DIR, "definitions.py"), code)
    with open(os.path.join(home, "dagster.yaml"), "w") as f:
        f.write("telemetry:\n  enabled: false\n")
    port = free_port()
    env = dict(os.environ, DAGSTER_HOME=home, TMPDIR=tmp, BENCH_DAGSTER_LANDING=landing,
               BENCH_DAGSTER_DUCKDB=os.path.join(work, "dagster", "bench.duckdb"))
    os.environ["DAGSTER_HOME"] = home
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter   # after DAGSTER_HOME is set

    server = Server([os.path.join(venv, "bin", "dagster"), "dev", "-f", "definitions.py", "-h", "127.0.0.1",
                     "-p", str(port)], cwd=code, env=env, log_path=os.path.join(work, "dagster-dev.log"),
                    pgids_path=os.path.join(work, "pgids"))
    try:
        started_at = time.time()
        wait_for(lambda: f"Serving dagster-webserver on http://127.0.0.1:{port}" in server.output(), 180, 0.2,
                 "dagster dev did not start its webserver", server)
        wait_for(lambda: all(f"Checking for new runs for sensor: {s}" in server.output()
                             for s in ("landing_default", "landing_fast")), 180, 0.2,
                 "dagster's sensor daemon did not tick both sensors", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=10) as r:
            version = json.load(r).get("dagster_version", "?")
        log(f"dagster dev {version} up at http://127.0.0.1:{port} after {time.time() - started_at:.1f} s "
            f"(pid {server.pgid}); both sensors ticking")
        time.sleep(1)
        instance = DagsterInstance.get()
        terminal = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}

        def landings_for(folder, count, timeout):
            result = []
            for i in range(count):
                name = f"{folder}-{i + 1}.csv"
                written = land(os.path.join(landing, folder), name)

                def done():
                    records = instance.get_run_records(RunsFilter(job_name="on_landing", tags={"bench/file": name}))
                    return records[0] if records and records[0].dagster_run.status in terminal else None
                record = wait_for(done, timeout, 0.1, f"no finished Dagster run for {name}", server)
                stats = instance.get_run_stats(record.dagster_run.run_id)
                created = record.create_timestamp.timestamp()
                entry = {"file": name, "written": written, "queued": created, "enqueued": stats.enqueued_time,
                         "launched": stats.launch_time, "started": stats.start_time, "ended": stats.end_time,
                         "status": record.dagster_run.status.value, "id": record.dagster_run.run_id[:8]}
                result.append(entry)
                def d(a, b):
                    return None if entry[a] is None or entry[b] is None else entry[b] - entry[a]
                log(f"  run {entry['id']} for {name}: landing → created {ms(d('written', 'queued'))}, → RUN_START "
                    f"{ms(d('written', 'started'))}; created → RUN_STARTING (dequeued, launched) "
                    f"{ms(d('queued', 'launched'))}, → RUN_START {ms(d('queued', 'started'))}; RUN_START → "
                    f"RUN_SUCCESS {ms(d('started', 'ended'))}; {entry['status']}")
                time.sleep(2)
            return result

        log(f"- sensor landing_fast (minimum_interval_seconds=1): {args.landings} landings")
        fast = landings_for("fast", args.landings, 120)
        log(f"- sensor landing_default (minimum_interval_seconds unset = 30 s): {args.default_landings} landings")
        default = landings_for("default", args.default_landings, 150)
        bad = [l for l in fast + default if l["status"] != "SUCCESS"]
        if bad:
            raise Failure(f"Dagster runs did not succeed: {', '.join(l['id'] + ' ' + l['status'] for l in bad)}")
        rss, pss, rows = settled_memory(server.pgid, args.settle)
        log(f"  idle after {args.settle:.0f} s: RSS {mb(rss)}, PSS {mb(pss)} over {len(rows)} processes:")
        for pid, r, cmd in rows:
            log(f"    {pid:>7}  {mb(r):>9}  {cmd}")
        return {"fast": fast, "default": default, "rss": rss, "pss": pss, "processes": rows, "version": version}
    finally:
        log(f"  dagster dev stopped: {server.stop()}")


# --- report ---------------------------------------------------------------------------------------

def ms(seconds):
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.1f} ms" if abs(seconds) < 1 else f"{seconds:.2f} s"


def mb(nbytes):
    return f"{nbytes / 1e6:.1f} MB"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def maximum(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def ratio(theirs, ours):
    if theirs is None or ours is None or ours <= 0:
        return "n/a"
    return f"{theirs / ours:.1f}x" if theirs / ours < 100 else f"{theirs / ours:.0f}x"


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def report(args, ours, theirs, errors):
    def delta(runs, a, b):
        return [r[b] - r[a] if r.get(a) is not None and r.get(b) is not None else None for r in runs]

    o = ours["landings"] if ours else []
    fast = theirs["fast"] if theirs else []
    default = theirs["default"] if theirs else []
    both = fast + default
    rows = []

    def row(what, mine, dagster, target, ok=None):
        rows.append((what, ms(mine) if isinstance(mine, (int, float)) or mine is None else mine,
                     ms(dagster) if isinstance(dagster, (int, float)) or dagster is None else dagster,
                     ratio(dagster, mine) if isinstance(mine, (int, float)) and isinstance(dagster, (int, float)) else "",
                     f"{target}: {verdict(ok)}" if target else ""))

    ol = delta(o, "written", "started")
    row(f"1. landing → run started, median ({len(o)} | {len(fast)})", median(ol), median(delta(fast, "written", "started")),
        "ours < 1 s", None if median(ol) is None else median(ol) < 1)
    row(f"   landing → run started, max", maximum(ol), maximum(delta(fast, "written", "started")),
        "ours < 1 s", None if maximum(ol) is None else maximum(ol) < 1)
    row(f"   landing → run queued/created, median", median(delta(o, "written", "queued")),
        median(delta(fast, "written", "queued")), "")
    dl = delta(default, "written", "started")
    row(f"   dagster default 30 s sensor, median ({len(default)})", median(ol), median(dl), "")
    row(f"   dagster default 30 s sensor, max ({len(default)})", maximum(ol), maximum(dl), "")
    oq, os_ = delta(o, "queued", "started"), delta(o, "started", "ended")
    row(f"2. run queued → started, median ({len(o)} | {len(both)})", median(oq), median(delta(both, "queued", "started")), "")
    row(f"   run queued → started, max", maximum(oq), maximum(delta(both, "queued", "started")), "")
    row(f"   run started → ended, median", median(os_), median(delta(both, "started", "ended")),
        "ours < 20 ms", None if median(os_) is None else median(os_) < 0.020)
    row(f"   run started → ended, max", maximum(os_), maximum(delta(both, "started", "ended")),
        "ours < 20 ms", None if maximum(os_) is None else maximum(os_) < 0.020)
    our_rss, their_rss = (ours or {}).get("rss"), (theirs or {}).get("rss")
    n_ours, n_theirs = len((ours or {}).get("processes", [])), len((theirs or {}).get("processes", []))
    ok = None if our_rss is None or their_rss is None else our_rss * 5 < their_rss
    rows.append((f"3. idle RSS, all processes ({n_ours} | {n_theirs})", mb(our_rss) if our_rss else "n/a",
                 mb(their_rss) if their_rss else "n/a", ratio(their_rss, our_rss), f"ours < 1/5 of Dagster: {verdict(ok)}"))
    our_pss, their_pss = (ours or {}).get("pss"), (theirs or {}).get("pss")
    rows.append(("   idle PSS (shared pages split)", mb(our_pss) if our_pss else "n/a",
                 mb(their_pss) if their_pss else "n/a", ratio(their_pss, our_pss), ""))

    load = open("/proc/loadavg").read().split()[:3]
    log()
    log(f"== summary ({os.cpu_count()} cores, load average {' '.join(load)}; "
        f"Dagster {theirs.get('version', '?') if theirs else 'n/a'} via `dagster dev`; ratio = Dagster / Storehouse)")
    widths = [46, 14, 16, 8]
    header = ("what", "storehouse", "dagster", "ratio", "target")
    log("".join(h.ljust(w) for h, w in zip(header, widths)) + header[4])
    for r in rows:
        log("".join(str(c).ljust(w) for c, w in zip(r, widths)) + r[4])
    log()
    sources = ", ".join(sorted({l["source"] for l in o})) or "n/a"
    log(f"""Dagster column: rows 1 use the sensor with minimum_interval_seconds=1, except the two 'default 30 s'
rows (interval unset; only {len(default)} landings, as each waits up to 30 s for a tick), whose Storehouse
column repeats ours. Dagster's sensor daemon loops at most every 5 s (MIN_INTERVAL_LOOP_TIME) whatever
the interval, and `dagster dev`'s QueuedRunCoordinator dequeues every 5 s; each run is a new process
(DefaultRunLauncher) and its op another (the default multiprocess executor). Dagster's queued = run
creation, started = RUN_START, ended = RUN_SUCCESS (instance run records and run stats); rows 2 pool
the runs of both sensors. Storehouse's times come from {sources} ('api' = GET /api/v1/runs, to the
millisecond, started → ended from its full-precision `seconds`; 'sqlite' = its run store): queued = the
sensor queued the run, started/ended = the run's own.
RSS sums every process of the server's tree (PSS splits shared pages between them).""")
    for side, error in errors:
        log(f"{side}: NOT MEASURED: {error}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storehouse", required=True)
    parser.add_argument("--dagster-venv", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--landings", type=int, default=5)
    parser.add_argument("--default-landings", type=int, default=2)
    parser.add_argument("--settle", type=float, default=10)
    parser.add_argument("--only", choices=["storehouse", "dagster"])
    args = parser.parse_args()

    def terminate(signum, frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(s, terminate)

    ours = theirs = None
    errors = []
    if args.only != "dagster":
        log(f"== Storehouse: storehouse serve, {args.landings} landings")
        try:
            ours = measure_storehouse(args, args.work)
        except Failure as error:
            errors.append(("storehouse", str(error)))
            log(f"storehouse: FAILED: {error}")
    if args.only != "storehouse":
        log(f"== Dagster: dagster dev, {args.landings} + {args.default_landings} landings")
        try:
            theirs = measure_dagster(args, args.work)
        except Failure as error:
            errors.append(("dagster", str(error)))
            log(f"dagster: FAILED: {error}")
    report(args, ours, theirs, errors)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
