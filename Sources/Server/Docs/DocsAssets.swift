/// The docs pages' stylesheet (/assets/docs.css, beside the dashboards' and the runs' ones) and
/// the search box's script (/assets/docs.js): results as you type, from /docs/search.json.
enum DocsAssets {
    static let stylesheetPath = "/assets/docs.css"
    static let scriptPath = "/assets/docs.js"
    static let link = "<link rel=\"stylesheet\" href=\"\(stylesheetPath)\">\n<script src=\"\(scriptPath)\" defer></script>\n"

    static let stylesheet = """
        main.docs { max-width: 1180px; }
        main.docs.wide { max-width: none; }
        .docs-bar { position: relative; display: flex; gap: 8px; align-items: center; margin: 4px 0 14px; }
        .docs-bar input[type=search] { flex: 1; max-width: 640px; font: inherit; padding: 7px 10px; border: 1px solid #cbd2d9; border-radius: 8px; }
        .docs-bar button { font: inherit; padding: 6px 12px; border-radius: 8px; border: 1px solid #cbd2d9; background: #fff; cursor: pointer; }
        .docs-bar .graph-link { margin-left: auto; color: var(--accent); text-decoration: none; font-weight: 600; }
        .suggest { position: absolute; top: 40px; left: 0; width: min(640px, 100%); background: #fff; border: 1px solid #cbd2d9; border-radius: 8px;
                   box-shadow: 0 8px 24px rgba(31,35,40,.12); z-index: 20; padding: 4px 0; }
        .suggest a { display: flex; gap: 8px; align-items: baseline; padding: 6px 12px; color: var(--ink); text-decoration: none; }
        .suggest a[aria-selected=true], .suggest a:hover { background: #f0f6ff; }
        .suggest .muted { font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .crumbs { font-size: 13px; color: var(--muted); margin-bottom: 4px; } .crumbs a { color: var(--accent); text-decoration: none; }
        .where { margin-top: -6px; } .where a { color: var(--accent); }
        .kind { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; vertical-align: 3px;
                background: #eef2f6; color: #424a53; border: 1px solid #d0d7de; }
        .kind-model { background: #ddf4ff; color: #0550ae; border-color: #b6e3ff; } .kind-source { background: #f1efff; color: #5a4fcf; border-color: #d4cffb; }
        .kind-seed { background: #dafbe1; color: #116329; border-color: #aceebb; } .kind-snapshot { background: #fff8c5; color: #7d4e00; border-color: #eed888; }
        .kind-metric { background: #ffeff7; color: #99286e; border-color: #ffd3eb; } .kind-column { background: #f6f8fa; color: #424a53; }
        .doc-text p { margin: 6px 0; max-width: 80ch; } .doc-text code, td code, .facts code { background: #f0f2f5; padding: 1px 5px; border-radius: 4px; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 18px; background: var(--paper);
                   border: 1px solid #e3e8ee; border-radius: 10px; padding: 12px 16px; }
        dl.facts dt { font-size: 12px; color: var(--muted); } dl.facts dd { margin: 2px 0 0; }
        h2 .count, summary .count { font-size: 13px; color: var(--muted); font-weight: 400; }
        table.columns td.name { font-weight: 600; white-space: nowrap; } table.columns td.name a, .node-list a, .doc-list a, .results a { color: var(--accent); text-decoration: none; }
        table.columns .status, table.list .status { margin: 1px 2px; }
        .marks { white-space: nowrap; } .mark { display: inline-block; width: 16px; text-align: center; border-radius: 3px; font-size: 11px; margin-right: 1px; border: 1px solid transparent; }
        .mark::before { display: none; } tr.sample-row td { background: #fffafa; padding-top: 0; } details.sample summary { font-weight: 400; font-size: 13px; color: var(--bad); }
        td.message { max-width: 420px; white-space: normal; font-size: 12px; color: var(--muted); }
        .two { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; } .two h3 { margin: 4px 0; font-size: 14px; }
        @media (max-width: 720px) { .two { grid-template-columns: 1fr; } }
        .node-list, .doc-list, .origins { padding-left: 18px; } .node-list li, .doc-list li { margin: 3px 0; }
        pre.sql { background: #f6f8fa; border: 1px solid #e3e8ee; border-radius: 8px; padding: 10px 12px; overflow: auto; max-height: 520px; font-size: 12.5px; }
        details > summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
        .tag { display: inline-block; background: #eef2f6; border-radius: 10px; padding: 0 8px; font-size: 12px; color: #424a53; text-decoration: none; }
        .lineage-tree ul { list-style: none; padding-left: 20px; border-left: 1px solid #d0d7de; margin: 2px 0 2px 6px; }
        .lineage-tree > ul { border-left: none; padding-left: 0; margin-left: 0; }
        .lineage-tree li { margin: 3px 0; } .lineage-tree a { color: var(--accent); text-decoration: none; }
        .derivation { font-size: 11px; padding: 0 6px; border-radius: 8px; background: #f6f8fa; border: 1px solid #d0d7de; color: #57606a; }
        .d-aggregation { background: #fff8c5; border-color: #eed888; } .d-transformation { background: #ddf4ff; border-color: #b6e3ff; }
        .d-window { background: #ffeff7; border-color: #ffd3eb; }
        ol.results { padding-left: 22px; } ol.results li { margin: 8px 0; } ol.results p { margin: 2px 0 0; font-size: 13px; }
        .graph-docs form.filters input[type=search] { min-width: 260px; }
        .graph-area { display: flex; gap: 12px; align-items: flex-start; }
        #graph-canvas { flex: 1; overflow: auto; max-height: 78vh; min-height: 200px; background: #fff; }
        #graph-panel { width: 300px; flex: none; background: var(--paper); border: 1px solid #e3e8ee; border-radius: 10px; padding: 10px 14px; position: sticky; top: 8px; }
        #graph-panel h2 { margin: 2px 0 4px; font-size: 16px; word-break: break-all; }
        .panel-actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 13px; }
        .panel-actions input { width: 56px; } .panel-actions button { font: inherit; font-size: 13px; padding: 3px 8px; }
        #graph-svg .edges-all { fill: none; stroke: #c4cdd5; stroke-width: 1.2; } #graph-svg .edges-lit { fill: none; stroke: #0969da; stroke-width: 2; }
        #graph-svg .gnode { cursor: pointer; } #graph-svg .gnode rect { fill: #fff; stroke: #8c959f; stroke-width: 1.2; }
        #graph-svg .gnode text { font: 600 12px system-ui, sans-serif; fill: #1f2328; }
        #graph-svg .kind-model rect { fill: #f0f7ff; stroke: #54aeff; } #graph-svg .kind-source rect { fill: #f6f4ff; stroke: #8a7ff0; }
        #graph-svg .kind-seed rect { fill: #effbf2; stroke: #4ac26b; } #graph-svg .kind-snapshot rect { fill: #fffbe6; stroke: #d4a72c; }
        #graph-svg.far .gnode text { display: none; } #graph-svg.far .gnode rect { stroke-width: 2.5; }
        #graph-svg .mat-ephemeral rect { stroke-dasharray: 4 3; }
        #graph-svg.focused .gnode { opacity: .25; } #graph-svg.focused .edges-all { opacity: .3; } #graph-svg.focused .gnode.lit { opacity: 1; }
        #graph-svg .gnode.focus rect { stroke: #0969da; stroke-width: 3; }
        @media (max-width: 900px) { .graph-area { flex-direction: column; } #graph-panel { width: auto; position: static; } }
        """

