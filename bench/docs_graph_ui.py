"""The docs' lineage graph in a real browser, timed: each interaction from its event to the next
painted frame, as the page itself records it (window.docsGraphTimings).

    docs_graph_ui.py BASE_URL [--rounds N]     (bench/docs_vs_dbt.sh runs it against serve)

Interactions: the whole graph drawn after the page loads ("all"), a selection typed in dbt's
syntax (+ the server's selector round trip, "select"), a click that lights a node's lineage
("focus"), the zoom slider ("zoom"), and "Everything" again from a selection ("all"). Prints the
median and the slowest of each over the rounds; the target is every interaction under 100 ms.
"""
import json
import os
import shutil
import statistics
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("STOREHOUSE_CHROMIUM") or shutil.which("chromium")


def wait_until(page, script, timeout=30.0):
    """Polls a function expression in the page (wait_for_function evaluates strings, which the
    server's Content-Security-Policy forbids)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(script):
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {script}")


def main():
    base = sys.argv[1]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    with urllib.request.urlopen(base + "/docs/graph.json") as response:
        nodes = json.loads(response.read())["nodes"]
    # A model in the middle of the graph: its ancestors are a real selection.
    models = [n for n in nodes if n["kind"] == "model"]
    middle = models[len(models) * 2 // 3]["name"]
    times = {}
    phases = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for _ in range(rounds):
            page.goto(base + "/docs/graph")
            wait_until(page, "() => window.docsGraphTimings && window.docsGraphTimings.some(t => t.what === 'all')")
            drawn = page.evaluate("document.querySelectorAll('#graph-svg .gnode').length")
            page.fill("#graph-form input[name=select]", "+" + middle)
            page.press("#graph-form input[name=select]", "Enter")
            wait_until(page, "() => window.docsGraphTimings.some(t => t.what === 'select')")
            page.click("#graph-svg .gnode:last-child")
            wait_until(page, "() => window.docsGraphTimings.some(t => t.what === 'focus')")
            page.fill("#graph-zoom", "60")
            wait_until(page, "() => window.docsGraphTimings.some(t => t.what === 'zoom')")
            page.fill("#graph-form input[name=select]", "")
            page.press("#graph-form input[name=select]", "Enter")
            wait_until(page, "() => window.docsGraphTimings.filter(t => t.what === 'all').length >= 2")
            # A click on the whole graph: the heaviest focus.
            page.click("#graph-svg .gnode >> nth=%d" % (drawn // 2))
            wait_until(page, "() => window.docsGraphTimings.filter(t => t.what === 'focus').length >= 2")
            for t in page.evaluate("window.docsGraphTimings"):
                if t["what"] == "load":
                    continue
                key = f"{t['what']} ({t['nodes']} nodes)"
                times.setdefault(key, []).append(t["ms"])
                for phase, ms in (t.get("phases") or {}).items():
                    phases.setdefault(key, {}).setdefault(phase, []).append(ms)
        browser.close()
    print(f"{'interaction':<40}{'median ms':>10}{'slowest ms':>12}")
    worst = 0.0
    for key, values in sorted(times.items()):
        worst = max(worst, max(values))
        split = ", ".join(f"{phase} {statistics.median(ms):.1f}" for phase, ms in sorted(phases.get(key, {}).items()))
        print(f"{key:<40}{statistics.median(values):>10.1f}{max(values):>12.1f}" + (f"   (median ms: {split}; the rest is the browser's style, layout and paint)" if split else ""))
    print(f"slowest interaction: {worst:.1f} ms over {rounds} rounds (target < 100 ms)")


if __name__ == "__main__":
    main()
