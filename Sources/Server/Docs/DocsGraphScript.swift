/// The lineage graph's script, served at /assets/docs-graph.js. It loads /docs/graph.json once,
/// then every interaction happens in the page: a selection typed in dbt's syntax is resolved by
/// the server's own selector (/docs/select.json, one small request) and laid out here — columns
/// by longest path, rows by barycentre sweeps — and drawn as one SVG string; a click lights the
/// node's ancestors and descendants and opens its panel. Each interaction's time, from the event
/// to the next painted frame, is kept in `window.docsGraphTimings` (the docs bench reads it).
enum DocsGraphScript {
    static let path = "/assets/docs-graph.js"

    static let source = #"""
    (function () {
      "use strict";
      var canvas = document.getElementById("graph-canvas");
      var form = document.getElementById("graph-form");
      if (!canvas || !form) return;
      var status = document.getElementById("graph-status");
      var panel = document.getElementById("graph-panel");
      var selectBox = form.elements["select"], excludeBox = form.elements["exclude"];
      var zoom = document.getElementById("graph-zoom");
      var G = null, children = [], byId = {}, shown = [], lit = null, svg = null, nodeEls = [], edges = [], litPath = null, phases = {};
      window.docsGraphTimings = [];

      function esc(text) {
        return String(text).replace(/[&<>"']/g, function (c) {
          return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
        });
      }
      function timed(what, started) {
        requestAnimationFrame(function () {
          setTimeout(function () {
            var ms = performance.now() - started;
            window.docsGraphTimings.push({what: what, ms: ms, nodes: shown.length, phases: phases});
            phases = {};
            document.body.setAttribute("data-last-interaction-ms", ms.toFixed(1));
          }, 0);
        });
      }
      function selectorName(node) { return node.kind === "source" ? "source:" + node.name : node.name; }
      function labelWidth(text) { return Math.min(260, Math.max(110, text.length * 7.4 + 26)); }

      function layout(indices) {
        var inSet = new Int32Array(G.nodes.length).fill(-1);
        indices.forEach(function (n, k) { inSet[n] = k; });
        var depth = new Int32Array(indices.length).fill(-1), state = new Uint8Array(indices.length);
        function visit(k) {
          if (state[k] === 2) return depth[k];
          if (state[k] === 1) return 0;
          state[k] = 1;
          var d = 0, parents = G.nodes[indices[k]].parents;
          for (var p = 0; p < parents.length; p++) {
            var j = inSet[parents[p]];
            if (j >= 0) d = Math.max(d, visit(j) + 1);
          }
          state[k] = 2; depth[k] = d;
          return d;
        }
        var columns = [];
        for (var k = 0; k < indices.length; k++) {
          var d = visit(k);
          (columns[d] = columns[d] || []).push(k);
        }
        for (var c = 0; c < columns.length; c++) if (!columns[c]) columns[c] = [];
        var rank = {source: 0, seed: 1, snapshot: 2, model: 3};
        columns.forEach(function (col) {
          col.sort(function (a, b) {
            var x = G.nodes[indices[a]], y = G.nodes[indices[b]];
            return (rank[x.kind] - rank[y.kind]) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0) || (x.name < y.name ? -1 : 1);
          });
        });
        var row = new Float64Array(indices.length);
        var tallest = 0;
        function place() {
          columns.forEach(function (col) {
            var offset = (tallest - col.length) / 2;
            col.forEach(function (k, r) { row[k] = offset + r; });
          });
        }
        columns.forEach(function (col) { tallest = Math.max(tallest, col.length); });
        place();
        function neighbours(k, up) {
          var out = [], n = indices[k];
          var list = up ? G.nodes[n].parents : children[n];
          for (var i = 0; i < list.length; i++) { var j = inSet[list[i]]; if (j >= 0) out.push(j); }
          return out;
        }
        function sweep(c, up) {
          var col = columns[c];
          var keyed = col.map(function (k, r) {
            var near = neighbours(k, up), sum = 0;
            for (var i = 0; i < near.length; i++) sum += row[near[i]];
            return [near.length ? sum / near.length : row[k], r, k];
          });
          keyed.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]); });
          columns[c] = keyed.map(function (e) { return e[2]; });
          var offset = (tallest - col.length) / 2;
          columns[c].forEach(function (k, r) { row[k] = offset + r; });
        }
        if (indices.length <= 3000) {
          for (var s = 0; s < 3; s++) {
            for (c = 1; c < columns.length; c++) sweep(c, true);
            for (c = columns.length - 2; c >= 0; c--) sweep(c, false);
          }
          for (c = 1; c < columns.length; c++) sweep(c, true);
        }
        var x = [], widths = [], left = 14;
        columns.forEach(function (col, c) {
          var w = 110;
          col.forEach(function (k) { w = Math.max(w, labelWidth(G.nodes[indices[k]].name)); });
          x[c] = left; widths[c] = w; left += w + 60;
        });
        var pos = new Array(indices.length);
        columns.forEach(function (col, c) {
          col.forEach(function (k) { pos[k] = {x: x[c], y: 14 + row[k] * 46, w: widths[c]}; });
        });
        return {pos: pos, inSet: inSet, width: Math.max(left - 46, 200), height: Math.max(tallest * 46 + 20, 80)};
      }

      function render(indices) {
        // Read before anything is written, so reading it lays nothing out again. The drawing
        // leaves room for the panel a click opens beside it (312 px wide with its gap).
        var room = canvas.clientWidth - (panel.hidden && window.innerWidth > 900 ? 312 : 0);
        shown = indices;
        lit = null;
        panel.hidden = true;
        if (!indices.length) {
          canvas.innerHTML = '<p class="empty-state">No model, seed, snapshot or source matches this selection.</p>';
          svg = null; nodeEls = []; edges = []; litPath = null;
          return;
        }
        var t0 = performance.now();
        var L = layout(indices);
        phases.layout = performance.now() - t0;
        // A new drawing fits the canvas's width (down to a fifth). The canvas's width is read
        // before the drawing goes in, and the drawing goes in at its final size: reading a size
        // after it would force the browser to lay out the whole drawing an extra time.
        var fit = Math.max(20, Math.min(100, Math.floor((room - 8) / L.width * 100)));
        if (zoom) zoom.value = String(fit);
        var z = zoom ? fit / 100 : 1;
        var parts = ['<svg id="graph-svg" class="' + (z < 0.5 ? "far" : "") + '" xmlns="http://www.w3.org/2000/svg" width="' + L.width * z + '" height="' + L.height * z +
          '" viewBox="0 0 ' + L.width + " " + L.height + '" data-width="' + L.width + '" data-height="' + L.height + '" role="img" aria-label="Lineage graph: ' +
          indices.length + ' nodes">'];
        // Every edge is one subpath of a single path: a thousand-node graph is a few thousand
        // elements fewer to lay out and paint. A click draws the lit edges as a second path.
        edges = [];
        indices.forEach(function (n, k) {
          var parents = G.nodes[n].parents, b = L.pos[k];
          for (var i = 0; i < parents.length; i++) {
            var j = L.inSet[parents[i]];
            if (j < 0) continue;
            var a = L.pos[j], x1 = a.x + a.w, y1 = a.y + 17, x2 = b.x, y2 = b.y + 17, bend = Math.max(20, (x2 - x1) / 2);
            edges.push({from: j, to: k, d: "M" + x1 + " " + y1 + " C" + (x1 + bend) + " " + y1 + " " + (x2 - bend) + " " + y2 + " " + x2 + " " + y2});
          }
        });
        parts.push('<path class="edges-all" data-count="' + edges.length + '" d="' + edges.map(function (e) { return e.d; }).join(" ") +
          '"/><path class="edges-lit" data-count="0" d=""/><g class="nodes">');
        indices.forEach(function (n, k) {
          var node = G.nodes[n], p = L.pos[k], label = node.name;
          var room = Math.floor((p.w - 22) / 7.4);
          if (label.length > room) label = label.slice(0, Math.max(1, room - 1)) + "\u2026";
          parts.push('<g class="gnode kind-' + node.kind + (node.mat ? " mat-" + esc(node.mat) : "") + '" data-k="' + k + '" data-id="' + esc(node.id) +
            '" tabindex="0" aria-label="' + esc(node.name + " (" + node.kind + (node.mat ? ", " + node.mat : "") + ")") + '" transform="translate(' +
            p.x + " " + p.y + ')"><rect width="' + p.w + '" height="34" rx="6"/><text x="11" y="21">' + esc(label) + "</text></g>");
        });
        parts.push("</g></svg>");
        var t1 = performance.now();
        phases.markup = t1 - t0 - phases.layout;
        canvas.innerHTML = parts.join("");
        svg = canvas.firstChild;
        nodeEls = svg.querySelectorAll(".gnode");
        litPath = svg.querySelector(".edges-lit");
        phases.dom = performance.now() - t1;
      }

      function applyZoom() {
        if (!svg || !zoom) return;
        var z = Number(zoom.value) / 100;
        svg.setAttribute("width", Number(svg.getAttribute("data-width")) * z);
        svg.setAttribute("height", Number(svg.getAttribute("data-height")) * z);
        // Below half size names are too small to read: they are left out (a click names the
        // node in its panel), which keeps a thousand-node drawing quick to lay out and paint.
        svg.classList.toggle("far", z < 0.5);
      }

      function focus(k) {
        var started = performance.now();
        var n = shown[k], inShown = {};
        shown.forEach(function (m, i) { inShown[m] = i; });
        var up = {}, down = {}, stack = [n];
        up[n] = true;
        while (stack.length) {
          var m = stack.pop(), ps = G.nodes[m].parents;
          for (var i = 0; i < ps.length; i++) if (!up[ps[i]] && inShown[ps[i]] !== undefined) { up[ps[i]] = true; stack.push(ps[i]); }
        }
        stack = [n]; down[n] = true;
        while (stack.length) {
          m = stack.pop();
          var cs = children[m];
          for (i = 0; i < cs.length; i++) if (!down[cs[i]] && inShown[cs[i]] !== undefined) { down[cs[i]] = true; stack.push(cs[i]); }
        }
        if (lit) lit.forEach(function (el) { el.classList.remove("lit", "focus"); });
        lit = [];
        svg.classList.add("focused");
        for (i = 0; i < nodeEls.length; i++) {
          var id = shown[Number(nodeEls[i].getAttribute("data-k"))];
          if (up[id] || down[id]) { nodeEls[i].classList.add("lit"); lit.push(nodeEls[i]); }
        }
        nodeEls[k].classList.add("focus");
        if (nodeEls[k].scrollIntoView) nodeEls[k].scrollIntoView({block: "nearest", inline: "nearest"});
        var litEdges = edges.filter(function (e) {
          var from = shown[e.from], to = shown[e.to];
          return (up[from] && up[to]) || (down[from] && down[to]);
        });
        litPath.setAttribute("d", litEdges.map(function (e) { return e.d; }).join(" "));
        litPath.setAttribute("data-count", String(litEdges.length));
        showPanel(G.nodes[n], Object.keys(up).length - 1, Object.keys(down).length - 1);
        timed("focus", started);
      }

      function showPanel(node, ups, downs) {
        var name = selectorName(node);
        panel.innerHTML = '<h2 id="panel-name">' + esc(node.name) + '</h2><p><span class="kind kind-' + esc(node.kind) + '">' + esc(node.kind) +
          (node.mat ? " · " + esc(node.mat) : "") + "</span></p>" + (node.desc ? '<p class="muted">' + esc(node.desc) + "</p>" : "") +
          '<p class="muted"><code>' + esc(node.path) + "</code></p>" +
          (node.tags ? "<p>" + node.tags.map(function (t) { return '<span class="tag">' + esc(t) + "</span>"; }).join(" ") + "</p>" : "") +
          "<p>" + ups + " upstream · " + downs + " downstream (lit)</p>" +
          '<p><a id="panel-docs" href="/docs/nodes/' + encodeURIComponent(node.id) + '">Open its docs</a></p>' +
          '<div class="panel-actions"><label>Depth <input type="number" id="panel-depth" min="1" max="99" value="" placeholder="all"></label>' +
          '<button type="button" data-go="up">Upstream</button><button type="button" data-go="down">Downstream</button>' +
          '<button type="button" data-go="both">Both</button></div>';
        panel.hidden = false;
        panel.setAttribute("data-name", name);
      }

      panel.addEventListener("click", function (event) {
        var go = event.target.getAttribute && event.target.getAttribute("data-go");
        if (!go) return;
        var depth = document.getElementById("panel-depth").value.trim();
        var n = depth && /^\d+$/.test(depth) ? depth : "";
        var name = panel.getAttribute("data-name");
        selectBox.value = go === "up" ? n + "+" + name : go === "down" ? name + "+" + n : n + "+" + name + "+" + n;
        excludeBox.value = "";
        run(true);
      });

      canvas.addEventListener("click", function (event) {
        var g = event.target.closest && event.target.closest(".gnode");
        if (g) focus(Number(g.getAttribute("data-k")));
      });
      canvas.addEventListener("keydown", function (event) {
        var g = event.target.closest && event.target.closest(".gnode");
        if (g && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); focus(Number(g.getAttribute("data-k"))); }
      });
      if (zoom) zoom.addEventListener("input", function () { var t = performance.now(); applyZoom(); timed("zoom", t); });

      function all() { var out = []; for (var i = 0; i < G.nodes.length; i++) out.push(i); return out; }

      function run(push) {
        var started = performance.now();
        var sel = selectBox.value.trim(), exc = excludeBox.value.trim();
        var url = new URL(location.href);
        url.searchParams.set("select", sel);
        if (exc) url.searchParams.set("exclude", exc); else url.searchParams.delete("exclude");
        if (push) history.pushState(null, "", url.pathname + url.search);
        if (!sel && !exc) { finish(all(), "", started); return; }
        fetch("/docs/select.json?select=" + encodeURIComponent(sel) + "&exclude=" + encodeURIComponent(exc), {headers: {Accept: "application/json"}})
          .then(function (response) { return response.json().then(function (body) { return {ok: response.ok, body: body}; }); })
          .then(function (answer) {
            if (!answer.ok) {
              status.className = "tile-error";
              status.textContent = "The selection could not be read: " + (answer.body.error && answer.body.error.message || "error") +
                (answer.body.error && answer.body.error.hint ? " — " + answer.body.error.hint : "");
              return;
            }
            var indices = [];
            answer.body.ids.forEach(function (id) { if (byId[id] !== undefined) indices.push(byId[id]); });
            finish(indices, sel, started);
          })
          .catch(function (error) { status.className = "tile-error"; status.textContent = "The server did not answer: " + error; });
      }

      function finish(indices, sel, started) {
        render(indices);
        status.className = "muted";
        status.textContent = indices.length + " of " + G.nodes.length + " nodes" + (sel ? " selected by " + sel : "") +
          ". Click a node to light its lineage; its panel narrows the graph to it.";
        timed(sel ? "select" : "all", started);
      }

      form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
      window.addEventListener("popstate", function () {
        var params = new URLSearchParams(location.search);
        selectBox.value = params.get("select") || ""; excludeBox.value = params.get("exclude") || "";
        run(false);
      });

      var started = performance.now();
      fetch("/docs/graph.json", {headers: {Accept: "application/json"}}).then(function (r) { return r.json(); }).then(function (data) {
        G = data;
        children = G.nodes.map(function () { return []; });
        G.nodes.forEach(function (node, i) {
          byId[node.id] = i;
          node.parents.forEach(function (p) { children[p].push(i); });
        });
        document.body.setAttribute("data-graph-loaded", String(G.nodes.length));
        timed("load", started);
        run(false);
      }).catch(function (error) { status.className = "tile-error"; status.textContent = "The graph could not be loaded: " + error; });
    })();
    """#
}
