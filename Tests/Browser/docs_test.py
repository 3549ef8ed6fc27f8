"""The docs in a real browser: Debian's chromium driven by PyPI's playwright.

Builds a small store with the real binary (the bundled project, tests included), starts
`storehouse serve`, then:
- the site header links to the docs; /docs counts the project's models and metrics;
- typing "revenue per user" in the search box suggests the metric and the column as you type;
  Enter shows the ranked results with both on top;
- dim_customers' page shows the warehouse's row count and every column with its type (checked
  with DuckDB), every test with the last build's result (checked with run_results.json), its SQL
  and the profile of `build --profile` (rows produced, slowest operators);
- a column's page traces lifetime_value to raw.order_items.sale_price and its links walk the tree;
- the lineage graph draws every node of graph.json; a selection typed in dbt's syntax shows what
  the server's selector picks; a click lights the node's lineage and opens its panel, whose
  buttons narrow the graph; Back restores the previous selection;
- no page logs a console error. Screenshots docs_*.png go to SCREENSHOT_DIR.

Usage: docs_test.py STOREHOUSE_BINARY [SCREENSHOT_DIR]   (scripts/browser-test runs it)
"""
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboards_test as shared  # noqa: E402  (check, sh, prepare, serve, the browser)

CHROMIUM = shared.CHROMIUM
SHOTS = shared.SHOTS
failures = shared.failures
check = shared.check


def fetch_json(url):
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read().decode())


