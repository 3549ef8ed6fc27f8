/// The lineage graph's script, served at /assets/docs-graph.js. It loads /docs/graph.json once,
/// then every interaction happens in the page: a selection typed in dbt's syntax is resolved by
/// the server's own selector (/docs/select.json, one small request) and laid out here — columns
/// by longest path, rows by barycentre sweeps — and drawn as one SVG string; a click lights the
/// node's ancestors and descendants and opens its panel. Every node of a drawing is in it at
/// once (box, attributes, class), but only the nodes near the part of the canvas in view get
/// their name when it is drawn: text is most of what a thousand-node drawing costs the browser,
/// and the others are named as scrolling or zooming brings them near. Each interaction's time,
/// from the event to the next painted frame, is kept in `window.docsGraphTimings` with its own
/// phases (the docs bench reads it).
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
      var G = null, children = [], byId = {}, shown = [], lit = null, svg = null, nodeEls = [], edges = [], litPath = null, phases = {}, names = null, naming = 0;
      window.docsGraphTimings = [];

      function esc(text) {
        text = String(text);
        if (!/[&<>"']/.test(text)) return text;
        return text.replace(/[&<>"']/g, function (c) {
          return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
        });
      }
      function timed(what, started) {
        var mine = phases;
        phases = {};
        requestAnimationFrame(function () {
          setTimeout(function () {
            var ms = performance.now() - started;
            window.docsGraphTimings.push({what: what, ms: ms, nodes: shown.length, phases: mine});
            document.body.setAttribute("data-last-interaction-ms", ms.toFixed(1));
          }, 0);
        });
      }
      function selectorName(node) { return node.kind === "source" ? "source:" + node.name : node.name; }
      function labelWidth(text) { return Math.min(260, Math.max(110, text.length * 7.4 + 26)); }

      function layout(indices) {
        var count = indices.length, nodes = G.nodes;
        var inSet = new Int32Array(nodes.length).fill(-1);
        for (var k = 0; k < count; k++) inSet[indices[k]] = k;
        // Each node's parents and children within the selection, once, as flat lists (the sweeps
        // below walk them seven times).
        var upAt = new Int32Array(count + 1), downAt = new Int32Array(count + 1), up = [], down = [];
        for (k = 0; k < count; k++) {
          var list = nodes[indices[k]].parents;
          upAt[k] = up.length;
          for (var i = 0; i < list.length; i++) if (inSet[list[i]] >= 0) up.push(inSet[list[i]]);
          list = children[indices[k]];
          downAt[k] = down.length;
          for (i = 0; i < list.length; i++) if (inSet[list[i]] >= 0) down.push(inSet[list[i]]);
        }
        upAt[count] = up.length; downAt[count] = down.length;
        var depth = new Int32Array(count).fill(-1), state = new Uint8Array(count);
        function visit(k) {
          if (state[k] === 2) return depth[k];
          if (state[k] === 1) return 0;
          state[k] = 1;
          var d = 0;
          for (var i = upAt[k]; i < upAt[k + 1]; i++) d = Math.max(d, visit(up[i]) + 1);
          state[k] = 2; depth[k] = d;
          return d;
        }
        var columns = [];
        for (k = 0; k < count; k++) {
          var d = visit(k);
          (columns[d] = columns[d] || []).push(k);
        }
        for (var c = 0; c < columns.length; c++) if (!columns[c]) columns[c] = [];
        var rank = {source: 0, seed: 1, snapshot: 2, model: 3};
        columns.forEach(function (col) {
          col.sort(function (a, b) {
            var x = nodes[indices[a]], y = nodes[indices[b]];
            return (rank[x.kind] - rank[y.kind]) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0) || (x.name < y.name ? -1 : 1);
          });
        });
        var row = new Float64Array(count), key = new Float64Array(count), was = new Int32Array(count);
        var tallest = 0;
        for (c = 0; c < columns.length; c++) tallest = Math.max(tallest, columns[c].length);
        function place(col) {
          var offset = (tallest - col.length) / 2;
          for (var r = 0; r < col.length; r++) row[col[r]] = offset + r;
        }
        for (c = 0; c < columns.length; c++) place(columns[c]);
        function byKey(a, b) { return (key[a] - key[b]) || (was[a] - was[b]); }
        // A column's nodes move to the mean row of their neighbours in the column before (up) or
        // after (down); ties keep their order.
        function sweep(col, at, near) {
          for (var r = 0; r < col.length; r++) {
            var k = col[r], from = at[k], to = at[k + 1], sum = 0;
            for (var i = from; i < to; i++) sum += row[near[i]];
            key[k] = to > from ? sum / (to - from) : row[k];
            was[k] = r;
          }
          col.sort(byKey);
          place(col);
        }
        if (count <= 3000) {
          for (var s = 0; s < 3; s++) {
            for (c = 1; c < columns.length; c++) sweep(columns[c], upAt, up);
            for (c = columns.length - 2; c >= 0; c--) sweep(columns[c], downAt, down);
          }
          for (c = 1; c < columns.length; c++) sweep(columns[c], upAt, up);
        }
        var x = [], widths = [], left = 14;
        for (c = 0; c < columns.length; c++) {
          var w = 110, col = columns[c];
          for (var r = 0; r < col.length; r++) w = Math.max(w, labelWidth(nodes[indices[col[r]]].name));
          x[c] = left; widths[c] = w; left += w + 60;
        }
        var pos = new Array(count);
        for (c = 0; c < columns.length; c++) {
          col = columns[c];
          for (r = 0; r < col.length; r++) pos[col[r]] = {x: x[c], y: 14 + row[col[r]] * 46, w: widths[c]};
        }
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
          svg = null; nodeEls = []; edges = []; litPath = null; names = null;
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
        // Every node goes in with its box and attributes, but only those in or near the part of the
        // canvas in view get their name now: names are what costs the browser most to draw (text
        // to shape and lay out), and a thousand-node graph shows a few dozen at a time. The others
        // are named as scrolling or zooming brings them near (see nameInView); below half size,
        // where names are not shown, none is.
        var view = inView(z, Math.min(canvas.scrollTop, Math.max(0, L.height * z - window.innerHeight)), window.innerHeight,
                          Math.min(canvas.scrollLeft, Math.max(0, L.width * z - window.innerWidth)), window.innerWidth);
        names = {labels: new Array(indices.length), pos: L.pos, todo: []};
        indices.forEach(function (n, k) {
          var node = G.nodes[n], p = L.pos[k], label = node.name;
          var room = Math.floor((p.w - 22) / 7.4);
          if (label.length > room) label = label.slice(0, Math.max(1, room - 1)) + "\u2026";
          var near = z >= 0.5 && view(p);
          if (!near) { names.labels[k] = label; names.todo.push(k); }
          parts.push('<g class="gnode kind-' + node.kind + (node.mat ? " mat-" + esc(node.mat) : "") + '" data-k="' + k + '" data-id="' + esc(node.id) +
            '" tabindex="0" aria-label="' + esc(node.name + " (" + node.kind + (node.mat ? ", " + node.mat : "") + ")") + '" transform="translate(' +
            p.x + " " + p.y + ')"><rect width="' + p.w + '" height="34" rx="6"/>' + (near ? '<text x="11" y="21">' + esc(label) + "</text>" : "") + "</g>");
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

      // Whether a node's box (at drawing scale) is within the canvas's visible area, given in
      // pixels at zoom z, widened by half that area on every side.
      function inView(z, top, height, left, width) {
        var y0 = (top - height / 2) / z, y1 = (top + height * 1.5) / z, x0 = (left - width / 2) / z, x1 = (left + width * 1.5) / z;
        return function (p) { return p.y + 34 >= y0 && p.y <= y1 && p.x + p.w >= x0 && p.x <= x1; };
      }

      // Names the nodes that scrolling or zooming brought near the view, once a frame.
      function nameInView() {
        if (naming || !names || !names.todo.length) return;
        naming = requestAnimationFrame(function () {
          naming = 0;
          if (!names || !svg) return;
          var z = Number(svg.getAttribute("width")) / Number(svg.getAttribute("data-width")) || 1;
          if (z < 0.5) return;
          var view = inView(z, canvas.scrollTop, canvas.clientHeight, canvas.scrollLeft, canvas.clientWidth), left = [];
          for (var i = 0; i < names.todo.length; i++) {
            var k = names.todo[i];
            if (!view(names.pos[k])) { left.push(k); continue; }
            var text = document.createElementNS("http://www.w3.org/2000/svg", "text");
            text.setAttribute("x", "11");
            text.setAttribute("y", "21");
            text.textContent = names.labels[k];
            nodeEls[k].appendChild(text);
          }
          names.todo = left;
        });
      }

      function applyZoom() {
        if (!svg || !zoom) return;
        var z = Number(zoom.value) / 100;
        svg.setAttribute("width", Number(svg.getAttribute("data-width")) * z);
        svg.setAttribute("height", Number(svg.getAttribute("data-height")) * z);
        // Below half size names are too small to read: they are left out (a click names the
        // node in its panel), which keeps a thousand-node drawing quick to lay out and paint.
        svg.classList.toggle("far", z < 0.5);
        nameInView();
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

      canvas.addEventListener("scroll", nameInView, {passive: true});
      window.addEventListener("resize", nameInView);
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
