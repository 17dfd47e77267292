// medtwin twin viewer: draws GET /v1/patients/{id}/twins/latest/graph with Cytoscape.js.
// The API key comes from the page's #key=... fragment (never sent to the server; removed from
// the address bar at once) or a prompt, and is kept in sessionStorage for this tab only.
// For tests: window.medtwinDrawnNodes / medtwinDrawnEdges hold what was drawn (and
// medtwinDrugEdges / medtwinDrugEdgeActions the drug overlay's edges and their action words), and
// document.body.dataset.state becomes "drawn" (or "error").
(function () {
  "use strict";
  var KEY = "medtwin.apiKey";
  // Same table as medtwin.platform.layer_colours.LAYER_COLOURS.
  // A seed outside the module is cyan, not a second blue: the two read as one layer otherwise.
  var COLOURS = {
    module: "#2F5E8E", protein: "#4C78A8", ppi: "#4C78A8", gene: "#4C78A8", seed: "#17BECF",
    expanded: "#9ECAE9", upstream_regulator: "#7B3294", drug: "#F58518", drug_target: "#F58518",
    disease: "#E45756", disease_gene: "#E45756", symptom: "#54A24B", phenotype: "#88D27A",
    cell_type: "#B279A2", cell_cell: "#B279A2", tissue: "#E7BA52", patient: "#9D755D",
    twin: "#7F5A3C", phenotype_module: "#2E7D32", pathway: "#BCBD22", tf: "#8C564B",
    time_point: "#636363",
    patient_input: "#C9A27E", ranking: "#D67195", custom_drug: "#FF9DA6", dataset: "#BAB0AC",
    audit_event: "#72B7B2"
  };
  // Same table as medtwin.platform.layer_colours.EDGE_COLOURS (an unknown kind: colour(kind)).
  // Every edge was one grey: a cell type's changed genes, a pathway's activity and the PPI
  // read as one kind, and the legend named no edge kind.
  var EDGE_COLOURS = {
    INTERACTS_WITH: "#C8C8C8", EXPRESSES_CHANGE: "#D5A6C9", SIGNALS_TO: "#8E4585",
    SIGNALS_TO_CROSS_TISSUE: "#E45756", HAS_CELL_TYPE: "#E7BA52", ACTIVITY: "#BCBD22",
    IN_PHENOTYPE_MODULE: "#2E7D32", LINKS_GENE: "#88D27A", THEN: "#636363", AT: "#7F5A3C",
    // the schema's other types, as Bloom draws them (no drawing holds one yet)
    TARGETS: "#F58518", ASSOCIATED_WITH: "#E45756", HAS_SYMPTOM: "#54A24B",
    HAS_PHENOTYPE: "#88D27A", IS_A: "#D9D9D9", CO_OCCURS_WITH: "#A6D9A0", BINDS: "#B279A2",
    HAS_INPUT: "#C9A27E", HAS_TWIN: "#9D755D", INCLUDES: "#4C78A8", PRESENTS: "#54A24B",
    HAS_RANKING: "#D67195", SCORES: "#F58518", HAS_TISSUE: "#E7BA52",
    HAS_PHENOTYPE_MODULE: "#88D27A", SIMILAR_TO: "#4C78A8", RESEMBLES: "#E45756",
    SUGGESTS_BIOMARKER: "#54A24B", REGULATES: "#F58518", FOOTPRINT: "#54A24B", PERTURBS: "#E45756",
    UPSTREAM_REGULATOR: "#7B3294"
  };
  // An ACTIVITY edge by its score's sign (red: active, blue: repressed), the score in its
  // tooltip: medtwin.platform.layer_colours.ACTIVITY_SIGN_COLOURS.
  var ACTIVITY_SIGN = { "+": "#D6604D", "-": "#4393C3" };
  // A kind's shape, and its legend swatch's (viewer.css): a pathway was a dot like a protein's.
  var SHAPES = { Pathway: "hexagon", TF: "triangle", TimePoint: "round-rectangle", Twin: "star" };
  var LAYER_SHAPES = { pathway: "hexagon", tf: "triangle", time_point: "round-rectangle",
    twin: "star" };
  var REGULATOR = "#7B3294";  // ring of an upstream regulator (GET .../graph: regulator_rank)
  var DRUG = "#F58518";  // the overlaid drug, its ringed targets and dashed edges
  var FALLBACK = ["#72B7B2", "#EECA3B", "#FF9DA6", "#BAB0AC", "#D67195", "#439894"];
  // A caption longer than this is cut with "…" on the canvas (a 200-character drug or cell
  // type name ran across the whole graph); the full text is the node's tooltip and #info.
  var MAX_CAPTION = 32;
  // Nodes drawn at first, and added by each "show more": the force layout (cose) costs the
  // square of the nodes per step, and a 5,000-node twin took minutes to appear (1,000 nodes:
  // 104 s on this machine under load). The rest waits for the button.
  var FIRST_DRAWN = 400;
  var MORE = 400;
  // The compound node holding the nodes without an edge (a bulk twin's unconnected seeds).
  var LONE_BOX = "medtwin:lone";
  // Captions are CAPTION units high (medtwin.platform.caption_spacing.CAPTION_FONT: the server's
  // layout keeps captions of that size apart), and never less than LEGIBLE px on screen: zoomed
  // out, they grow (in units) and those that would then cover a caption of a more central node
  // are left out until the user zooms in (relabel). Before, the first view of the demo's
  // GSM389717 (a 210-node core and 190 seeds without an edge) drew every caption 4.7 px high.
  var CAPTION = 7;
  var LEGIBLE = 10;
  // The first view fits the linked nodes (the box of nodes without an edge is below or beside
  // them: zoom out), at most this zoom (a twin of 3 linked nodes is not drawn life-size).
  var FIRST_ZOOM_MAX = 3;
  // Where a caption may go, in turn (relabel): above its node (Cytoscape's default), below,
  // right, left, then at its four corners; each a class whose style the stylesheet gives.
  var PLACES = ["", "cap-below", "cap-right", "cap-left", "cap-right cap-up",
    "cap-left cap-up", "cap-right cap-down", "cap-left cap-down"];
  // Characters a cell type's, tissue's, pathway's or term's caption is cut to (at a word's end
  // where one is: cutAtWord), in turn, where none of its PLACES is free whole (the whole name
  // stays the tooltip and "Selected"): before, such a caption covered proteins' dots (42 times
  // at the 99 demo twins' first views).
  var SHORTER = [20, 12, 6];
  // Where a hub's caption may go further off, where none of its PLACES is free whole or cut
  // (relabel: farPlaces): up to FAR_LINES caption lines above or below its node, centred or
  // ASIDE caption heights beyond its right or left place, nearest first; a line from the node
  // to the caption's nearest point (a "leader" edge to an invisible "leader-end" node) ties
  // such a caption to its node. Where none of those is free either, the hub's caption is a
  // number (CALLOUT, its name in the panel's list "Numbered captions"): until stop 59 a hub's
  // caption then covered proteins' dots (2 at the 99 demo twins' first views).
  var FAR_LINES = 12;
  var ASIDE = [0, 3, 6];
  var LEADER = "leader";
  var measure = document.createElement("canvas").getContext("2d");  // shorterBox's text widths
  // Bidirectional controls (U+202A-E, U+2066-9, LRM, RLM, ALM) in a name (a file name, a
  // symbol) reversed the rest of the legend note; medtwin.platform.safe_text drops the same.
  var BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  var patient = document.querySelector('meta[name="medtwin-patient"]').content;
  var base = "/v1/patients/" + encodeURIComponent(patient);
  var statusEl = document.getElementById("status");
  var cy = null;
  var twin = null;  // the graph as the API gave it (draw() may show part of it)
  var limit = FIRST_DRAWN;
  var pinned = {};  // ids drawn whatever their centrality: the overlaid drug's targets
  var statusBase = "";  // the status line of the drawing, before relabel's waitNote
  var fitFirstView = null;  // draw()'s fit of this drawing, done again when the canvas resizes
  var fittedTo = null;  // the canvas's size at the last fit (or pan kept) on a resize
  var waitNote = "";  // how many captions wait for room at this zoom (relabel)
  // The debounced relabel (after a zoom) and refit (after a resize) still to come. A refit after
  // "drawn" (the status line wrapped) zooms, and its relabel lands 80 ms later, > 400 ms under
  // load: tests read the captions once none is to come and the relabel count holds
  // (tests/browser/conftest.py settled), not after a fixed wait.
  var soon = { relabel: null, refit: null };
  window.medtwinRelabels = 0;  // tests: relabel passes so far
  window.medtwinIdle = function () { return !soon.relabel && !soon.refit; };

  function colour(layer) {
    var k = String(layer || "").toLowerCase();
    if (COLOURS[k]) return COLOURS[k];
    var s = 0;
    for (var i = 0; i < k.length; i++) s += k.charCodeAt(i);
    return FALLBACK[s % FALLBACK.length];
  }

  function edgeColour(kind) {
    var k = String(kind || "").toUpperCase();
    return Object.prototype.hasOwnProperty.call(EDGE_COLOURS, k) ? EDGE_COLOURS[k] : colour(kind);
  }

  function isActivity(e) {
    return String(e.kind || "").toUpperCase() === "ACTIVITY" && typeof e.weight === "number" &&
      isFinite(e.weight);
  }

  // A drawn edge's colour: an ACTIVITY edge's by its score's sign, any other by its kind.
  function drawnEdgeColour(e) {
    return isActivity(e) ? ACTIVITY_SIGN[e.weight < 0 ? "-" : "+"] : edgeColour(e.kind);
  }

  // Any value as display text: no "null"/"undefined", no bidirectional controls.
  function clean(value) {
    return value === undefined || value === null ? "" : String(value).replace(BIDI, "");
  }

  // A start position from the node's id (FNV-1a hash, then two xorshift steps): the layout
  // starts where it started last time, so it ends there too; a node keeps its start whatever
  // else is drawn ("show more", a drug overlay).
  function startAt(id) {
    var h = 2166136261;
    var s = String(id);
    for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    function next() { h ^= h << 13; h >>>= 0; h ^= h >>> 17; h ^= h << 5; h >>>= 0; return h; }
    return { x: (next() % 1000) - 500, y: (next() % 1000) - 500 };
  }

  function shorten(text, max) {
    var chars = Array.from(text);  // by code point: an emoji is not cut in half
    return chars.length > max ? chars.slice(0, max - 1).join("") + "\u2026" : text;
  }

  // shorten(), at the last space when one is past the third character: "PI3K…", not
  // "PI3K (activ…" (relabel's SHORTER captions)
  function cutAtWord(text, max) {
    var cut = shorten(text, max);
    if (cut === text) return text;
    var kept = cut.slice(0, -1);
    var space = kept.lastIndexOf(" ");
    return (space > 3 ? kept.slice(0, space) : kept.replace(/\s+$/, "")) + "\u2026";
  }

  // What a node is called: its label, else its id, else its kind (never an empty caption).
  function fullCaption(n) {
    return clean(n.label).trim() || clean(n.id).trim() || clean(n.kind) || "(unnamed)";
  }

  // The status line's header only grows: a line that wrapped keeps its room when it unwraps.
  // Before, a relabel's shorter note unwrapped it, the taller canvas was refitted, the refit's
  // zoom relabelled, the longer note wrapped it, and so on: multitissue_demo's first view
  // relabelled 406 times in 60 s and never settled (tests/browser/conftest.py settled).
  var headerHeight = 0;
  function setStatus(text, state) {
    statusEl.textContent = text;
    var header = statusEl.parentNode;
    if (header.offsetHeight > headerHeight) {
      headerHeight = header.offsetHeight;
      header.style.minHeight = headerHeight + "px";
    }
    if (state) document.body.dataset.state = state;
  }

  function takeKeyFromFragment() {
    var m = /(?:^|[#&])key=([^&]+)/.exec(window.location.hash);
    if (m) {
      sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function askForKey(message) {
    var form = document.getElementById("key-form");
    form.hidden = false;
    setStatus(message, "needs-key");
    form.onsubmit = function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(KEY, document.getElementById("key").value.trim());
      form.hidden = true;
      start();
    };
  }

  function api(path) {
    return fetch(base + path, {
      headers: { "X-API-Key": sessionStorage.getItem(KEY) || "", Accept: "application/json" },
      credentials: "omit",
      cache: "no-store"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var err = new Error((body && body.detail) || ("HTTP " + r.status));
          err.status = r.status;
          throw err;
        }
        return body;
      });
    });
  }

  // named: layer -> the legend's words for it (GET .../graph: pathway_legend, how many are drawn)
  function legend(layers, nRegulators, regulatorNote, regulatorLegend, named) {
    var ul = document.getElementById("legend");
    ul.textContent = "";
    layers.forEach(function (layer) {
      var li = document.createElement("li");
      var dot = document.createElement("i");
      dot.style.background = colour(layer);
      if (Object.prototype.hasOwnProperty.call(LAYER_SHAPES, layer)) {
        dot.className = LAYER_SHAPES[layer];
      }
      li.appendChild(dot);
      li.dataset.layer = clean(layer);
      var words = Object.prototype.hasOwnProperty.call(named, layer) ? clean(named[layer]) : "";
      li.appendChild(document.createTextNode(words || clean(layer) || "(no layer)"));
      ul.appendChild(li);
    });
    if (nRegulators > 0) {
      var li = document.createElement("li");
      li.id = "legend-regulators";
      var ring = document.createElement("i");
      ring.className = "ring";
      ring.style.borderColor = REGULATOR;
      li.appendChild(ring);
      // how many of the twin's URs are ringed (GET .../graph: regulator_legend)
      li.appendChild(document.createTextNode(clean(regulatorLegend) ||
        "upstream regulator (" + nRegulators + "; ring, rank in label)"));
      ul.appendChild(li);
    } else if (regulatorNote) {
      // a twin without a vector of every measured gene: say why no node has a ring
      var note = document.createElement("li");
      note.id = "legend-regulators";
      note.textContent = clean(regulatorNote);
      ul.appendChild(note);
    }
  }

  // The hubs whose caption is a number for lack of room (relabel), each number with its name.
  function calloutLegend(callouts) {
    var ol = document.getElementById("callouts");
    ol.textContent = "";
    callouts.forEach(function (c) {
      var li = document.createElement("li");
      li.value = Number(c.number);
      li.textContent = c.name;
      ol.appendChild(li);
    });
    document.getElementById("callouts-section").hidden = callouts.length === 0;
  }

  // The edge kinds drawn, each with its colour (GET .../graph: edges[].kind); named: kind -> the
  // legend's words (GET .../graph: activity_legend, its colours and how many TFs are drawn).
  function edgeLegend(kinds, named) {
    var ul = document.getElementById("edge-legend");
    ul.textContent = "";
    kinds.forEach(function (kind) {
      var li = document.createElement("li");
      var line = document.createElement("i");
      line.className = "edge";
      line.style.background = String(kind).toUpperCase() === "ACTIVITY"
        ? "linear-gradient(90deg, " + ACTIVITY_SIGN["+"] + " 50%, " + ACTIVITY_SIGN["-"] + " 50%)"
        : edgeColour(kind);
      li.appendChild(line);
      li.dataset.kind = clean(kind);
      var words = Object.prototype.hasOwnProperty.call(named, kind) ? clean(named[kind]) : "";
      li.appendChild(document.createTextNode(words || clean(kind) || "(no kind)"));
      ul.appendChild(li);
    });
    document.getElementById("edges-section").hidden = kinds.length === 0;
  }

  // The overlaid drug's legend entries (diamond, ringed targets, dashed TARGETS edges), or none:
  // before, the overlay drew an orange diamond, rings and dashed edges that no legend named.
  function overlayLegend(shown) {
    ["legend-drug", "legend-targets", "legend-drug-edges"].forEach(function (id) {
      var old = document.getElementById(id);
      if (old) old.parentNode.removeChild(old);
    });
    if (!shown) return;
    function entry(list, id, swatchClass, words) {
      var li = document.createElement("li");
      li.id = id;
      var swatch = document.createElement("i");
      swatch.className = swatchClass;
      swatch.style.borderColor = DRUG;
      if (swatchClass !== "ring") swatch.style.background = DRUG;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(words));
      document.getElementById(list).appendChild(li);
    }
    entry("legend", "legend-drug", "diamond", "drug overlaid (diamond)");
    entry("legend", "legend-targets", "ring", "its targets in the twin (orange ring)");
    entry("edge-legend", "legend-drug-edges", "edge dashed", "TARGETS (drug to target; its action)");
    document.getElementById("edges-section").hidden = false;
  }

  // A tapped element's fields as JSON, without the empty ones (no "null", no NaN).
  function shown(fields) {
    var out = {};
    Object.keys(fields).forEach(function (k) {
      var v = fields[k];
      if (v === undefined || v === null || v === "") return;
      if (typeof v === "number" && !isFinite(v)) return;
      out[k] = v;
    });
    return JSON.stringify(out, null, 1);
  }

  // An ACTIVITY edge says its score: "twin P1@v1 → STAT1 (ACTIVITY +3.21)".
  function edgeCaption(e) {
    var score = isActivity(e.data()) ? " " + (e.data("weight") < 0 ? "" : "+") +
      e.data("weight").toFixed(2) : "";
    return e.source().data("full_label") + " \u2192 " + e.target().data("full_label") + " (" +
      (e.data("action") || e.data("kind")) + score + ")";
  }

  // Which nodes to draw when the twin has more than `max`: the ringed regulators and the
  // cell types and tissues first (few, and what the legend names), then by centrality (size).
  function firstNodes(nodes, max) {
    if (nodes.length <= max) return nodes;
    function tier(n) {
      if (pinned[n.id]) return -1;
      if (n.regulator_rank !== undefined && n.regulator_rank !== null) return 0;
      return n.kind === "Protein" ? 2 : 1;
    }
    var order = nodes.map(function (n, i) { return i; });
    order.sort(function (a, b) {
      var d = tier(nodes[a]) - tier(nodes[b]);
      if (d) return d;
      d = (Number(nodes[b].size) || 0) - (Number(nodes[a].size) || 0);
      return d || a - b;
    });
    return order.slice(0, max).sort(function (a, b) { return a - b; })
      .map(function (i) { return nodes[i]; });
  }

  function showMore(total) {
    var button = document.getElementById("more");
    var left = total - limit;
    button.hidden = left <= 0;
    if (left <= 0) return;
    button.textContent = "Show " + Math.min(MORE, left).toLocaleString("en") + " more nodes (" +
      limit.toLocaleString("en") + " of " + total.toLocaleString("en") + " drawn)";
    button.onclick = function () {
      limit += MORE;
      draw(twin);
      var select = document.getElementById("drug");
      if (select.value && select.onchange) select.onchange();  // the overlay again
    };
  }

  function draw(graph) {
    var started = performance.now();
    twin = graph;
    if (cy) cy.destroy();
    var all = {};
    graph.nodes.forEach(function (n) { all[n.id] = true; });
    var shownNodes = firstNodes(graph.nodes, limit);
    var ids = {};
    var nRegulators = 0;
    // The server's places (medtwin.platform.twin_layout: the report's picture and the exports
    // use the same); a twin without them (past 1,500 nodes) is laid out here, by cose.
    var placed = graph.nodes.length > 0 && graph.nodes.every(function (n) {
      return isFinite(n.x) && isFinite(n.y) && n.x !== null && n.y !== null;
    });
    var linked = {};
    graph.edges.forEach(function (e) {
      if (e.source !== e.target) { linked[e.source] = true; linked[e.target] = true; }
    });
    var nLone = 0;
    var elements = shownNodes.map(function (n) {
      ids[n.id] = true;
      var ur = n.regulator_rank !== undefined && n.regulator_rank !== null;
      if (ur) nRegulators++;
      var name = fullCaption(n);
      var rank = ur ? " #" + n.regulator_rank : "";
      // A node without an edge in the twin sits in the box of such nodes, the server's grid.
      var lone = placed && !linked[n.id];
      if (lone) nLone++;
      var classes = (ur ? "regulator" : "") + (lone ? " lone" : "");
      return { group: "nodes", classes: classes.trim(),
        position: placed ? { x: n.x, y: n.y } : startAt(n.id), data: {
        // cut at a word's end: "CD4+/CD45RA+/CD25- Naive T…", not "… T (blo…" (stop 58)
        id: n.id, label: cutAtWord(name, MAX_CAPTION) + rank, name: name, full_label: name + rank,
        layer: clean(n.layer), kind: n.kind, parent: lone ? LONE_BOX : undefined,
        size: n.size, value: n.value, value_label: n.value_label || null,
        community: n.community, colour: colour(n.layer), regulator: clean(n.regulator) || null
      } };
    });
    if (nLone) {
      elements.push({ group: "nodes", classes: "box", selectable: false, data: {
        id: LONE_BOX, label: nLone.toLocaleString("en") + " without an edge in the twin " +
          "(A to Z)", full_label: "nodes without an edge in the twin", kind: "box",
        colour: "#f4f4f4", size: 0 } });
    }
    var skipped = 0;
    var waiting = 0;  // edges to nodes not drawn yet ("show more")
    graph.edges.forEach(function (e, i) {
      if (!all[e.source] || !all[e.target]) { skipped++; return; }
      if (!ids[e.source] || !ids[e.target]) { waiting++; return; }
      elements.push({ group: "edges", data: {
        id: "e" + i, source: e.source, target: e.target, kind: clean(e.kind) || "edge",
        weight: e.weight, colour: drawnEdgeColour(e)
      } });
    });
    var sizes = shownNodes.map(function (n) { return n.size; });
    var lo = Math.min.apply(null, sizes), hi = Math.max.apply(null, sizes);
    if (!(hi > lo)) { lo = 0; hi = 2 * (hi || 1); }  // equal sizes: draw them all mid-size
    cy = cytoscape({
      container: document.getElementById("cy"),
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", label: "data(label)", "font-size": 7,
          // a caption stays readable over edges and other nodes
          "text-outline-color": "#fff", "text-outline-width": 1, "text-outline-opacity": 0.8,
          width: "mapData(size, " + lo + ", " + hi + ", 10, 44)",
          height: "mapData(size, " + lo + ", " + hi + ", 10, 44)",
          "border-width": 0.5, "border-color": "#fff"
        } },
        { selector: "edge", style: { width: 0.6, "line-color": "data(colour)", opacity: 0.7 } },
        // a kind's own shape (SHAPES): pathways, TFs outside the twin, time points, the twin
        { selector: "node[kind = 'Pathway']", style: { shape: SHAPES.Pathway } },
        { selector: "node[kind = 'TF']", style: { shape: SHAPES.TF } },
        { selector: "node[kind = 'TimePoint']", style: { shape: SHAPES.TimePoint } },
        { selector: "node[kind = 'Twin']", style: { shape: SHAPES.Twin } },
        { selector: "edge[kind != 'INTERACTS_WITH']", style: { width: 1.2, opacity: 0.85 } },
        { selector: "node.regulator", style: {
          "border-width": 3, "border-color": REGULATOR, "font-weight": "bold"
        } },
        { selector: "node.target", style: { "border-width": 4, "border-color": DRUG } },
        { selector: "node.drug", style: {
          "background-color": DRUG, shape: "diamond", width: 36, height: 36, "font-size": 10
        } },
        { selector: "edge.drug-edge", style: {
          "line-color": DRUG, width: 2, "line-style": "dashed", opacity: 1
        } },
        { selector: "edge.drug-edge[action]", style: {
          label: "data(action)", "font-size": 8, "text-rotation": "autorotate",
          "text-background-color": "#fff", "text-background-opacity": 0.8
        } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#000" } },
        // a node without an edge: small (its centrality says nothing; twin_layout.LONE_SIZE),
        // caption right of it, as the box is a list in columns (twin_layout._grid)
        { selector: "node.lone", style: {
          width: 12, height: 12, "text-halign": "right", "text-valign": "center",
          "text-margin-x": 3
        } },
        // a caption's other places (relabel: PLACES), where above its node is not free
        { selector: "node.cap-below", style: { "text-valign": "bottom" } },
        { selector: "node.cap-right", style: {
          "text-halign": "right", "text-valign": "center", "text-margin-x": 2
        } },
        { selector: "node.cap-left", style: {
          "text-halign": "left", "text-valign": "center", "text-margin-x": -2
        } },
        { selector: "node.cap-up", style: { "text-valign": "top" } },
        { selector: "node.cap-down", style: { "text-valign": "bottom" } },
        // a caption left out at this zoom (relabel): no place of it is free
        { selector: "node.quiet", style: { label: "" } },
        // a hub's caption that stands for its name (relabel: callouts), and the line from a
        // node to its caption placed further off (FAR_LINES): an edge to an invisible node at
        // the caption's nearest point, redrawn with the graph on pan, zoom and resize
        { selector: "node.callout", style: { color: "#a50f15", "font-weight": "bold" } },
        { selector: "node.leader-end", style: {
          width: 1, height: 1, opacity: 0, label: "", events: "no"
        } },
        { selector: "edge.leader", style: {
          width: 0.7, "line-color": "#555", opacity: 0.9, "curve-style": "straight", events: "no"
        } },
        { selector: "node.box", style: {
          "background-color": "#f4f4f4", "background-opacity": 1, "border-width": 1,
          "border-color": "#bbb", "border-style": "dashed", "font-size": 9, color: "#555",
          "text-valign": "top", "text-halign": "center", "text-margin-y": -3, padding: 8,
          events: "no"
        } }
      ],
      layout: placed ? { name: "preset", fit: true, padding: 20 } : {
        // Starts from positions seeded by each node's id (startAt), not Math.random: the same
        // twin is drawn the same way at every load (it was another picture each time).
        name: "cose", animate: false, randomize: false,
        // A cell type, tissue, pathway or term repels as a hub: the pathways, each linked to
        // every cell type, were pulled into one blob of overlapping nodes and captions.
        nodeRepulsion: function (n) { return n.data("kind") === "Protein" ? 8000 : 1000000; },
        idealEdgeLength: function (e) { return e.data("kind") === "INTERACTS_WITH" ? 32 : 100; },
        nodeOverlap: 200,
        // about 130 cooling steps instead of about 690 (0.99 a step): the same picture to the
        // eye for a twin, 5 times less work (time to first render measured in tests/browser)
        coolingFactor: 0.95 }
    });
    var fitted = placed && nLone ? firstView(nLone) : "";
    fitFirstView = function () {
      // the drawing, not the leader lines of the last relabel (placed again after the fit)
      if (placed && nLone) firstView(nLone);
      else cy.fit(cy.elements().not(".leader-end, ." + LEADER), placed ? 20 : 30);
      fittedTo = { w: cy.width(), h: cy.height() };
    };
    fittedTo = { w: cy.width(), h: cy.height() };
    refitOnResize();
    relabel();
    // once a wheel or pinch zoom has come to rest (soon.relabel)
    // a dragged node's caption and leader line are placed again where it was let go
    cy.on("dragfree", "node", function () { relabel(); });
    cy.on("zoom", function () {
      clearTimeout(soon.relabel);
      soon.relabel = setTimeout(function () { soon.relabel = null; relabel(); }, 80);
    });
    cy.on("tap", "node", function (ev) {
      var d = ev.target.data();
      document.getElementById("info").textContent = shown({
        id: d.id, label: d.full_label, layer: d.layer, kind: d.kind, size: d.size,
        value: d.value, value_is: d.value_label, community: d.community,
        degree: ev.target.degree(), regulator: d.regulator
      });
    });
    cy.on("tap", "edge", function (ev) {
      var e = ev.target;
      document.getElementById("info").textContent = shown({
        kind: e.data("kind"), source: e.source().data("full_label"),
        target: e.target().data("full_label"), weight: e.data("weight"),
        action: e.data("action")
      });
    });
    // The full caption as the tooltip: the canvas shows at most MAX_CAPTION characters.
    var box = document.getElementById("cy");
    cy.on("mouseover", "node", function (ev) { box.title = ev.target.data("full_label"); });
    cy.on("mouseover", "edge", function (ev) { box.title = edgeCaption(ev.target); });
    cy.on("mouseout", "node, edge", function () { box.title = ""; });
    var layers = [];
    graph.nodes.forEach(function (n) { if (layers.indexOf(n.layer) < 0) layers.push(n.layer); });
    legend(layers.sort(), nRegulators, graph.regulator_note, graph.regulator_legend,
      { pathway: graph.pathway_legend, time_point: graph.time_point_legend,
        tf: "TF outside the twin (its activity only)" });
    var kinds = [];
    twinEdges().forEach(function (e) {
      if (kinds.indexOf(e.data("kind")) < 0) kinds.push(e.data("kind"));
    });
    edgeLegend(kinds.sort(), { ACTIVITY: graph.activity_legend });
    window.medtwinCy = cy;  // tests tap a node through it (tests/browser)
    var drawnNodes = twinNodes().length;  // the box and the leaders' ends are no twin nodes
    window.medtwinDrawnNodes = drawnNodes;
    window.medtwinLoneNodes = nLone;
    window.medtwinRegulators = cy.nodes(".regulator").length;
    window.medtwinDrawnEdges = twinEdges().length;
    window.medtwinTotalNodes = graph.nodes.length;
    window.medtwinDrawMs = performance.now() - started;
    var part = shownNodes.length < graph.nodes.length;
    showMore(graph.nodes.length);
    statusBase = clean(graph.twin_id) + ": " + (!graph.nodes.length ? "the twin has no nodes to draw"
      : part ? shownNodes.length.toLocaleString("en") + " of " +
        graph.nodes.length.toLocaleString("en") + " nodes (the most central; regulators, cell " +
        "types and tissues first), " + twinEdges().length.toLocaleString("en") + " of " +
        (twinEdges().length + waiting).toLocaleString("en") + " edges"
      : drawnNodes + " nodes, " + twinEdges().length + " edges") +
      (skipped ? " (" + skipped + " edges to undrawn nodes skipped)" : "") + fitted;
    var fittedHeight = cy.height();
    setStatus(statusBase + waitNote, "drawn");
    // a status line that wraps makes the header taller and the picture shorter than the view
    // was fitted to (GSM389717's lost 15 of its 225 nodes in view): fitted again
    if (cy.container().clientHeight !== fittedHeight) {
      cy.resize();
      fitFirstView();
      relabel();
    }
  }

  // The drawing's nodes and edges of the twin (and the drug overlay's): not the box of nodes
  // without an edge, nor the leader lines of captions placed further off and their ends.
  function twinNodes() { return cy.nodes().not(".box, .leader-end"); }
  function twinEdges() { return cy.edges().not("." + LEADER); }

  // When the window or the canvas resizes (Cytoscape resizes its canvas, 100 ms after the last
  // change, and emits "resize"), the view is fitted again as at first, or, once the user has
  // zoomed or panned (wheel, pinch, drag), keeps their zoom and the point they had in the
  // centre. Before, the canvas kept the first view's zoom and pan: shrunk, the drawing ran off
  // its right and bottom edges; grown, it sat in a corner.
  function refitOnResize() {
    var moved = false;
    cy.on("scrollzoom pinchzoom dragpan", function () { moved = true; });
    cy.on("resize", function () {
      clearTimeout(soon.refit);
      soon.refit = setTimeout(function () {
        soon.refit = null;
        var w = cy.width(), h = cy.height();
        // already fitted at this size (draw() fits again when its status line wraps)
        if (w === fittedTo.w && h === fittedTo.h) return;
        if (moved) {
          cy.panBy({ x: (w - fittedTo.w) / 2, y: (h - fittedTo.h) / 2 });
          fittedTo = { w: w, h: h };
        } else {
          fitFirstView();
        }
        relabel();
        window.medtwinRefits = (window.medtwinRefits || 0) + 1;  // tests: answered a resize
      }, 50);
    });
  }

  // Fit the first view to the linked nodes, not to them and the box of nodes without an edge
  // (GSM389717: 190 seeds in a box as large as its core halved the zoom). Says where the box is.
  function firstView(nLone) {
    var linked = twinNodes().not(".lone");
    if (linked.length < 2) return "";
    cy.fit(linked, 20);
    if (cy.zoom() > FIRST_ZOOM_MAX) {
      cy.zoom(FIRST_ZOOM_MAX);
      cy.center(linked);
    }
    var core = linked.boundingBox();
    var box = cy.getElementById(LONE_BOX).boundingBox();
    var where = box.y1 >= core.y2 ? "below" : box.x1 >= core.x2 ? "to the right" : "beside them";
    return "; the " + nLone.toLocaleString("en") + " without an edge are in " +
      "the box " + where + " (zoom out)";
  }

  // Caption size and where each caption goes at this zoom: each caption CAPTION units high, or
  // more when that is under LEGIBLE px; then, most central first (the drug, its targets,
  // regulators, cell types, tissues, pathways and terms, then by size), each caption goes to the
  // first of its PLACES where it covers no caption already placed and no other node's dot (a
  // hub's, where none is free whole, cut to SHORTER characters), else it is left out (class
  // quiet) until the user zooms in; the status line counts those, and the captions cut.
  // Before, a caption went above its node or nowhere, over dots too: multitissue_demo's first
  // view left 4 of its 19 cell types uncaptioned (the larger hubs' grown captions covered
  // theirs), and 569 captions of the 99 demo twins covered another node's dot.
  function relabel() {
    var zoom = cy.zoom();
    var size = Math.max(CAPTION, LEGIBLE / zoom);
    cy.remove(".leader-end, ." + LEADER);  // the last zoom's leader lines and their ends
    var nodes = twinNodes();
    cy.batch(function () {
      nodes.removeClass("quiet callout cap-below cap-right cap-left cap-up cap-down");
      // a caption shortened to fit (SHORTER) or numbered, and moved further off, at the last zoom
      nodes.removeStyle("label text-margin-x text-margin-y");
      nodes.not(".drug").style("font-size", size);
      cy.nodes(".drug").style("font-size", size * 10 / CAPTION);
      cy.nodes(".box").style("font-size", Math.max(9, LEGIBLE / zoom));
    });
    function rank(n) {
      if (n.hasClass("drug")) return 0;
      if (n.hasClass("target")) return 1;
      if (n.hasClass("regulator")) return 2;
      return n.data("kind") === "Protein" ? 4 : 3;
    }
    var order = nodes.toArray().sort(function (a, b) {
      return rank(a) - rank(b) || (Number(b.data("size")) || 0) - (Number(a.data("size")) || 0) ||
        (a.id() < b.id() ? -1 : a.id() > b.id() ? 1 : 0);
    });
    var dots = nodes.toArray().map(function (n) {
      var p = n.position();
      return { node: n, id: n.id(), x: p.x, y: p.y, r: n.width() / 2 };
    });
    var kept = [];
    var quiet = cy.collection();
    var quietHubs = 0;
    function meets(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }
    // whether box b covers no caption already placed and no other node's dot (a dot, a
    // circle, meets the box where the box's nearest point to its centre is inside it); plain
    // loops that stop at the first hit: a hub's far places make this the drawing's inner loop
    function free(n, b) {
      var i;
      for (i = 0; i < kept.length; i++) if (meets(b, kept[i])) return false;
      var id = n.id();
      for (i = 0; i < dots.length; i++) {
        var d = dots[i];
        if (d.id === id) continue;
        var dx = d.x - Math.max(b.x1, Math.min(d.x, b.x2));
        var dy = d.y - Math.max(b.y1, Math.min(d.y, b.y2));
        if (dx * dx + dy * dy < d.r * d.r) return false;
      }
      return true;
    }
    // A place's box from the caption's box above its node (b0, measured once): Cytoscape
    // draws it at the same gap g from the node's edge on every side, 2 units further sideways
    // (text-margin-x). Measured after each addClass instead, a box could be stale (a small
    // node's "below" read as over its centre) and a dense twin's draw took 2 s longer.
    function placeBox(b0, n, place) {
      var p = n.position(), hw = n.width() / 2, hh = n.height() / 2;
      var w = b0.x2 - b0.x1, h = b0.y2 - b0.y1, g = p.y - hh - b0.y2;
      var x1 = /right/.test(place) ? p.x + hw + 2 + g : /left/.test(place) ?
        p.x - hw - 2 - g - w : b0.x1;
      var y1 = !place || /up/.test(place) ? b0.y1 : /below|down/.test(place) ? p.y + hh + g :
        p.y - h / 2;
      return { x1: x1, y1: y1, x2: x1 + w, y2: y1 + h };
    }
    // A caption's box with its text cut to `text`: as wide as Cytoscape measures the text
    // (calculateLabelDimensions: the canvas's measureText at the caption's font, rounded up)
    // less the whole caption's, centred where the whole one is (starting where it starts
    // right of a node in the box of nodes without an edge).
    function shorterBox(b0, n, text, bold) {
      var font = n.pstyle("font-style").strValue + " " +
        (bold ? "bold" : n.pstyle("font-weight").strValue) + " " +
        n.pstyle("font-size").pfValue + "px " + n.pstyle("font-family").strValue;
      measure.font = font;
      var w = b0.x2 - b0.x1 - Math.ceil(measure.measureText(n.data("label")).width) +
        Math.ceil(measure.measureText(text).width);
      var x1 = n.hasClass("lone") ? b0.x1 : (b0.x1 + b0.x2 - w) / 2;
      return { x1: x1, x2: x1 + w, y1: b0.y1, y2: b0.y2, w: w };
    }
    // A hub's places further off (FAR_LINES, ASIDE) from its caption's box above its node (b),
    // nearest first (the box's centre from the node's): each the place of PLACES it starts
    // from ("" above, "cap-below"), its shift (text-margin-x, -y) in units and its box.
    function farPlaces(n, b) {
      var p = n.position(), hw = n.width() / 2;
      var w = b.x2 - b.x1, h = b.y2 - b.y1;
      var below = placeBox(b, n, "cap-below");
      var out = [];
      for (var k = 0; k <= FAR_LINES; k++) {
        var sideways = [0].concat(ASIDE.map(function (a) { return hw + 2 + w / 2 + a * h; }));
        sideways.forEach(function (d) {
          (d ? [d, -d] : [0]).forEach(function (mx) {
            [["", b, -k * h], ["cap-below", below, k * h]].forEach(function (at) {
              if (!k && !mx) return;  // one of PLACES
              var x1 = at[1].x1 + mx, y1 = at[1].y1 + at[2];
              out.push({ place: at[0], mx: mx, my: at[2],
                box: { x1: x1, y1: y1, x2: x1 + w, y2: y1 + h },
                off: Math.hypot(x1 + w / 2 - p.x, y1 + h / 2 - p.y) });
            });
          });
        });
      }
      return out.sort(function (a, c) { return a.off - c.off; });
    }
    // The first place of `text` (null: the whole caption) that covers no caption and no other
    // node's dot: one of PLACES, else (a hub's) one further off, tied to its node by a leader
    // line where more than a caption line lies between them; or null.
    function firstFree(n, b0, text, places, far, bold) {
      var bt = text === null ? b0 : shorterBox(b0, n, text, bold);
      for (var i = 0; i < places.length; i++) {
        var b = placeBox(bt, n, places[i]);
        if (free(n, b)) return { place: places[i], box: b, text: text };
      }
      if (!far || n.hasClass("lone")) return null;
      var further = farPlaces(n, bt);
      var p = n.position();
      for (var j = 0; j < further.length; j++) {
        var f = further[j];
        if (!free(n, f.box)) continue;
        var x = Math.max(f.box.x1, Math.min(p.x, f.box.x2));
        var y = Math.max(f.box.y1, Math.min(p.y, f.box.y2));
        var gap = Math.hypot(x - p.x, y - p.y) - n.width() / 2;
        return { place: f.place, box: f.box, text: text, mx: f.mx, my: f.my,
          leader: gap > f.box.y2 - f.box.y1 ? { x: x, y: y } : null };
      }
      return null;
    }
    var shortened = 0;
    var callouts = [];  // {number, name}: hubs' captions that are a number (the panel names them)
    var leaders = [];
    cy.batch(function () { order.forEach(place); });  // each node's box read before its class
    function place(n) {
      // a node in the box of nodes without an edge keeps its caption right of it (its column)
      var places = n.hasClass("lone") ? [""] : PLACES;
      var hub = rank(n) === 3;
      var b0 = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      if (!(b0.w > 0)) return;
      // a hub's caption, where none of its places is free whole, is tried cut shorter (SHORTER)
      var texts = [null];
      if (hub) {
        SHORTER.forEach(function (max) {
          var text = cutAtWord(n.data("name"), max);
          if (text.length < n.data("label").length && texts.indexOf(text) < 0) texts.push(text);
        });
      }
      // whole next to its node, whole further off, then cut shorter next to it (a caption cut
      // shorter is not also tried further off: that tripled the work of a zoomed-out relabel)
      var got = null;
      for (var t = 0; t < texts.length && !got; t++) {
        got = firstFree(n, b0, texts[t], places, false) ||
          (t === 0 && hub ? firstFree(n, b0, texts[t], [], true) : null);
      }
      var number = null;
      if (!got && hub) {  // a number is a few units wide: it finds room where the name did not
        number = String(callouts.length + 1);
        got = firstFree(n, b0, number, places, hub, true);
      }
      if (!got) {
        quiet = quiet.union(n);
        if (hub) quietHubs++;
        return;
      }
      if (got.place) n.addClass(got.place);
      if (got.text !== null) n.style("label", got.text);
      if (number !== null) {
        n.addClass("callout");
        callouts.push({ number: number, name: n.data("full_label") });
      } else if (got.text !== null) {
        shortened++;
      }
      if (got.mx || got.my) n.style({ "text-margin-x": got.mx, "text-margin-y": got.my });
      if (got.leader) leaders.push({ id: n.id(), x: got.leader.x, y: got.leader.y });
      kept.push(got.box);
    }
    cy.add(leaders.reduce(function (els, l) {
      return els.concat([
        { group: "nodes", classes: "leader-end", selectable: false, grabbable: false,
          data: { id: "leader:" + l.id, label: "" }, position: { x: l.x, y: l.y } },
        { group: "edges", classes: LEADER,
          data: { id: "leader-edge:" + l.id, source: l.id, target: "leader:" + l.id } }
      ]);
    }, []));
    calloutLegend(callouts);
    quiet.addClass("quiet");
    window.medtwinCaptionPx = size * zoom;  // tests: the caption height on screen
    window.medtwinCaptioned = nodes.length - quiet.length;
    window.medtwinWaiting = quiet.length;
    window.medtwinWaitingHubs = quietHubs;
    window.medtwinShortened = shortened;
    window.medtwinCallouts = callouts.length;
    window.medtwinLeaders = leaders.map(function (l) { return l.id; });  // tests: whose
    window.medtwinRelabels += 1;
    waitNote = (!quiet.length ? "" : "; " + quiet.length.toLocaleString("en") + " caption" +
      (quiet.length === 1 ? " waits" : "s wait") + " for zoom") +
      (!shortened ? "" : "; " + shortened + " cut shorter to fit (hover for the name)") +
      (!callouts.length ? "" : "; " + callouts.length + " numbered for lack of room (names " +
        "under Numbered captions)");
    if (statusBase && document.body.dataset.state === "drawn") {
      setStatus(statusBase + waitNote);
      if (cy.container().clientHeight !== cy.height()) cy.resize();  // it wrapped or unwrapped
    }
  }

  // targets: [{id, action}]; action as explain words it ("inhibit (DrugCentral)" when DrugBank
  // names no action and DrugCentral fills it in), shown on the drug's edge and in #drug-targets.
  function overlay(drugId, name, targets, word) {
    cy.remove(".drug, .drug-edge");
    cy.nodes().removeClass("target");
    var info = document.getElementById("drug-info");
    var list = document.getElementById("drug-targets");
    list.textContent = "";
    if (!drugId) { info.textContent = ""; overlayLegend(false); relabel(); return; }
    // A target in the twin but not drawn yet (a large twin shows its most central part) is
    // drawn now: before, such a drug read "0 of 3 targets in the twin".
    var wanted = twinNodesOf(targets);
    if (wanted.some(function (id) { return cy.getElementById(id).empty(); })) {
      pinned = {};
      wanted.forEach(function (id) { pinned[id] = true; });
      draw(twin);
    }
    overlayLegend(true);  // after draw(), which writes the legend afresh
    var hits = [];
    targets.forEach(function (t) {
      var found = cy.getElementById(String(t.id));
      if (found.empty()) {
        found = cy.nodes().filter(function (n) { return n.data("name") === t.id; });
      }
      found.forEach(function (n) {
        if (!hits.some(function (h) { return h.node.same(n); })) {
          hits.push({ node: n, action: t.action });
        }
      });
    });
    var nodes = cy.collection();
    hits.forEach(function (h) { nodes = nodes.union(h.node); });
    nodes.addClass("target");
    var bb = nodes.nonempty() ? nodes.boundingBox() : cy.extent();
    var drugName = clean(name) || clean(drugId);
    cy.add({ group: "nodes", classes: "drug",
      data: { id: "drug:" + drugId, label: cutAtWord(drugName, MAX_CAPTION), name: drugName,
        full_label: drugName, layer: "drug", kind: "Drug", size: 0 },
      position: { x: (bb.x1 + bb.x2) / 2, y: bb.y1 - 60 } });
    hits.forEach(function (h, i) {
      var data = { id: "drug-edge-" + i, source: "drug:" + drugId, target: h.node.id() };
      if (h.action) data.action = h.action;
      cy.add({ group: "edges", classes: "drug-edge", data: data });
      var li = document.createElement("li");
      li.textContent = h.node.data("full_label") + ": " + (clean(h.action) || "action not given");
      list.appendChild(li);
    });
    window.medtwinDrugEdges = hits.length;
    window.medtwinDrugEdgeActions = cy.edges(".drug-edge").map(function (e) {
      return e.data("action") || null;
    });
    info.textContent = drugName + ": " + hits.length + " of " + targets.length +
      " targets in the twin; direction: " + (clean(word) || "unknown");
    relabel();  // the drug's and its targets' captions first
  }

  // The ids of the twin's nodes (drawn or not) that the targets name, by id or by name.
  function twinNodesOf(targets) {
    var byName = {};
    var ids = {};
    twin.nodes.forEach(function (n) {
      ids[String(n.id)] = true;
      byName[fullCaption(n)] = String(n.id);
    });
    var out = [];
    targets.forEach(function (t) {
      var id = ids[String(t.id)] ? String(t.id) : byName[t.id];
      if (id !== undefined && out.indexOf(id) < 0) out.push(id);
    });
    return out;
  }

  // Only the targets the ranking used: DrugBank also lists enzymes, transporters and carriers
  // (and Fc/complement receptors the effector filter drops), which `explain` prints apart as
  // "not used for ranking"; counting and drawing them made Dexamethasone "1 of 27 targets".
  function usedForRanking(t) {
    if (t.used_for_ranking !== undefined) return t.used_for_ranking === true;
    return t.role === undefined || t.role === "target";
  }

  // The ranking's targets as {id, action}: the explanation's (with their action words), else
  // the ranking row's targets in the module (no action known there).
  function targetIds(explanation, score) {
    var out = [];
    var seen = {};
    function add(id, action) {
      if (id === undefined || id === null || seen[String(id)]) return;
      seen[String(id)] = true;
      out.push({ id: String(id), action: action || null });
    }
    (explanation.targets || []).filter(usedForRanking).forEach(function (t) {
      add(t.entrez || t.id || t.gene || t.symbol, t.action_words);
    });
    ((score && score.targets_in_module) || []).forEach(function (t) { add(t, null); });
    return out;
  }

  function drugPicker() {
    api("/rankings/latest?limit=100").then(function (ranking) {
      var select = document.getElementById("drug");
      var byId = {};
      ranking.drugs.forEach(function (d) {
        byId[d.drug_id] = d;
        var o = document.createElement("option");
        o.value = d.drug_id;
        var drugName = clean(d.drug_name) || clean(d.drug_id);
        o.textContent = d.rank + ". " + cutAtWord(drugName, 60);
        o.title = drugName;
        select.appendChild(o);
      });
      // A ranking that scored no drug: say so instead of an empty picker.
      select.disabled = ranking.drugs.length === 0;
      if (!ranking.drugs.length) {
        document.getElementById("drug-info").textContent = "The latest ranking (" +
          clean(ranking.id) + ") lists no drug: nothing to overlay.";
      }
      var note = document.getElementById("module-note");
      note.textContent = clean(ranking.module_note);
      note.hidden = !ranking.module_note;
      document.getElementById("drugs").hidden = false;
      select.onchange = function () {
        var id = select.value;
        if (!id) { overlay(null); return; }
        api("/drugs/" + encodeURIComponent(id) + "/explanation").then(function (x) {
          overlay(id, x.drug_name, targetIds(x, byId[id]), byId[id].direction_word);
        }, function () {
          overlay(id, byId[id].drug_name, targetIds({}, byId[id]), byId[id].direction_word);
        });
      };
    }, function () { /* no ranking yet: no picker */ });
  }

  function start() {
    if (!sessionStorage.getItem(KEY)) { askForKey("enter an API key"); return; }
    setStatus("loading…", "loading");
    api("/twins/latest/graph").then(function (graph) {
      draw(graph);
      drugPicker();
    }, function (err) {
      if (err.status === 401 || err.status === 403) {
        sessionStorage.removeItem(KEY);
        askForKey("key refused: " + err.message);
      } else {
        setStatus("cannot load the twin: " + err.message, "error");
      }
    });
  }

  takeKeyFromFragment();
  start();
}());