def wait_until(page, script, what, timeout=10.0):
    """Polls `script` (a function expression) in the page: wait_for_function evaluates strings,
    which the server's Content-Security-Policy (no unsafe-eval) forbids, rightly."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(script):
            return True
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def status_says(page, text):
    wait_until(page, f"() => document.getElementById('graph-status').textContent.includes({text!r})", f"the status to say {text!r}")


def shot(page, name, full=True):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=full)


def main():
    if not CHROMIUM:
        print("skipped: chromium is not installed (apt-get install chromium)")
        return 0
    workdir = tempfile.mkdtemp(prefix="storehouse-docs-")
    project, db = shared.prepare(workdir)
    # dim_customers built again with the warehouse's profiler on: its page shows the profile.
    env = dict(os.environ, STOREHOUSE_DB=db, STOREHOUSE_TARGET="dev")
    shared.sh(shared.BINARY, "build", "--profile", "--select", "dim_customers", "--project-dir", project, env=env)
    return shared.serve_and_check(project, db, workdir, lambda browser, base, copy: run_checks(browser, base, project, copy))


def run_checks(browser, base, project, db):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    with open(os.path.join(project, "target", "manifest.json")) as f:
        manifest = json.load(f)
    with open(os.path.join(project, "target", "run_results.json")) as f:
        results = {r["unique_id"]: r for r in json.load(f)["results"]}
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]

    page.goto(base + "/")
    with page.expect_navigation():
        page.click("header.site a[href='/docs']")
    counts = page.inner_text("#docs-counts")
    check(f"{len(models)} models" in counts, f"/docs counts the {len(models)} models ({counts!r})")

    search(page, base)
    model_page(page, base, db, manifest, results)
    column_page(page, base)
    graph(page, base, errors)


def search(page, base):
    page.fill("#docs-q", "")
    page.type("#docs-q", "revenue per user", delay=15)
    page.wait_for_selector("#docs-suggest a", timeout=5000)
    suggested = [a.inner_text() for a in page.query_selector_all("#docs-suggest a")]
    check(any("experiment_revenue_per_user" in s for s in suggested[:3]), f"the metric is suggested while typing ({suggested[:3]})")
    check(any("experiment_results.revenue_per_user" in s for s in suggested[:3]), "and the column")
    shot(page, "docs_search.png", full=False)
    with page.expect_navigation():
        page.press("#docs-q", "Enter")
    titles = [a.inner_text() for a in page.query_selector_all("#results li > a")]
    check({"experiment_revenue_per_user", "experiment_results.revenue_per_user"} <= set(titles[:3]),
          f"Enter shows the ranked results, both on top ({titles[:4]})")
    check(page.get_attribute("#docs-q", "value") == "revenue per user", "the box keeps the query")


def model_page(page, base, db, manifest, results):
    page.goto(base + "/docs")
    with page.expect_navigation():
        page.click("a[href='/docs/nodes/model.storehouse_analytics.dim_customers']")
    con = duckdb.connect(db, read_only=True)
    rows = con.execute("select count(*) from marts.dim_customers").fetchone()[0]
    columns = con.execute("select column_name, data_type from information_schema.columns "
                          "where table_schema = 'marts' and table_name = 'dim_customers' order by ordinal_position").fetchall()
    con.close()
    shown_rows = page.inner_text("#row-count").replace(",", "")
    check(shown_rows == str(rows), f"the row count is the warehouse's ({shown_rows} vs {rows})")
    shown = [(r.get_attribute("data-column"), r.query_selector("td:nth-child(2)").inner_text()) for r in page.query_selector_all("#columns tbody tr")]
    check(shown[:len(columns)] == [(c, t) for c, t in columns], f"every column in order with its type ({len(shown)} shown, {len(columns)} built)")
    # Its tests: those attached to it, and singular tests that read it.
    model_id = "model.storehouse_analytics.dim_customers"
    tests = [t for t in manifest["nodes"].values() if t["resource_type"] == "test"
             and (t.get("attached_node") == model_id or (not t.get("attached_node") and model_id in t["depends_on"]["nodes"]))]
    listed = {r.get_attribute("data-test"): r for r in page.query_selector_all("#tests tbody tr")}
    check(set(listed) == {t["unique_id"] for t in tests}, f"every test on the model is listed ({len(listed)} of {len(tests)})")
    wrong = [tid for tid, row in listed.items()
             if tid in results and f"status-{results[tid]['status']}" not in (row.query_selector(".status").get_attribute("class") or "")]
    check(not wrong and any(tid in results for tid in listed), f"each with the last build's result ({len(wrong)} differ)")
    check("from" in page.inner_text("#compiled-sql").lower(), "the compiled SQL is shown")
    profile = page.inner_text("#profile") if page.query_selector("#profile") else ""
    check(f"{rows:,}" in profile, f"the profile of the last build --profile shows the rows produced ({profile[:120]!r})")
    check(len(page.query_selector_all("#profile-operators tbody tr")) >= 2, "and its slowest operators")
    shot(page, "docs_model.png")


def column_page(page, base):
    with page.expect_navigation():
        page.click("#columns a[href='/docs/columns/marts.dim_customers.lifetime_value']")
    origins = page.inner_text("#origins")
    check("raw.order_items.sale_price" in origins, f"lifetime_value comes from raw.order_items.sale_price ({origins!r})")
    check(page.query_selector("#upstream .d-aggregation") is not None, "the tree says how: an aggregation")
    shot(page, "docs_column.png")
    with page.expect_navigation():
        page.click("#origins a[href='/docs/columns/raw.order_items.sale_price']")
    downstream = page.inner_text("#downstream")
    check("marts.dim_customers.lifetime_value" in downstream, "the raw column's page lists lifetime_value downstream")
    metrics = [li.inner_text() for li in page.query_selector_all("#impact-metrics li")]
    check(len(metrics) >= 10 and any("net_revenue" in m for m in metrics), f"a change to sale prices moves {len(metrics)} metrics")
    check(page.query_selector("#impact-tiles a[href^='/dashboards/']") is not None, "and names the dashboard tiles that show them")


def graph(page, base, errors):
    data = fetch_json(base + "/docs/graph.json")
    total = len(data["nodes"])
    page.goto(base + "/docs/graph")
    page.wait_for_selector("#graph-svg .gnode")
    drawn = len(page.query_selector_all("#graph-svg .gnode"))
    check(drawn == total, f"the graph draws every node ({drawn} of {total})")
    edges = int(page.get_attribute("#graph-svg .edges-all", "data-count"))
    expected_edges = sum(len(n["parents"]) for n in data["nodes"])
    check(edges == expected_edges, f"and every edge ({edges} of {expected_edges})")
    shot(page, "docs_graph_all.png", full=False)

    page.fill("#graph-form input[name=select]", "+dim_customers")
    page.press("#graph-form input[name=select]", "Enter")
    status_says(page, "selected by +dim_customers")
    selected = fetch_json(base + "/docs/select.json?select=" + urllib.parse.quote("+dim_customers"))["ids"]
    names = sorted(e.get_attribute("data-id") for e in page.query_selector_all("#graph-svg .gnode"))
    check(names == sorted(selected), f"+dim_customers shows what the selector picks ({len(names)} vs {len(selected)})")
    check("select=%2Bdim_customers" in page.url or "select=+dim_customers" in page.url, f"the selection is in the address ({page.url})")

    node = page.query_selector("#graph-svg .gnode[data-id='model.storehouse_analytics.dim_customers']")
    node.click()
    page.wait_for_selector("#graph-panel:not([hidden])")
    check(page.inner_text("#panel-name") == "dim_customers", "a click opens the node's panel")
    lit = len(page.query_selector_all("#graph-svg .gnode.lit"))
    check(lit == len(selected), f"its lineage is lit: every ancestor in view ({lit} of {len(selected)})")
    faded = page.eval_on_selector("#graph-svg .gnode:not(.lit)", "el => getComputedStyle(el).opacity") if lit < len(selected) else "none"
    check(faded in ("none", "0.25"), f"the rest fades ({faded})")
    lit_edges = int(page.get_attribute("#graph-svg .edges-lit", "data-count"))
    in_view = sum(1 for n in data["nodes"] if n["id"] in selected for p in n["parents"] if data["nodes"][p]["id"] in selected)
    check(lit_edges == in_view, f"and every edge among them ({lit_edges} of {in_view})")
    shot(page, "docs_graph.png", full=False)

    page.fill("#panel-depth", "1")
    page.click("#graph-panel button[data-go=down]")
    status_says(page, "selected by dim_customers+1")
    one_down = fetch_json(base + "/docs/select.json?select=" + urllib.parse.quote("dim_customers+1"))["ids"]
    shown = len(page.query_selector_all("#graph-svg .gnode"))
    check(shown == len(one_down) and shown >= 2, f"Downstream with depth 1 shows the node and its children ({shown} vs {len(one_down)})")
    page.go_back()
    status_says(page, "selected by +dim_customers")
    check(page.input_value("#graph-form input[name=select]") == "+dim_customers", "Back restores the previous selection")

    check(not errors, f"no console errors {errors[:3]}")
    # Last: the refused selection's 400 is logged by the browser as a failed resource, rightly.
    page.fill("#graph-form input[name=select]", "colour:red")
    page.press("#graph-form input[name=select]", "Enter")
    page.wait_for_selector("#graph-status.tile-error")
    check("could not be read" in page.inner_text("#graph-status"), "a selection the selector refuses is said, and the graph stays")
    timings = page.evaluate("window.docsGraphTimings")
    slowest = max((t["ms"] for t in timings if t["what"] != "load"), default=0)
    print(f"  note  interaction times here (not a benchmark): {[(t['what'], round(t['ms'], 1)) for t in timings]}; slowest {slowest:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
