"""The SQL explorer in a real browser and the JSON API against its own OpenAPI document.

Runs `storehouse serve` with access tokens on a small generated store (built by the bundled
project), then:
- signs in on the login page with the viewer token (a page without it answers 401);
- runs a query from the editor and checks the table equals the same SQL in DuckDB, the elapsed
  time is shown, and the CSV link downloads the same rows;
- runs a write, a file read and markup in a value: refused with a clear message, or shown as text;
- the schema tree shows a model's columns with their descriptions from the YAML;
- no console errors (a Content-Security-Policy violation is one); takes docs/screenshots/explorer.png;
- the API: 401 without a token everywhere but /healthz, the OpenAPI document validates
  (openapi-spec-validator), and schemathesis finds no server error and no response that breaks
  the document (skipped with a message where schemathesis cannot be installed).

Usage: explorer_api_test.py STOREHOUSE_BINARY [SCREENSHOT_DIR] [--api-venv DIR]
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import duckdb
from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboards_test as shared  # noqa: E402  (prepare, serve-like start, check)

args = [a for a in sys.argv[1:] if not a.startswith("--api-venv")]
API_VENV = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--api-venv=")), None)
BINARY = os.path.abspath(args[0])
SHOTS = args[1] if len(args) > 1 else None
VIEWER = "viewer-" + os.urandom(12).hex()
ADMIN = "admin-" + os.urandom(12).hex()
check = shared.check


def serve(project, db, token_file, log_path):
    """Starts serve; its log goes to log_path (a pipe nobody reads would fill and stall it), so a
    crash's backtrace is there to print when the server stops answering."""
    log = open(log_path, "w")
    process = subprocess.Popen([BINARY, "serve", "--read-only", "--project-dir", project, "--db", db, "--port", "0", "--token-file", token_file],
                               stdout=subprocess.PIPE, stderr=log, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if "http://127.0.0.1:" in (line or ""):
            # The address is all this test reads; the rest of stdout joins the log.
            threading.Thread(target=lambda: [log.write(rest) or log.flush() for rest in process.stdout], daemon=True).start()
            return process, "http://127.0.0.1:" + line.split("http://127.0.0.1:")[1].split("/")[0]
        if process.poll() is not None:
            log.close()
            sys.exit(f"storehouse serve exited: {open(log_path).read()}")
    process.kill()
    sys.exit("storehouse serve did not print its address within 60 s")


def status_of(url, token=None, method="GET"):
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    if not shared.CHROMIUM:
        print("skipped: chromium is not installed (apt-get install chromium)")
        return 0
    workdir = tempfile.mkdtemp(prefix="storehouse-explorer-")
    project, db = shared.prepare(workdir)
    token_file = os.path.join(workdir, "tokens")
    with open(token_file, "w") as f:
        f.write(f"viewer {VIEWER}\nadmin {ADMIN}\n")
    server_log = os.path.join(workdir, "serve.log")
    server, base = serve(project, db, token_file, server_log)
    try:
        api_checks(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shared.CHROMIUM, args=["--no-sandbox"])
            explorer_checks(browser, base, db)
            browser.close()
        schemathesis_checks(base)
        if server.poll() is not None:
            check(False, f"storehouse serve stayed up through the checks (it exited with {server.returncode}); its log ends:\n"
                  + "\n".join(open(server_log, errors="replace").read().splitlines()[-40:]))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    failures = shared.failures
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def api_checks(base):
    check(status_of(base + "/healthz") == 200, "/healthz answers without a token")
    for path in ["/", "/dashboards/executive", "/explorer", "/api/v1/metrics", "/api/v1/models", "/metrics", "/api/v1/openapi.json"]:
        check(status_of(base + path) == 401, f"{path} answers 401 without a token")
    check(status_of(base + "/api/v1/metrics", token=VIEWER) == 200, "a viewer token reads /api/v1/metrics")
    check(status_of(base + "/api/v1/cache", token=VIEWER, method="DELETE") == 403, "a viewer token cannot clear the cache (admin route)")
    check(status_of(base + "/api/v1/cache", token=ADMIN, method="DELETE") == 200, "an admin token can")


def explorer_checks(browser, base, db):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    dialogs = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    response = page.goto(base + "/explorer")
    check(response.status == 401 and page.locator("form.login").count() == 1, "the explorer asks for a token first (401 with a sign-in form)")
    errors.clear()  # the 401 itself is logged by the browser as a failed resource
    page.fill("form.login input[name=token]", VIEWER)
    page.click("form.login button")
    page.wait_for_load_state()
    check(page.url.endswith("/explorer") and page.locator("textarea#sql").count() == 1, "signing in leads back to the explorer")

    sql = ("select order_status, count(*) as orders, round(sum(gross_revenue), 2) as revenue "
           "from marts.fact_orders group by order_status order by order_status")
    page.fill("textarea#sql", sql)
    page.click(".editor-bar button")
    page.wait_for_selector(".result-table table")
    shown = page.eval_on_selector_all(".result-table tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))")
    with duckdb.connect(db, read_only=True) as connection:
        expected = [[str(v) for v in row] for row in connection.execute(sql).fetchall()]
    check(shown == expected, f"the table equals the same SQL in DuckDB ({len(expected)} rows)")
    elapsed = page.get_attribute(".elapsed", "data-ms")
    check(elapsed is not None and float(elapsed) > 0, f"the elapsed time is shown ({elapsed} ms)")
    if SHOTS:
        page.locator("details.relation[data-relation='marts.fact_orders'] summary").click()
        page.screenshot(path=os.path.join(SHOTS, "explorer.png"), full_page=False)

    href = page.get_attribute(".result-bar a.export", "href")
    request = urllib.request.Request(base + href, headers={"Authorization": f"Bearer {VIEWER}"})
    with urllib.request.urlopen(request) as answer:
        downloaded = list(csv.reader(io.StringIO(answer.read().decode())))
    check(downloaded[1:] == expected and downloaded[0] == ["order_status", "orders", "revenue"], "the CSV link downloads the same rows")

    # Ctrl+Enter runs the editor.
    page.fill("textarea#sql", "select '<script>alert(1)</script>' as markup")
    page.press("textarea#sql", "Control+Enter")
    page.wait_for_selector(".result-table td")
    check(page.text_content(".result-table td") == "<script>alert(1)</script>" and not dialogs,
          "markup in a value is shown as text, never run (Ctrl+Enter ran the query)")

    for hostile, code in [("drop table marts.fact_orders", "not_read_only"),
                          ("select * from read_csv('/etc/passwd')", "forbidden_access"),
                          ("select 1; select 2", "multiple_statements")]:
        page.fill("textarea#sql", hostile)
        page.click(".editor-bar button")
        page.wait_for_selector(".query-error")
        check(page.get_attribute(".query-error", "data-code") == code and len(page.text_content(".query-error")) > 20,
              f"'{hostile}' is refused with {code} and a message")
    with duckdb.connect(db, read_only=True) as connection:
        check(connection.execute("select count(*) from marts.fact_orders").fetchone()[0] > 0, "fact_orders is still there")

    page.locator("details.relation[data-relation='marts.fact_orders'] summary").click()
    columns = page.eval_on_selector_all("details.relation[data-relation='marts.fact_orders'] .columns li",
                                        "items => items.map(i => i.textContent)")
    described = [c for c in columns if c.startswith("order_id")]
    check(len(columns) > 5 and described and len(described[0]) > len("order_id integer"),
          f"the schema tree lists fact_orders' {len(columns)} columns with their YAML descriptions")
    check(not errors, f"no console errors on the explorer ({errors[:3]})")

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies([{"name": "storehouse_token", "value": VIEWER, "url": base}])
    phone.goto(base + "/explorer?sql=" + urllib.parse.quote("select 1 as one"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    check(width <= 400, f"the explorer fits a phone ({width} px wide)")


def schemathesis_checks(base):
    if not API_VENV:
        print("  skip  schemathesis: its venv could not be made (scripts/api-venv.sh)")
        return
    document = os.path.join(tempfile.mkdtemp(), "openapi.json")
    request = urllib.request.Request(base + "/api/v1/openapi.json", headers={"Authorization": f"Bearer {VIEWER}"})
    with urllib.request.urlopen(request) as answer, open(document, "wb") as out:
        out.write(answer.read())
    validate = subprocess.run([os.path.join(API_VENV, "bin", "openapi-spec-validator"), document], capture_output=True, text=True)
    check(validate.returncode == 0, f"openapi-spec-validator accepts /api/v1/openapi.json {validate.stdout.strip()[-200:]}{validate.stderr.strip()[-400:]}")
    started = time.time()
    run = subprocess.run([os.path.join(API_VENV, "bin", "schemathesis"), "run", document, "--url", base,
                          "--header", f"Authorization: Bearer {VIEWER}",
                          "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                          "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "40"), "--no-color",
                          "--exclude-method", "DELETE"],
                         capture_output=True, text=True, timeout=600)
    lines = run.stdout.strip().splitlines()
    # On a failure the ERRORS/FAILURES section holds the request that broke (with a curl line).
    start = next((i for i, line in enumerate(lines) if line.startswith("=") and ("ERRORS" in line or "FAILURES" in line)), None)
    print("\n".join(lines[start:start + 60] if run.returncode != 0 and start is not None else []) + "\n" + "\n".join(lines[-25:]))
    check(run.returncode == 0, f"schemathesis: no server error and every response fits the document ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
