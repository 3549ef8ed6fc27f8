"""The machine-learning pages in a real browser: Debian's chromium driven by PyPI's playwright.

Generates a store (scale 0.1, enough positives for every model), builds it with a copy of the
bundled project, trains and scores its models (`storehouse ml train`, `ml score`), runs
`storehouse serve`, then:
- /ml lists the three models with their accepted version; a click opens a model's page;
- the churn page shows the artefact's validation AUC, a drawn ROC curve, ten calibration bins,
  every coefficient, and a histogram of the current scores whose bars add up to the scores table;
- a customer's 360 shows the churn risk and predicted revenue the scores tables hold, and the
  cross-sell categories in the model's order.
No console errors anywhere.

Usage: models_test.py STOREHOUSE_BINARY [SCREENSHOT_DIR]   (scripts/browser-test runs it)
"""
import json
import os
import shutil
import sys
import tempfile

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboards_test as shared  # noqa: E402  (check, sh, serve, the browser)

check = shared.check
SHOTS = shared.SHOTS


def prepare(workdir):
    project = os.path.join(workdir, "analytics")
    shutil.copytree(os.path.join(shared.ROOT, "analytics"), project, ignore=shutil.ignore_patterns("target", "logs"))
    db = os.path.join(workdir, "store.duckdb")
    shared.sh(shared.BINARY, "generate", "--scale", "0.1", "--as-of", shared.AS_OF, "--db", db)
    env = dict(os.environ, STOREHOUSE_DB=db, STOREHOUSE_TARGET="dev", STOREHOUSE_RUNS_DB="")
    shared.sh(shared.BINARY, "build", "--project-dir", project, env=env)
    shared.sh(shared.BINARY, "ml", "train", "--project-dir", project, env=env)
    shared.sh(shared.BINARY, "ml", "score", "--project-dir", project, env=env)
    churn = json.loads(shared.sh(shared.BINARY, "ml", "show", "churn", "--format", "json", "--project-dir", project, env=env))
    return project, db, churn


def main():
    if not shared.CHROMIUM:
        print("skipped: chromium is not installed (apt-get install chromium)")
        return 0
    workdir = tempfile.mkdtemp(prefix="storehouse-models-")
    project, db, churn = prepare(workdir)
    return shared.serve_and_check(project, db, workdir, lambda browser, base, copy: run_checks(browser, base, copy, churn))


def run_checks(browser, base, db, churn):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    con = duckdb.connect(db, read_only=True)

    page.goto(base + "/")
    with page.expect_navigation():
        page.click("header.site a[href='/ml']")
    check(page.get_attribute("header.site a[href='/ml']", "aria-current") == "page", "the navigation leads to /ml and marks it")
    rows = page.query_selector_all("#models tbody tr")
    check(len(rows) == 3, f"/ml lists the three models ({len(rows)})")
    check(f"v{churn['version']}" in page.inner_text("tr[data-model='churn']"), "the churn row shows its accepted version")
    with page.expect_navigation():
        page.click("tr[data-model='churn'] a")
    check(page.url.endswith("/ml/churn"), f"the link opens the churn page ({page.url})")

    auc = churn["evaluation"]["classification"]["_0"]["rocAUC"]
    shown = float(page.get_attribute("[data-kpi='roc_auc']", "data-value"))
    check(abs(shown - auc) < 1e-12, f"the page's validation AUC is the artefact's ({shown} vs {auc})")
    points = (page.get_attribute("svg.roc polyline.curve", "points") or "").split()
    check(len(points) > 10, f"the ROC curve is drawn ({len(points)} points)")
    box = page.query_selector("svg.roc").bounding_box()
    check(box is not None and box["width"] > 200 and box["height"] > 100, f"the ROC chart has room ({box})")
    check(len(page.query_selector_all("#calibration tr[data-decile]")) == 10, "ten calibration bins")
    features = len(churn["coefficients"]["weights"])
    check(len(page.query_selector_all("#coefficients tr[data-feature]")) == features + 1, f"{features} coefficients and the intercept")
    bars = page.query_selector_all("svg.histogram rect.bin")
    total = sum(int(bar.get_attribute("data-rows")) for bar in bars)
    expected = con.execute("select count(*) from ml.churn_scores").fetchone()[0]
    check(len(bars) == 20 and total == expected, f"the score histogram's 20 bars hold every score ({total} of {expected})")
    shot(page, "model-churn.png")

    customer, probability, revenue = con.execute("""
        select c.customer_id, c.churn_probability, l.predicted_revenue_90d
        from ml.churn_scores c join ml.ltv_predictions l using (customer_id)
        where c.customer_id in (select customer_id from ml.cross_sell_scores)
        order by c.customer_id limit 1""").fetchone()
    categories = [r[0] for r in con.execute(
        "select category from ml.cross_sell_scores where customer_id = ? order by purchase_probability desc, category limit 5", [customer]).fetchall()]
    page.goto(f"{base}/customers/{customer}")
    shown = float(page.get_attribute("[data-kpi='churn_probability']", "data-value"))
    check(abs(shown - probability) < 1e-12, f"customer {customer}'s churn risk is ml.churn_scores' ({shown} vs {probability})")
    shown = float(page.get_attribute("[data-kpi='predicted_revenue_90d']", "data-value"))
    check(abs(shown - revenue) < 1e-9, f"the predicted revenue is ml.ltv_predictions' ({shown} vs {revenue})")
    listed = [row.get_attribute("data-category") for row in page.query_selector_all("#recommendations tr[data-category]")]
    check(listed == categories, f"the cross-sell categories in the model's order ({listed} vs {categories})")
    shot(page, "customer-predictions.png")
    check(not errors, f"no console errors ({errors[:3]})")


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


if __name__ == "__main__":
    sys.exit(main())
