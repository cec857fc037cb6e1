/* ActorGraph explorer: draws the graph data embedded in the page with vis-network, and lets
 * the reader filter it, find an actor and read the evidence behind every edge.
 *
 * Safety: every string from the data (quotes, titles, names) reaches the page through
 * textContent, a text node or a property such as input.value — never as HTML.
 */
(function () {
  "use strict";

  performance.mark("actorgraph:start");
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  performance.mark("actorgraph:parsed");
  const $ = (id) => document.getElementById(id);

  // ---- lookups ---------------------------------------------------------------------------

  const byId = (items) => new Map(items.map((item) => [item.id, item]));
  const relations = byId(data.relations);
  const certainties = byId(data.certainties);
  const types = byId(data.types);
  const nodeById = byId(data.nodes);
  const actorLabels = new Map(data.nodes.map((node) => [node.id, node.label]));
  const edgeList = data.edges;
  const claims = data.claims;
  const sources = data.sources;
  const whole = data.whole; // the whole corpus's size, when the page shows only part of it (see graph/on_page.py)
  const dates = sources.map((source) => source.date).sort();
  const firstDate = dates.length ? dates[0] : "";
  const lastDate = dates.length ? dates[dates.length - 1] : "";

  const incident = new Map(data.nodes.map((node) => [node.id, []]));
  edgeList.forEach((edge, i) => {
    incident.get(edge.from).push(i);
    if (edge.to !== edge.from) incident.get(edge.to).push(i);
  });
  const saidBy = new Map();
  const involving = new Map(data.nodes.map((node) => [node.id, []]));
  claims.forEach((claim, i) => {
    involving.get(claim.subject).push(i);
    involving.get(claim.object).push(i);
    if (claim.saidBy) {
      if (!saidBy.has(claim.saidBy)) saidBy.set(claim.saidBy, []);
      saidBy.get(claim.saidBy).push(i);
    }
  });
  const byDate = (a, b) => claims[a].date.localeCompare(claims[b].date) || claims[a].id.localeCompare(claims[b].id);

  const actorLabel = (id) => (actorLabels.has(id) ? actorLabels.get(id) : id);
  const plural = (n, noun) => n.toLocaleString("en") + " " + noun + (n === 1 ? "" : "s");
  const edgeWidth = (n) => Math.round((1.5 + 1.5 * Math.log2(Math.max(n, 1))) * 100) / 100; // as render.edge_width
  const edgeLabel = (n) => (n > 1 ? "\u00d7" + n : "");

  // ---- DOM helpers: text only ------------------------------------------------------------

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    return element;
  }

  function lineSwatch(colour, dashes) {
    const box = svg("svg", { width: 30, height: 10, class: "swatch", "aria-hidden": "true" });
    const line = svg("line", { x1: 1, y1: 5, x2: 29, y2: 5, stroke: colour, "stroke-width": 2.5 });
    if (dashes) line.setAttribute("stroke-dasharray", dashes.join(" "));
    box.append(line);
    return box;
  }

  const GLYPHS = {
    dot: () => svg("circle", { cx: 8, cy: 8, r: 6 }),
    square: () => svg("rect", { x: 2.5, y: 2.5, width: 11, height: 11 }),
    triangle: () => svg("polygon", { points: "8,1.5 14.5,14 1.5,14" }),
    triangleDown: () => svg("polygon", { points: "1.5,2 14.5,2 8,14.5" }),
    hexagon: () => svg("polygon", { points: "14.5,8 11.25,13.6 4.75,13.6 1.5,8 4.75,2.4 11.25,2.4" }),
    star: () => svg("polygon", { points: "8,1 9.8,6 15,6.2 10.9,9.4 12.3,14.6 8,11.6 3.7,14.6 5.1,9.4 1,6.2 6.2,6" }),
    diamond: () => svg("polygon", { points: "8,1 15,8 8,15 1,8" }),
  };
  function shapeSwatch(shape, colour) {
    const box = svg("svg", { width: 16, height: 16, class: "swatch", "aria-hidden": "true" });
    const glyph = (GLYPHS[shape] || GLYPHS.dot)();
    glyph.setAttribute("fill", colour);
    glyph.setAttribute("stroke", "#333");
    glyph.setAttribute("stroke-width", "0.8");
    box.append(glyph);
    return box;
  }

  function excerpt(text, limit) {
    if (text.length <= limit) return text;
    const cut = text.slice(0, limit);
    const space = cut.lastIndexOf(" ");
    return (space > limit * 0.6 ? cut.slice(0, space) : cut) + "\u2026";
  }

  // ---- filter state ----------------------------------------------------------------------

  function defaults() {
    return {
      relations: new Set(data.relations.map((relation) => relation.id)),
      certainties: new Set(data.certainties.filter((c) => c.shown).map((c) => c.id)),
      sources: new Set(sources.map((_, i) => i)),
      from: firstDate,
      to: lastDate,
      focus: null,
    };
  }
  let state = defaults();

  const claimPasses = (i) => {
    const claim = claims[i];
    return state.sources.has(claim.source) && claim.date >= state.from && claim.date <= state.to;
  };
  const edgeOpen = (edge) => state.relations.has(edge.relation) && state.certainties.has(edge.certainty);

  /** How many of each edge's claims pass the filters (0: the edge is hidden). */
  function visibleCounts() {
    const counts = edgeList.map((edge) => (edgeOpen(edge) ? edge.claims.filter(claimPasses).length : 0));
    if (state.focus !== null) {
      const hood = new Set([state.focus]);
      for (const i of incident.get(state.focus)) {
        if (counts[i]) {
          hood.add(edgeList[i].from);
          hood.add(edgeList[i].to);
        }
      }
      edgeList.forEach((edge, i) => {
        if (!(hood.has(edge.from) && hood.has(edge.to))) counts[i] = 0;
      });
    }
    return counts;
  }

  // ---- the network -----------------------------------------------------------------------

  /** Which edges (with how many claims) and which actors the filters leave visible. */
  function visibility() {
    const counts = visibleCounts();
    const linked = new Set();
    counts.forEach((n, i) => {
      if (n) {
        linked.add(edgeList[i].from);
        linked.add(edgeList[i].to);
      }
    });
    const nodeHidden = new Map();
    for (const node of data.nodes) {
      // an actor without any drawn claim stays visible, unless another is in focus
      const lone = state.focus === null && incident.get(node.id).length === 0;
      nodeHidden.set(node.id, !(node.id === state.focus || linked.has(node.id) || lone));
    }
    return { counts, nodeHidden };
  }

  // vis-network gets the data with the default filters already applied, so it draws once.
  const container = $("network");
  const first = visibility();
  const shown = {
    edges: first.counts.map((n, i) => ({ hidden: n === 0, count: n || edgeList[i].claims.length })),
    nodes: first.nodeHidden,
  };
  const nodes = new vis.DataSet(data.nodes.map((node) => Object.assign({}, node, { hidden: shown.nodes.get(node.id) })));
  const edges = new vis.DataSet(
    edgeList.map((edge, i) => {
      const item = Object.assign({}, edge, { hidden: shown.edges[i].hidden, width: edgeWidth(shown.edges[i].count) });
      if (shown.edges[i].count > 1) item.label = edgeLabel(shown.edges[i].count);
      else delete item.label;
      return item;
    })
  );
  performance.mark("actorgraph:datasets");
  const network = new vis.Network(container, { nodes, edges }, data.options);
  performance.mark("actorgraph:network");

  function apply() {
    const { counts, nodeHidden } = visibility();
    const edgeChanges = [];
    counts.forEach((n, i) => {
      const now = shown.edges[i];
      const hidden = n === 0;
      if (hidden !== now.hidden || (!hidden && n !== now.count)) {
        const change = { id: edgeList[i].id, hidden };
        if (!hidden) {
          change.width = edgeWidth(n);
          change.label = edgeLabel(n);
          now.count = n;
        }
        now.hidden = hidden;
        edgeChanges.push(change);
      }
    });
    const nodeChanges = [];
    for (const [id, hidden] of nodeHidden) {
      if (shown.nodes.get(id) !== hidden) {
        shown.nodes.set(id, hidden);
        nodeChanges.push({ id, hidden });
      }
    }
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);

    const claimCount = counts.reduce((sum, n) => sum + n, 0);
    const nodeCount = [...nodeHidden.values()].filter((hidden) => !hidden).length;
    const edgeCount = counts.filter((n) => n > 0).length;
    $("status").textContent =
      "Showing " + nodeCount + " of " + plural(data.nodes.length, "actor") + ", " +
      plural(edgeCount, "edge") + " (" + claimCount + " of " + plural(claims.length, "claim") + ")";
    $("empty").hidden = claimCount > 0 || claims.length === 0;
    hideTooltip();
    return counts;
  }

  // ---- tooltip ---------------------------------------------------------------------------

  const stage = $("stage");
  const tooltip = $("tooltip");
  const panel = $("panel");
  const panelBody = $("panel-body");

  /** The width of the graph that the citations panel, when open, leaves uncovered. */
  function freeWidth() {
    if (panel.hidden) return stage.clientWidth;
    return panel.getBoundingClientRect().left - stage.getBoundingClientRect().left;
  }

  /** Pan the graph, if need be, so that the point (in the graph's pixels) is not under the panel. */
  function reveal(point) {
    const free = freeWidth();
    if (point.x < free - 30) return;
    pan(point.x - free / 2);
  }

  function showTooltip(parts, pointer) {
    tooltip.replaceChildren(...parts);
    tooltip.hidden = false;
    const pad = 14;
    let x = pointer.x + pad;
    let y = pointer.y + pad;
    if (x + tooltip.offsetWidth > freeWidth()) x = Math.max(0, pointer.x - tooltip.offsetWidth - pad);
    if (y + tooltip.offsetHeight > stage.clientHeight) y = Math.max(0, pointer.y - tooltip.offsetHeight - pad);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
  }

  const edgeById = new Map(edgeList.map((edge) => [edge.id, edge]));
  const arrow = (edge) => (relations.get(edge.relation).symmetric ? " \u2194 " : " \u2192 ");

  function edgeTooltip(edge) {
    const passing = edge.claims.filter(claimPasses).sort(byDate);
    const list = passing.length ? passing : edge.claims.slice().sort(byDate);
    const claim = claims[list[0]];
    const source = sources[claim.source];
    const parts = [
      el("div", "head", actorLabel(edge.from) + arrow(edge) + actorLabel(edge.to)),
      el("div", "meta", relations.get(edge.relation).label + " \u00b7 " + edge.certainty + " \u00b7 " + plural(list.length, "claim")),
      el("blockquote", null, "\u201c" + excerpt(claim.quote, 220) + "\u201d"),
      el("div", "source", "\u2014 " + source.title + ", " + source.date),
    ];
    parts.push(
      el("div", "more", list.length > 1 ? "+ " + (list.length - 1) + " more: click the edge for every citation" : "Click the edge for the full citation")
    );
    return parts;
  }

  function nodeTooltip(node) {
    const type = types.get(node.type);
    const facts = [type ? type.label : node.type];
    if (node.role) facts.push(node.role);
    const parts = [el("div", "head", node.label), el("div", "meta", facts.join(" \u00b7 "))];
    if (node.aliases.length) parts.push(el("div", "source", "also: " + node.aliases.join(", ")));
    parts.push(el("div", "more", plural(node.claims, "claim") + ": click for every citation"));
    return parts;
  }

  // The page finds what is under the pointer itself, once per frame, rather than rely on
  // vis-network's hover events: those stop when the pointer leaves the canvas or clicks,
  // and in a large graph vis-network's hover effect (off there) redraws every edge.
  let pointer = null;
  container.addEventListener("pointermove", (event) => {
    const box = container.getBoundingClientRect();
    const pending = pointer !== null;
    pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
    if (pending) return;
    requestAnimationFrame(() => {
      const at = pointer;
      pointer = null;
      if (at === null) return; // the pointer left the graph meanwhile
      const node = network.getNodeAt(at);
      const edge = node === undefined ? network.getEdgeAt(at) : undefined;
      if (node !== undefined) showTooltip(nodeTooltip(nodeById.get(node)), at);
      else if (edge !== undefined) showTooltip(edgeTooltip(edgeById.get(edge)), at);
      else hideTooltip();
    });
  });
  container.addEventListener("pointerleave", () => {
    pointer = null;
    hideTooltip();
  });
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  // ---- the citations panel ---------------------------------------------------------------


  function citation(i) {
    const claim = claims[i];
    const relation = relations.get(claim.relation);
    const source = sources[claim.source];
    const article = el("article", "citation");
    article.dataset.claim = claim.id;
    const line = el("p", "claim-line");
    const verb = el("span", "relation", relation.label);
    verb.style.color = relation.color;
    line.append(actorLabel(claim.subject) + " ", verb, " " + actorLabel(claim.object));
    line.append(el("span", "badge " + claim.certainty, claim.certainty));
    article.append(line);
    if (claim.saidBy) {
      const who = claim.saidBy === "unnamed" ? "a source the article does not name" : actorLabel(claim.saidBy);
      article.append(el("p", "said-by", "said by " + who));
    }
    article.append(el("blockquote", null, claim.quote));
    if (claim.note) article.append(el("p", "note", "Curator\u2019s note: " + claim.note));
    const cite = el("p", "source");
    cite.append(el("cite", null, source.title));
    const details = [source.publisher, source.author, source.date].filter(Boolean);
    cite.append(" \u2014 " + details.join(", "));
    if (/^https?:\/\//i.test(source.url)) {
      const link = el("a", null, "read the article");
      link.href = source.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      cite.append(" \u00b7 ", link);
    }
    article.append(cite);
    article.append(el("p", "claim-id", "claim " + claim.id + (claim.line ? ", line " + claim.line + " of the article" : "")));
    return article;
  }

  const PANEL_LIMIT = 300;
  function citations(title, indices) {
    const parts = [];
    const passing = indices.filter(claimPasses).sort(byDate);
    const hidden = indices.filter((i) => !claimPasses(i)).sort(byDate);
    parts.push(el("h3", null, title + " (" + passing.length + ")"));
    passing.slice(0, PANEL_LIMIT).forEach((i) => parts.push(citation(i)));
    if (passing.length > PANEL_LIMIT) parts.push(el("p", "facts", "and " + (passing.length - PANEL_LIMIT) + " more"));
    if (hidden.length) {
      parts.push(el("h3", null, "Hidden by the filters (" + hidden.length + ")"));
      hidden.slice(0, PANEL_LIMIT).forEach((i) => parts.push(citation(i)));
    }
    return parts;
  }

  // The panel covers the graph's right side: while it is open, the view moves left by half
  // its width, so that the middle of the drawing stays in the middle of what is visible.
  function pan(pixels) {
    const view = network.getViewPosition();
    network.moveTo({ position: { x: view.x + pixels / network.getScale(), y: view.y }, animation: false });
  }
  function openPanel(parts) {
    panelBody.replaceChildren(...parts);
    if (panel.hidden) {
      panel.hidden = false;
      pan(panel.offsetWidth / 2);
    }
    panel.scrollTop = 0;
  }
  function closePanel() {
    if (!panel.hidden) {
      const width = panel.offsetWidth;
      panel.hidden = true;
      pan(-width / 2);
    }
    panelBody.replaceChildren();
  }

  function showEdgePanel(edge) {
    const relation = relations.get(edge.relation);
    const certainty = certainties.get(edge.certainty);
    openPanel([
      el("h2", null, actorLabel(edge.from) + arrow(edge) + actorLabel(edge.to)),
      el("p", "facts", relation.label + ": " + relation.definition),
      el("p", "facts", edge.certainty + ": " + certainty.meaning),
      ...citations("Citations", edge.claims),
    ]);
  }

  function showNodePanel(id) {
    const node = nodeById.get(id);
    const type = types.get(node.type);
    const parts = [el("h2", null, node.label), el("p", "facts", [type ? type.label : node.type, node.role].filter(Boolean).join(" \u00b7 "))];
    if (node.aliases.length) parts.push(el("p", "facts", "Also called: " + node.aliases.join(", ")));
    if (node.represents) parts.push(el("p", "facts", "Represents: " + actorLabel(node.represents)));
    parts.push(...citations("Claims", involving.get(id)));
    if (saidBy.has(id)) parts.push(...citations("Statements it makes", saidBy.get(id)));
    openPanel(parts);
  }

  network.on("click", (event) => {
    if (event.nodes.length) showNodePanel(event.nodes[0]);
    else if (event.edges.length) showEdgePanel(edgeById.get(event.edges[0]));
    else return closePanel();
    hideTooltip();
    reveal(network.canvasToDOM(event.pointer.canvas)); // where it is now that the panel is open
  });
  $("panel-close").addEventListener("click", () => {
    closePanel();
    network.unselectAll();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
  });

  // ---- controls --------------------------------------------------------------------------

  function checkbox(container, value, checked, onChange, parts) {
    const label = el("label");
    const input = el("input");
    input.type = "checkbox";
    input.value = String(value);
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    label.append(input, ...parts);
    container.append(label);
    return input;
  }

  function toggleSet(set, value) {
    return (checked) => {
      if (checked) set().add(value);
      else set().delete(value);
      apply();
    };
  }

  const relationBoxes = [];
  const relationList = $("filter-relations");
  for (const sign of ["cooperative", "hostile", "neutral"]) {
    const group = data.relations.filter((relation) => relation.sign === sign);
    if (!group.length) continue;
    relationList.append(el("div", "group", sign));
    for (const relation of group) {
      relationBoxes.push(
        checkbox(relationList, relation.id, true, toggleSet(() => state.relations, relation.id), [
          lineSwatch(relation.color, null),
          el("span", "text", relation.label),
          el("span", "count", relation.claims),
        ])
      );
    }
  }

  const certaintyBoxes = [];
  for (const certainty of data.certainties) {
    const colour = certainty.id === "denied" ? data.denied : "#555";
    const text = el("span", "text", certainty.id);
    text.append(el("span", "count", " \u2014 " + certainty.meaning));
    certaintyBoxes.push(
      checkbox($("filter-certainties"), certainty.id, certainty.shown, toggleSet(() => state.certainties, certainty.id), [
        lineSwatch(colour, certainty.dashes),
        text,
        el("span", "count", certainty.claims),
      ])
    );
  }

  const sourceBoxes = [];
  const sourceOrder = sources.map((_, i) => i).sort((a, b) => sources[a].date.localeCompare(sources[b].date) || a - b);
  for (const i of sourceOrder) {
    const source = sources[i];
    sourceBoxes.push(
      checkbox($("filter-sources"), i, true, toggleSet(() => state.sources, i), [
        el("span", "text", source.title),
        el("span", "date", source.date),
        el("span", "count", source.claims),
      ])
    );
  }

  for (const holder of document.querySelectorAll(".toggles")) {
    const boxes = holder.dataset.for === "filter-relations" ? relationBoxes : sourceBoxes;
    for (const [text, checked] of [["all", true], ["none", false]]) {
      const button = el("button", null, text);
      button.type = "button";
      button.addEventListener("click", () => {
        for (const box of boxes) {
          if (box.checked !== checked) {
            box.checked = checked;
            box.dispatchEvent(new Event("change"));
          }
        }
      });
      holder.append(button);
    }
  }

  const dateFrom = $("date-from");
  const dateTo = $("date-to");
  for (const input of [dateFrom, dateTo]) {
    input.min = firstDate;
    input.max = lastDate;
  }
  dateFrom.addEventListener("change", () => {
    state.from = dateFrom.value || firstDate;
    apply();
  });
  dateTo.addEventListener("change", () => {
    state.to = dateTo.value || lastDate;
    apply();
  });

  for (const type of data.types) {
    const row = el("div");
    row.append(shapeSwatch(type.shape, type.color), el("span", "text", type.label), el("span", "count", type.actors));
    $("legend-types").append(row);
  }

  // ---- search and focus ------------------------------------------------------------------

  const names = new Map();
  const datalist = $("actor-names");
  for (const node of data.nodes) {
    const option = el("option");
    option.value = node.label;
    datalist.append(option);
    names.set(node.label.toLowerCase(), node.id);
  }
  for (const node of data.nodes) {
    for (const alias of node.aliases) if (!names.has(alias.toLowerCase())) names.set(alias.toLowerCase(), node.id);
  }

  function findActor(query) {
    const wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    if (names.has(wanted)) return names.get(wanted);
    for (const [name, id] of names) if (name.includes(wanted)) return id;
    return undefined;
  }

  function fitVisible() {
    const visible = data.nodes.filter((node) => !shown.nodes.get(node.id)).map((node) => node.id);
    if (visible.length) network.fit({ nodes: visible, animation: false });
  }

  function focusActor(id) {
    state.focus = id;
    apply();
    network.selectNodes([id]);
    fitVisible();
    showNodePanel(id);
    reveal(network.canvasToDOM(network.getPositions([id])[id]));
  }

  const search = $("search");
  const searchMessage = $("search-message");
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = findActor(search.value);
    searchMessage.hidden = id !== undefined;
    if (id === undefined) {
      searchMessage.textContent =
        (whole ? "No actor on this page is called \u201c" : "No actor is called \u201c") + search.value.trim() + "\u201d.";
    } else if (id === null) {
      state.focus = null;
      apply();
      fitVisible();
    } else {
      focusActor(id);
    }
  });

  function reset() {
    state = defaults();
    relationBoxes.forEach((box) => (box.checked = true));
    certaintyBoxes.forEach((box) => (box.checked = state.certainties.has(box.value)));
    sourceBoxes.forEach((box) => (box.checked = true));
    dateFrom.value = firstDate;
    dateTo.value = lastDate;
    search.value = "";
    searchMessage.hidden = true;
    closePanel();
    network.unselectAll();
    apply();
    network.fit({ animation: false });
  }
  $("reset").addEventListener("click", reset);
  $("empty-reset").addEventListener("click", reset);

  // ---- start -----------------------------------------------------------------------------

  dateFrom.value = firstDate;
  dateTo.value = lastDate;
  const ofWhole = (n, all, noun) => n.toLocaleString("en") + " of " + plural(all, noun);
  $("summary").textContent = whole
    ? ofWhole(data.nodes.length, whole.actors, "actor") + " (those in most claims) \u00b7 " +
      ofWhole(claims.length, whole.claims, "claim") + " (those between them) from " +
      ofWhole(sources.length, whole.sources, "source article") + ". Every claim is in claims.csv and graph.ttl."
    : plural(data.nodes.length, "actor") + " \u00b7 " + plural(claims.length, "claim") + " from " + plural(sources.length, "source article");
  const api = { network, nodes, edges, apply, reset, focusActor, ready: false, drawnAt: null };
  api.state = () => state;
  /** What vis-network draws right now: visible nodes and edges (hidden ones and those of hidden nodes left out). */
  api.rendered = () => ({ nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length });
  window.actorgraph = api;
  network.once("afterDrawing", () => {
    performance.mark("actorgraph:drawn");
    api.drawnAt = performance.now();
    api.ready = true;
  });
  apply();
  network.fit({ animation: false });
})();
