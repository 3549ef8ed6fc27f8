"""Every shipped dashboard in a real browser: Debian's chromium driven by PyPI's playwright.

Runs `storehouse serve` on a small generated store (built by the bundled project), then:
- opens every dashboard: no console errors, no tile that failed to draw, every tile shows a chart
  or a table; takes the README's screenshots (laptop width, plus the executive page on a phone);
- changes the date range in the filter bar and checks a KPI equals SQL over the marts;
- clicks a bar to cross-filter and checks the other tiles change to the filtered values;
- downloads a tile's CSV and compares it with the tile's query;
- opens a customer's 360 from the Customers dashboard and checks its lifetime value equals SQL
  (and takes its screenshot);
- clicks a bar, follows the tile's rows link and checks the row count equals SQL.

Usage: dashboards_test.py STOREHOUSE_BINARY [SCREENSHOT_DIR]   (scripts/browser-test runs it)
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import duckdb
from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.abspath(sys.argv[1])
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
CHROMIUM = os.environ.get("STOREHOUSE_CHROMIUM") or shutil.which("chromium")
AS_OF = "2026-11-20"

failures = []


def check(condition, message):
    if condition:
        print(f"  ok    {message}")
    else:
        print(f"  FAIL  {message}")
        failures.append(message)


def sh(*args, env=None):
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(workdir):
    """A small store, built by a copy of the bundled project, in workdir."""
    project = os.path.join(workdir, "analytics")
    shutil.copytree(os.path.join(ROOT, "analytics"), project, ignore=shutil.ignore_patterns("target", "logs"))
    db = os.path.join(workdir, "store.duckdb")
    sh(BINARY, "generate", "--scale", "0.02", "--as-of", AS_OF, "--clickstream", "--db", db)
    env = dict(os.environ, STOREHOUSE_DB=db, STOREHOUSE_TARGET="dev")
    sh(BINARY, "build", "--project-dir", project, env=env)
    return project, db


def serve(project, db, env=None):
    process = subprocess.Popen([BINARY, "serve", "--read-only", "--project-dir", project, "--db", db, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line or "")
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            sys.exit(f"storehouse serve exited: {process.stderr.read()}")
    process.kill()
    sys.exit("storehouse serve did not print its address within 60 s")


def serve_and_check(project, db, workdir, checks):
    """Serves `db`, then runs `checks(browser, base, copy)` in chromium, `copy` a copy of the
    warehouse taken before (serve holds the file; DuckDB lets one process open it)."""
    copy = os.path.join(workdir, "copy.duckdb")
    shutil.copy(db, copy)
    server, base = serve(project, db)
    return in_browser(server, workdir, lambda browser: checks(browser, base, copy))


def in_browser(server, workdir, checks):
    """Runs `checks(browser)` in chromium, then stops `server` (SIGTERM, then kill) and removes
    `workdir` whatever happened; returns the exit status from the failures recorded."""
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            checks(browser)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        check(server.returncode is not None, "serve stops on SIGTERM")
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


def kpi_value(page, tile):
    value = page.get_attribute(f"#tile-{tile} svg[data-chart=kpi]", "data-value")
    return None if value is None else float(value)


def main():
    if not CHROMIUM:
        print("skipped: chromium is not installed (apt-get install chromium)")
        return 0
    workdir = tempfile.mkdtemp(prefix="storehouse-browser-")
    project, db = prepare(workdir)
    server, base = serve(project, db)
    return in_browser(server, workdir, lambda browser: run_checks(browser, base, db))


def run_checks(browser, base, db):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(base + "/")
    names = [href.split("/")[-1] for href in page.eval_on_selector_all(".dashboard-list a", "els => els.map(e => e.getAttribute('href'))")]
    check(len(names) >= 9, f"the index lists {len(names)} dashboards (at least 9)")
    for name in names:
        errors.clear()
        page.goto(f"{base}/dashboards/{name}")
        tiles = page.query_selector_all("article.tile")
        broken = page.query_selector_all(".tile-error")
        drawn = page.query_selector_all("article.tile .chart svg, article.tile .chart table")
        check(tiles and not broken, f"{name}: {len(tiles)} tiles, none failed to draw"
              + ("" if not broken else f" ({broken[0].inner_text()[:200]})"))
        check(len(drawn) >= len(tiles), f"{name}: every tile shows a chart or a table")
        check(not errors, f"{name}: no console errors {errors[:2]}")
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    if SHOTS:
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.goto(f"{base}/dashboards/executive")
        phone.screenshot(path=os.path.join(SHOTS, "executive-phone.png"), full_page=True)
        phone.close()

    date_range(page, base, db)
    cross_filter(page, base, db)
    csv_export(page, base)
    errors.clear()
    customer_360(page, base, db)
    check(not errors, f"customer pages: no console errors {errors[:2]}")
    drill_through(page, base, db)


def date_range(page, base, db):
    """The filter bar's dates reach a KPI; its value equals SQL over the marts for the range."""
    page.goto(f"{base}/dashboards/executive")
    page.fill("input[name=start]", "2026-10-01")
    page.fill("input[name=end]", "2026-10-31")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    check("start=2026-10-01" in page.url and "end=2026-10-31" in page.url, "the date range is in the URL (a permalink)")
    shown = kpi_value(page, "gross_revenue")
    with duckdb.connect(db, read_only=True) as con:
        expected = con.execute("select sum(gross_revenue) from marts.fact_orders where order_date between '2026-10-01' and '2026-10-31'").fetchone()[0]
    check(shown is not None and abs(shown - float(expected)) < 0.01, f"gross revenue KPI for October {shown} = SQL {expected}")


