"""The runs pages and the model graph in a real browser: Debian's chromium driven by PyPI's playwright.

Builds a small store with the real binary, runs `storehouse jobs run marts_refresh` (analytics/jobs.yml)
so the run store holds a real run, breaks one mart (ltv_features) and runs the job again (it fails on
both attempts of its build), starts `storehouse serve`, then:
- the runs API lists both runs with millisecond ISO times, and /api/v1/jobs lists the project's jobs;
- /runs shows the run (status in words and colour, a timeline bar) and the jobs; the filters are a GET form;
- clicking the run opens /runs/{id}: its build step, the log in a <pre>, the node results;
- the failed run's page shows both attempts, the error and the failing node;
- /models/graph draws every model, seed, snapshot and source, coloured by status class: models built
  marked success with their age, the broken one error and its child skipped; a node links to its run;
- the data health dashboard links to the model graph and the runs;
- no page logs a console error. Screenshots runs.png, run.png, model_graph.png go to SCREENSHOT_DIR.

Usage: runs_test.py STOREHOUSE_BINARY [SCREENSHOT_DIR]   (scripts/browser-test runs it)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboards_test as shared  # noqa: E402  (check, sh, the browser, the as-of day)

BINARY = shared.BINARY
SHOTS = shared.SHOTS
CHROMIUM = shared.CHROMIUM
AS_OF = shared.AS_OF
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
failures = shared.failures
check = shared.check
sh = shared.sh


def prepare(workdir):
    """A small store built by a copy of the bundled project, then one real run of marts_refresh."""
    project = os.path.join(workdir, "analytics")
    shutil.copytree(os.path.join(ROOT, "analytics"), project, ignore=shutil.ignore_patterns("target", "logs"))
    db = os.path.join(workdir, "store.duckdb")
    env = dict(os.environ, STOREHOUSE_DB=db, STOREHOUSE_TARGET="dev")
    env.pop("STOREHOUSE_RUNS_DB", None)
    sh(BINARY, "generate", "--scale", "0.02", "--as-of", AS_OF, "--clickstream", "--db", db)
    sh(BINARY, "build", "--project-dir", project, env=env)
    sh(BINARY, "jobs", "run", "marts_refresh", "--project-dir", project, env=env)
    with open(os.path.join(project, "models", "marts", "ml", "ltv_features.sql"), "w") as f:
        f.write("select no_such_column from {{ ref('dim_customers') }}\n")
    broken = subprocess.run([BINARY, "jobs", "run", "marts_refresh", "--project-dir", project], env=env, capture_output=True, text=True)
    check(broken.returncode != 0, f"the run with a broken model fails (exit {broken.returncode})")
    return project, db, env


serve = shared.serve


def fetch_json(url):
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read().decode())


def main():
    if not CHROMIUM:
        print("skipped: chromium is not installed (apt-get install chromium)")
        return 0
    workdir = tempfile.mkdtemp(prefix="storehouse-runs-")
    project, db, env = prepare(workdir)
    server, base = serve(project, db, env)
    return shared.in_browser(server, workdir, lambda browser: page_checks(browser, base, *api_checks(base)))


def api_checks(base):
    runs = fetch_json(base + "/api/v1/runs")["runs"]
    check(len(runs) == 2, f"the API lists the two runs recorded ({len(runs)})")
    failed, run = runs[0], runs[-1]
    check(failed["status"] == "failed" and failed["id"] > run["id"], f"newest first: the failed run #{failed['id']}, then #{run['id']}")
    check("ltv_features" in (failed["error"] or ""), f"the failed run's error names the model ({failed['error']!r})")
    check(run["job"] == "marts_refresh" and run["status"] == "succeeded", f"it is marts_refresh, succeeded ({run['job']}, {run['status']})")
    check(run["trigger"] == {"kind": "manual"}, f"triggered by hand ({run['trigger']})")
    check(all(ISO_MS.match(run[key] or "") for key in ["queued_at", "started_at", "ended_at"]), "its times are ISO 8601 UTC with milliseconds")
    check(isinstance(run["seconds"], (int, float)) and run["seconds"] > 0, f"it took {run['seconds']} s")
    detail = fetch_json(f"{base}/api/v1/runs/{run['id']}")
    steps = detail["steps"]
    check([s["step"] for s in steps] == ["build"], f"its steps are [build] ({[s['step'] for s in steps]})")
    check(len(steps[0]["nodes"]) > 20 and all(n["status"] in ("success", "pass") for n in steps[0]["nodes"]),
          f"the build reports {len(steps[0]['nodes'])} nodes, all successful")
    jobs = {job["name"]: job for job in fetch_json(base + "/api/v1/jobs")["jobs"]}
    check(set(jobs) >= {"daily", "marts_refresh"}, f"the jobs API lists the jobs of jobs.yml ({sorted(jobs)})")
    check(jobs["daily"]["schedule"]["cron"] == "0 6 * * *" and ISO_MS.match(jobs["daily"]["schedule"]["next_tick"]),
          "daily's schedule has its cron and next tick")
    check(jobs["marts_refresh"]["last_run"]["id"] == failed["id"], "marts_refresh's last run is the failed one")
    attempts = fetch_json(f"{base}/api/v1/runs/{failed['id']}")["steps"]
    check([a["attempt"] for a in attempts] == [1, 2] and all(a["status"] == "failed" for a in attempts),
          f"the failed run's build was tried twice ({[(a['attempt'], a['status']) for a in attempts]})")
    return run["id"], failed["id"]


def page_checks(browser, base, run_id, failed_id):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(base + "/")
    check(page.query_selector("header.site a[href='/runs']") is not None, "the navigation links to the runs")
    check(page.query_selector("header.site a[href='/models/graph']") is not None, "the navigation links to the model graph")

    page.goto(base + "/runs")
    row = page.query_selector(f"tr.run-row[data-run='{run_id}']")
    check(row is not None, f"/runs lists run #{run_id}")
    badge = row.query_selector(".status") if row else None
    check(badge is not None and badge.inner_text().strip() == "succeeded" and "status-succeeded" in badge.get_attribute("class"),
          "its status is shown in words and by class")
    bar = row.query_selector(".timeline .bar-succeeded") if row else None
    box = bar.bounding_box() if bar else None
    check(box is not None and box["width"] >= 3, f"it has a timeline bar ({box})")
    check(page.query_selector("tr[data-job='daily']") is not None, "the jobs table lists daily")
    check(page.query_selector("form.filters[method=get] select[name=job]") is not None, "the filters are a GET form")
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, "runs.png"), full_page=True)
    page.select_option("select[name=status]", "succeeded")
    page.wait_for_url(re.compile(r"status=succeeded"))
    shown = [r.get_attribute("data-run") for r in page.query_selector_all("tr.run-row")]
    check(shown == [str(run_id)], f"filtering by succeeded shows only run #{run_id} ({shown})")
    page.goto(base + "/runs?job=daily")
    check(page.query_selector("#no-runs") is not None, "a job without runs shows none, and says so")
    page.goto(base + "/runs")

    with page.expect_navigation():
        page.click(f"tr.run-row[data-run='{run_id}'] td a[href='/runs/{run_id}']")
    check(page.url.endswith(f"/runs/{run_id}"), f"clicking the run opens /runs/{run_id}")
    check(page.query_selector("section.attempt[data-step='build']") is not None, "the run page shows the build step")
    log = page.query_selector("section.attempt pre.log")
    check(log is not None and log.is_visible() and len(log.inner_text().strip()) > 0, "the build's log is shown")
    nodes = page.query_selector_all("table.node-results tbody tr")
    check(len(nodes) > 20, f"the node results are listed ({len(nodes)})")
    check(page.query_selector(".gantt .bar-succeeded") is not None, "the steps are drawn on a time axis")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "run.png"), full_page=True)

    page.goto(f"{base}/runs/{failed_id}")
    check(len(page.query_selector_all("section.attempt.attempt-failed")) == 2, "the failed run shows both failed attempts")
    check("ltv_features" in (page.text_content("#run-error") or ""), "the run's error is shown")
    check(page.query_selector("table.node-problems tr[data-node$='.ltv_features']") is not None, "the failing node is listed in view")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "run_failed.png"))

    page.goto(base + "/models/graph")
    graph_nodes = page.query_selector_all("svg.model-graph g.node")
    check(len(graph_nodes) >= 40, f"the graph draws {len(graph_nodes)} nodes (models, seeds, snapshots, sources)")
    classes = [n.get_attribute("class") for n in graph_nodes]
    built = [c for c in classes if "status-success" in c]
    check(len(built) >= 10, f"{len(built)} nodes are coloured as built by the run")
    check(any("status-source" in c for c in classes), "sources are drawn as inputs")
    check(all(re.search(r"\bstatus-[a-z_]+", c) for c in classes), "every node has a status class")
    fill = page.eval_on_selector("svg.model-graph g.node.status-success rect.box", "el => getComputedStyle(el).fill")
    never = page.eval_on_selector("svg.model-graph g.node.status-never rect.box", "el => getComputedStyle(el).fill") \
        if page.query_selector("svg.model-graph g.node.status-never") else None
    check(fill not in (None, "none", "rgb(255, 255, 255)") and fill != never, f"built nodes are filled by status ({fill} vs {never})")
    first = page.query_selector("svg.model-graph g.node.status-success")
    age = first.text_content() if first else ""
    check(re.search(r"built (just now|\d+ (s|min) ago)", age or ""), f"a built node says how long ago ({age!r})")
    broken = page.query_selector("svg.model-graph g.node[data-node$='.ltv_features']")
    check(broken is not None and "status-error" in broken.get_attribute("class"), "the broken model is coloured as an error")
    child = page.query_selector("svg.model-graph g.node[data-node$='.churn_features']")
    check(child is not None and "status-skipped" in child.get_attribute("class"), "its child is coloured as skipped")
    link = page.query_selector("svg.model-graph a:has(g.node[data-node$='.ltv_features'])")
    check(link is not None and link.get_attribute("href") == f"/runs/{failed_id}", "the broken node links to the run that failed it")
    check(page.query_selector("#attention a[href$='.ltv_features']") is not None, "the broken model is listed under Needs attention")
    check(page.query_selector("ul.legend") is not None, "the graph has a legend")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "model_graph.png"), full_page=True)

    page.goto(base + "/dashboards/data_health")
    check(page.query_selector(".dashboard-links a[href='/models/graph']") is not None, "data health links to the model graph")
    check(page.query_selector(".dashboard-links a[href='/runs']") is not None, "data health links to the runs")
    check(not errors, f"no console errors {errors[:3]}")


if __name__ == "__main__":
    sys.exit(main())
