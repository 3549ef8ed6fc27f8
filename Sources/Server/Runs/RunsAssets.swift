/// The runs pages' and the model graph's stylesheet, served at /assets/runs.css beside the
/// dashboards' one. Status is never colour alone: every coloured mark also says it in words.
enum RunsAssets {
    static let path = "/assets/runs.css"
    static let link = "<link rel=\"stylesheet\" href=\"\(path)\">\n"

    static let stylesheet = """
        :root { --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --live: #0969da; --live-bg: #ddf4ff;
                --wait: #57606a; --wait-bg: #eaeef2; --odd: #9a6700; --odd-bg: #fff8c5; --skip: #6e7781; --skip-bg: #f6f8fa;
                --src: #5a4fcf; --src-bg: #f1efff; }
        main.wide { max-width: none; }
        .runs-page .description a, .graph-page .description a, .run-page .description a { color: var(--accent); text-decoration: none; }
        .legend .legend-title { font-weight: 600; color: var(--ink); }
        form.filters .muted { align-self: center; }
        .jobs-table td:first-child { white-space: normal; max-width: 380px; } .jobs-table td:last-child { white-space: nowrap; }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
        .status::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; margin-right: 5px; vertical-align: 1px; background: currentColor; }
        .status-succeeded, .status-success, .status-pass { color: var(--ok); background: var(--ok-bg); border-color: #aceebb; }
        .status-failed, .status-error, .status-fail { color: var(--bad); background: var(--bad-bg); border-color: #ffcecb; }
        .status-running { color: var(--live); background: var(--live-bg); border-color: #b6e3ff; }
        .status-queued { color: var(--wait); background: var(--wait-bg); border-color: #d0d7de; }
        .status-interrupted, .status-timed_out, .status-cancelled, .status-warn { color: var(--odd); background: var(--odd-bg); border-color: #eed888; }
        .status-skipped { color: var(--skip); background: var(--skip-bg); border-color: #d0d7de; }
        .status-never { color: var(--skip); background: #fff; border: 1px dashed #8c959f; }
        .status-never::before { background: transparent; border: 1px solid currentColor; box-sizing: border-box; }
        .status-source { color: var(--src); background: var(--src-bg); border-color: #d4cffb; }
        .status-ephemeral { color: var(--skip); background: #fff; border: 1px dotted #8c959f; }
        .empty-state { background: var(--paper); border: 1px dashed #cbd2d9; border-radius: 10px; padding: 18px 20px; margin: 12px 0; }
        .empty-state p { margin: 4px 0; } .empty-state code, .hint code { background: #f0f2f5; padding: 1px 5px; border-radius: 4px; }
        .run-tally { font-size: 13px; color: var(--muted); margin: 6px 0 8px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
        table.runs-table td { vertical-align: middle; } table.runs-table small { color: var(--muted); display: block; font-size: 12px; }
        table.runs-table .timeline, table.runs-table .timeline-head { width: 34%; min-width: 240px; padding-left: 14px; padding-right: 14px; }
        .axis { position: relative; height: 16px; font-size: 11px; color: var(--muted); font-weight: 400; }
        .axis span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
        .axis span.first { transform: none; } .axis span.last { transform: translateX(-100%); }
        .track { position: relative; display: block; height: 14px; background: repeating-linear-gradient(90deg, #f3f4f6 0 1px, transparent 1px 25%); border-radius: 3px; }
        .bar { position: absolute; top: 2px; height: 10px; min-width: 3px; border-radius: 3px; display: block; }
        .bar-succeeded { background: var(--ok); } .bar-failed { background: var(--bad); } .bar-running { background: var(--live); }
        .bar-queued, .bar.queued { background: #afb8c1; } .bar-interrupted, .bar-timed_out, .bar-cancelled { background: #bf8700; }
        .bar.queued { opacity: .55; }
        .jobs-table .muted, .muted { color: var(--muted); font-size: 12px; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 10px 0 14px; font-size: 14px; background: var(--paper);
                 border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
        .facts dt { color: var(--muted); } .facts dd { margin: 0; } .facts ul { margin: 0; padding-left: 18px; }
        .facts a, .crumbs a, .attempt a, .attention a, .node-table a { color: var(--accent); text-decoration: none; }
        h1 .status { font-size: 14px; vertical-align: 4px; margin-left: 8px; }
        .run-error, .attempt-error { white-space: pre-wrap; color: #b42318; background: #fff5f4; border: 1px solid #ffd8d3; border-radius: 8px;
                                     padding: 8px 12px; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; margin: 8px 0; overflow: auto; max-height: 240px; }
        .gantt { display: grid; grid-template-columns: minmax(140px, max-content) 1fr max-content; gap: 6px 12px; align-items: center; font-size: 13px; }
        .gantt .label { white-space: nowrap; } .gantt .label a { color: var(--ink); text-decoration: none; } .gantt .took { color: var(--muted); font-variant-numeric: tabular-nums; }
        .attempt { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; margin: 10px 0; padding: 0; border-left-width: 4px; }
        .attempt-succeeded { border-left-color: var(--ok); } .attempt-failed { border-left-color: var(--bad); }
        .attempt-running { border-left-color: var(--live); } .attempt-interrupted, .attempt-timed_out, .attempt-cancelled { border-left-color: #bf8700; }
        .attempt > details > summary { cursor: pointer; padding: 10px 14px; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; font-size: 14px; }
        .attempt > details > summary .step-name { font-weight: 650; } .attempt > details > summary .muted { font-size: 13px; }
        .attempt .body { padding: 0 14px 12px; } .attempt h3 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); font-weight: 600; }
        pre.log { background: #0d1117; color: #e6edf3; border-radius: 8px; padding: 10px 12px; margin: 0; max-height: 460px; overflow: auto;
                  font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
        pre.log.empty { color: #8b949e; }
        details.all-nodes > summary { cursor: pointer; color: var(--accent); font-size: 13px; margin: 6px 0; }
        table.node-problems { margin-bottom: 8px; }
        tr.message-row td { border-bottom: 1px solid var(--line); padding-top: 0; }
        pre.node-message { margin: 0; white-space: pre-wrap; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; color: #b42318; max-height: 240px; overflow: auto; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 10px; list-style: none; padding: 0; margin: 8px 0; font-size: 13px; }
        .legend li { display: flex; align-items: center; gap: 6px; color: var(--muted); }
        .attention { background: var(--paper); border: 1px solid #ffd8d3; border-radius: 10px; padding: 8px 14px; margin: 8px 0 12px; font-size: 14px; }
        .attention h2 { font-size: 14px; margin: 2px 0 6px; } .attention ul { margin: 0; padding-left: 18px; } .attention li { margin: 2px 0; }
        .graph-wrap { overflow-x: auto; padding: 8px; }
        .graph-wrap svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        svg.model-graph { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        svg.model-graph .edge { fill: none; stroke: #afb8c1; stroke-width: 1.2; }
        svg.model-graph .column-label { fill: #8c959f; font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; }
        svg.model-graph .node .box { fill: #fff; stroke: #8c959f; stroke-width: 1.2; }
        svg.model-graph .node .stripe { fill: #8c959f; }
        svg.model-graph .node .name { fill: #1f2328; font-size: 12px; font-weight: 600; }
        svg.model-graph .node .age { fill: #57606a; font-size: 11px; }
        svg.model-graph .node.status-success .box, svg.model-graph .node.status-pass .box { fill: #effbf1; stroke: #4ac26b; }
        svg.model-graph .node.status-success .stripe, svg.model-graph .node.status-pass .stripe { fill: var(--ok); }
        svg.model-graph .node.status-error .box, svg.model-graph .node.status-fail .box { fill: #fff0ef; stroke: #e5534b; stroke-width: 1.6; }
        svg.model-graph .node.status-error .stripe, svg.model-graph .node.status-fail .stripe { fill: var(--bad); }
        svg.model-graph .node.status-error .age, svg.model-graph .node.status-fail .age { fill: #b42318; font-weight: 600; }
        svg.model-graph .node.status-warn .box { fill: #fffbe6; stroke: #d4a72c; } svg.model-graph .node.status-warn .stripe { fill: #bf8700; }
        svg.model-graph .node.status-skipped .box { fill: #f6f8fa; stroke: #afb8c1; } svg.model-graph .node.status-skipped .stripe { fill: #afb8c1; }
        svg.model-graph .node.status-never .box { fill: #fff; stroke: #8c959f; stroke-dasharray: 4 3; } svg.model-graph .node.status-never .stripe { fill: none; }
        svg.model-graph .node.status-ephemeral .box { fill: #fff; stroke: #afb8c1; stroke-dasharray: 1 3; } svg.model-graph .node.status-ephemeral .stripe { fill: none; }
        svg.model-graph .node.status-source .box { fill: var(--src-bg); stroke: #a89ff0; } svg.model-graph .node.status-source .stripe { fill: var(--src); }
        svg.model-graph .node.tests-failing .box { stroke: #e5534b; stroke-width: 1.6; }
        svg.model-graph .node.tests-failing .age { fill: #b42318; font-weight: 600; }
        svg.model-graph a:hover .box, svg.model-graph a:focus .box { stroke: var(--accent); stroke-width: 2; }
        svg.model-graph .node:target .box { stroke: var(--accent); stroke-width: 2.5; }
        @media (max-width: 640px) { table.runs-table .timeline, table.runs-table .timeline-head { min-width: 160px; } .facts { grid-template-columns: 1fr; } }
        """
}