    static let script = #"""
    (function () {
      "use strict";
      var box = document.getElementById("docs-q"), list = document.getElementById("docs-suggest");
      if (!box || !list) return;
      var timer = null, seq = 0, chosen = -1;
      function esc(text) {
        return String(text).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; });
      }
      function mark(i) {
        var items = list.querySelectorAll("a");
        chosen = Math.max(-1, Math.min(items.length - 1, i));
        items.forEach(function (a, k) { a.setAttribute("aria-selected", String(k === chosen)); });
      }
      function ask() {
        var q = box.value, mine = ++seq;
        if (q.trim().length < 2) { list.hidden = true; return; }
        fetch("/docs/search.json?q=" + encodeURIComponent(q) + "&limit=8", {headers: {Accept: "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (body) {
            if (mine !== seq) return;
            var hits = body.results || [];
            list.innerHTML = hits.map(function (h) {
              return '<a role="option" href="' + esc(h.link) + '"><span class="kind kind-' + esc(h.kind) + '">' + esc(h.kind) + "</span> " +
                esc(h.title) + (h.summary ? ' <span class="muted">' + esc(h.summary) + "</span>" : "") + "</a>";
            }).join("") || '<p class="muted" style="padding:6px 12px;margin:0">No match</p>';
            list.hidden = false;
            chosen = -1;
          })
          .catch(function () { list.hidden = true; });
      }
      box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 60); });
      box.addEventListener("keydown", function (event) {
        if (list.hidden) return;
        if (event.key === "ArrowDown") { event.preventDefault(); mark(chosen + 1); }
        else if (event.key === "ArrowUp") { event.preventDefault(); mark(chosen - 1); }
        else if (event.key === "Escape") { list.hidden = true; }
        else if (event.key === "Enter" && chosen >= 0) { event.preventDefault(); location.href = list.querySelectorAll("a")[chosen].getAttribute("href"); }
      });
      document.addEventListener("click", function (event) { if (!list.contains(event.target) && event.target !== box) list.hidden = true; });
    })();
    """#
}
