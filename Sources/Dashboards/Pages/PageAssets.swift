/// The one stylesheet and the one script every page loads from the server itself (no CDN, no
/// build step). The script only adds to pages that already work without it.
public enum PageAssets {
    public static let stylesheet = """
        :root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --accent: #1d4ed8; --paper: #ffffff; --back: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--back); }
        header.site { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; padding: 10px 20px; background: var(--paper); border-bottom: 1px solid var(--line); }
        header.site .brand { font-weight: 700; color: var(--ink); text-decoration: none; margin-right: 12px; }
        header.site nav { display: flex; flex-wrap: wrap; gap: 2px 4px; }
        header.site nav a { color: var(--muted); text-decoration: none; padding: 4px 8px; border-radius: 6px; }
        header.site nav a[aria-current] { color: var(--accent); background: #e8eefc; }
        header.site nav a.tool { border-left: 1px solid var(--line); border-radius: 0; margin-left: 6px; padding-left: 12px; }
        main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
        h1 { font-size: 24px; margin: 6px 0 4px; }
        .description { color: var(--muted); margin: 0 0 12px; }
        .dashboard-links { margin: -6px 0 10px; font-size: 14px; color: var(--muted); } .dashboard-links a { color: var(--accent); text-decoration: none; font-weight: 600; }
        form.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; margin: 8px 0; }
        form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
        form.filters input, form.filters select, form.filters button { font: inherit; padding: 4px 6px; border: 1px solid #cbd2d9; border-radius: 6px; background: #fff; color: var(--ink); }
        form.filters button { background: var(--accent); color: #fff; border-color: var(--accent); padding: 5px 14px; cursor: pointer; }
        form.filters .reset { font-size: 13px; color: var(--muted); align-self: center; }
        .active-filters { margin: 6px 0; font-size: 13px; color: var(--muted); }
        .chip { display: inline-block; background: #e8eefc; color: var(--accent); border-radius: 12px; padding: 2px 10px; text-decoration: none; margin-right: 4px; }
        .tiles { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 14px; margin-top: 10px; }
        .tile { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 12px; min-width: 0; }
        .tile.w1 { grid-column: span 6; } .tile.w2 { grid-column: span 3; } .tile.w3 { grid-column: span 2; }
        .tile > header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
        .tile h2 { font-size: 15px; margin: 0 0 6px; }
        .tile .export, .tile .rows { font-size: 12px; color: var(--muted); text-decoration: none; border: 1px solid var(--line); border-radius: 6px; padding: 1px 7px; }
        .tile .export:hover, .tile .rows:hover { color: var(--accent); border-color: var(--accent); }
        .tile-description, .note { font-size: 12px; color: var(--muted); margin: 0 0 6px; }
        .note { color: #9a6700; }
        .tile-error { color: #b42318; font-size: 13px; white-space: pre-wrap; }
        .chart svg { width: 100%; height: auto; display: block; }
        .chart .mark[data-dimension] { cursor: pointer; }
        .narrow-only { display: none; }
        .tile.kind-kpi > header { justify-content: flex-end; }
        .tile.kind-kpi > header h2 { display: none; }
        .tooltip { position: fixed; pointer-events: none; background: #1f2933; color: #fff; font-size: 12px; padding: 4px 8px; border-radius: 6px; white-space: pre; z-index: 10; }
        .dashboard-list { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
        .dashboard-list li { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 12px; }
        .dashboard-list a { font-weight: 600; color: var(--accent); text-decoration: none; }
        .dashboard-list p { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
        .tile-links { display: flex; gap: 6px; flex-shrink: 0; }
        .crumbs { margin: 0 0 4px; font-size: 13px; } .crumbs a { color: var(--muted); text-decoration: none; }
        .applied { margin: 4px 0 8px; padding-left: 18px; font-size: 13px; color: var(--muted); }
        .note ul { margin: 2px 0 8px; padding-left: 18px; }
        .row-count { font-size: 14px; margin: 8px 0; } .row-count .export { font-size: 12px; margin-left: 6px; }
        .pager { display: flex; gap: 12px; align-items: center; margin: 8px 0; font-size: 13px; color: var(--muted); }
        .pager a, .chart-table a, .results a { color: var(--accent); text-decoration: none; }
        .identity { color: var(--muted); margin: 0 0 10px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 14px; }
        .kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 10px 0 14px; }
        .kpi { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
        .kpi .label { font-size: 12px; color: var(--muted); display: block; }
        .kpi .value { font-size: 20px; font-weight: 650; display: block; margin-top: 2px; font-variant-numeric: tabular-nums; }
        .kpi .detail { font-size: 12px; color: var(--muted); display: block; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e8eefc; color: var(--accent); font-size: 12px; }
        .table-wrap { overflow-x: auto; max-width: 100%; }
        table.list { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
        table.list th, table.list td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
        table.list th { color: var(--muted); font-weight: 600; } table.list .num { text-align: right; }
        table.list a { color: var(--accent); text-decoration: none; } table.list .empty { color: var(--muted); text-align: center; }
        form.filters input[type=search] { min-width: 260px; }
        .panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
        .panels .tile h2 { margin-bottom: 8px; }
        @media (max-width: 900px) { .tile.w3 { grid-column: span 3; } .panels { grid-template-columns: minmax(0, 1fr); } }
        @media (max-width: 640px) {
          .tile.w1, .tile.w2, .tile.w3 { grid-column: span 6; } main { padding: 10px; }
          .wide-only { display: none; } .narrow-only { display: block; }
        }
        """

    public static let script = """
        // Storehouse dashboards: cross-filter clicks, tooltips and auto-applied controls.
        // Everything here only changes the URL; the server draws the page for it.
        (function () {
          "use strict";
          function navigateWith(name, value) {
            var url = new URL(window.location.href);
            url.searchParams.delete(name);
            if (value !== null && value !== "") url.searchParams.append(name, value);
            window.location.assign(url.toString());
          }
          document.addEventListener("click", function (event) {
            if (event.target.closest && event.target.closest("a[href]")) return;
            var mark = event.target.closest ? event.target.closest(".mark[data-dimension][data-x]") : null;
            if (!mark) return;
            event.preventDefault();
            var name = "f." + mark.getAttribute("data-dimension");
            var value = mark.getAttribute("data-x");
            var current = new URL(window.location.href).searchParams.get(name);
            navigateWith(name, current === value ? null : value);
          });
          document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
            select.addEventListener("change", function () { select.form.submit(); });
          });
          var tip = document.createElement("div");
          tip.className = "tooltip";
          tip.hidden = true;
          document.body.appendChild(tip);
          document.addEventListener("mousemove", function (event) {
            var mark = event.target.closest ? event.target.closest(".mark") : null;
            var title = mark ? mark.querySelector("title") : null;
            if (!title) { tip.hidden = true; return; }
            tip.textContent = title.textContent;
            tip.hidden = false;
            tip.style.left = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 8) + "px";
            tip.style.top = (event.clientY + 14) + "px";
          });
        })();
        """
}