def cross_filter(page, base, db):
    """Clicking a bar filters the whole dashboard by its value."""
    page.goto(f"{base}/dashboards/executive?start=2026-01-01&end=2026-11-20")
    before = kpi_value(page, "gross_revenue")
    bar = page.query_selector("article.tile .mark[data-dimension='customer__customer_segment']")
    check(bar is not None, "the executive dashboard has a bar per customer segment")
    if bar is None:
        return
    segment = bar.get_attribute("data-x")
    with page.expect_navigation():
        bar.click()
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    check(query.get("f.customer__customer_segment") == [segment], f"the click adds f.customer__customer_segment={segment} to the URL")
    after = kpi_value(page, "gross_revenue")
    with duckdb.connect(db, read_only=True) as con:
        expected = con.execute("""
            select sum(o.gross_revenue) from marts.fact_orders o join marts.dim_customers c using (customer_id)
            where o.order_date between '2026-01-01' and '2026-11-20' and c.customer_segment = ?""", [segment]).fetchone()[0]
    check(after is not None and before is not None and after < before, f"the KPI drops from {before} to {after} for {segment}")
    check(after is not None and abs(after - float(expected)) < 0.01, f"the filtered KPI {after} = SQL {expected}")
    chip = page.query_selector(".active-filters .chip")
    check(chip is not None and segment in chip.inner_text(), "the active filter is shown and can be removed")


def csv_export(page, base):
    """A tile's CSV download is the tile's query for the page's state."""
    page.goto(f"{base}/dashboards/executive?start=2026-06-01&end=2026-11-20")
    link = page.query_selector("article.tile a.export")
    href = link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, encoding="utf-8") as f:
        downloaded = f.read()
    check(downloaded == fetch(base + href), "the downloaded CSV is the tile's export for this state")
    rows = csv_rows(downloaded)
    check(len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), f"the CSV has a header and {len(rows) - 1} rectangular rows")


def customer_360(page, base, db):
    """The Customers dashboard's top customer opens their 360, whose lifetime value is the mart's."""
    page.goto(f"{base}/dashboards/customers")
    link = page.query_selector("#tile-top_customers a[href^='/customers/']")
    check(link is not None, "the Customers dashboard links its top customers to their 360")
    if link is None:
        return
    customer_id = int(link.get_attribute("href").split("/")[-1])
    with page.expect_navigation():
        link.click()
    check(page.url.endswith(f"/customers/{customer_id}"), f"the click opens /customers/{customer_id}")
    shown = page.get_attribute("[data-kpi=lifetime_value]", "data-value")
    with duckdb.connect(db, read_only=True) as con:
        expected, orders = con.execute("select lifetime_value, lifetime_orders from marts.dim_customers where customer_id = ?",
                                       [customer_id]).fetchone()
    check(shown is not None and abs(float(shown) - float(expected)) < 0.005, f"the 360's lifetime value {shown} = SQL {expected}")
    rows = page.query_selector_all("#recent-orders tbody tr")
    check(len(rows) == min(10, orders), f"the latest orders table has {len(rows)} rows (of {orders} orders, at most 10)")
    check(page.query_selector("#monthly-revenue svg") is not None, "the 360 draws the monthly revenue chart")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "customer-360.png"), full_page=True)
    # The search finds them by the start of their email, any case.
    email = page.inner_text(".identity span:nth-child(2)")
    page.goto(f"{base}/customers?q={urllib.parse.quote(email[:4].upper())}")
    check(page.query_selector(f"tr[data-customer='{customer_id}']") is not None or page.query_selector("a[rel=next]") is not None,
          f"searching {email[:4].upper()!r} lists the customer (or pages to them)")


def drill_through(page, base, db):
    """After a cross-filter click, a tile's rows link carries the clicked value; its rows are SQL's."""
    start, end = "2026-01-01", "2026-11-20"
    page.goto(f"{base}/dashboards/customers?start={start}&end={end}")
    bar = page.query_selector("#tile-customers_by_segment .mark[data-dimension='customer__customer_segment']")
    check(bar is not None, "the Customers dashboard has a bar per value segment")
    if bar is None:
        return
    segment = bar.get_attribute("data-x")
    with page.expect_navigation():
        bar.click()
    link = page.query_selector("#tile-customers_by_segment a.rows")
    href = link.get_attribute("href") if link else ""
    query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    check(query.get("f.customer__customer_segment") == [segment], f"the rows link carries the clicked segment {segment}")
    with page.expect_navigation():
        link.click()
    total = int(page.get_attribute(".row-count", "data-total"))
    shown = len(page.query_selector_all(".rows-page table tbody tr"))
    with duckdb.connect(db, read_only=True) as con:
        expected = con.execute("""
            select count(*) from marts.fact_orders o join marts.dim_customers c using (customer_id)
            where o.order_date between ? and ? and c.customer_segment = ?""", [start, end, segment]).fetchone()[0]
    check(total == expected, f"the rows page counts {total} orders for {segment} = SQL {expected}")
    check(shown == min(500, expected), f"it shows {shown} rows (at most 500 a page)")


if __name__ == "__main__":
    sys.exit(main())
