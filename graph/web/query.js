// The query page: pick a named query or write one, run it, read and download the results.
// Every value from the server is shown with textContent: data, never markup.
"use strict";

const PREFIXES = [
  ["actor:", "https://w3id.org/actorgraph/actor/"], ["rel:", "https://w3id.org/actorgraph/rel/"],
  ["claim:", "https://w3id.org/actorgraph/claim/"], ["citation:", "https://w3id.org/actorgraph/citation/"],
  ["source:", "https://w3id.org/actorgraph/source/"], ["graph:", "https://w3id.org/actorgraph/graph/"],
  ["ag:", "https://w3id.org/actorgraph/ns#"],
];
const FORMATS = ["csv", "tsv", "json", "xml"];
let queries = [];
let loadedText = "";

const $ = (id) => document.getElementById(id);
const element = (tag, text) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; return node; };

function shorten(value) {
  for (const [prefix, namespace] of PREFIXES) {
    if (value.startsWith(namespace)) return prefix + value.slice(namespace.length);
  }
  return value;
}

function current() {
  const named = queries.find((q) => q.name === $("named").value);
  return named && $("editor").value === loadedText ? named : null;
}

function paramValues() {
  const values = new URLSearchParams();
  for (const input of $("params").querySelectorAll("input")) values.set(input.name, input.value);
  return values;
}

function pick() {
  const named = queries.find((q) => q.name === $("named").value);
  $("params").replaceChildren();
  $("description").textContent = named ? named.description : "Any SPARQL 1.1 query; the graph is read-only.";
  if (!named) return;
  for (const param of named.params) {
    const label = element("label", `${param.name} (${param.type}) — ${param.help}`);
    const input = element("input");
    input.name = param.name;
    input.value = param.default;
    label.append(input);
    $("params").append(label);
  }
  loadedText = named.text;
  $("editor").value = named.text;
}

function requestFor(format) {
  const named = current();
  if (named) {
    const params = paramValues();
    if (format) params.set("format", format);
    return { url: `/api/queries/${encodeURIComponent(named.name)}?${params}`, init: {} };
  }
  const params = new URLSearchParams({ query: $("editor").value });
  if (format) params.set("format", format);
  return format
    ? { url: `/sparql?${params}`, init: {} }
    : { url: "/sparql", init: { method: "POST", body: params } };
}

function downloads(isGraph) {
  const box = $("downloads");
  box.replaceChildren(element("span", "Download: "));
  for (const format of isGraph ? ["turtle", "ntriples"] : FORMATS) {
    const link = element("a", format.toUpperCase());
    link.href = requestFor(format).url;
    box.append(link);
  }
}

function showRows(data) {
  const table = element("table");
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) head.append(element("th", name));
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) {
      const term = binding[name];
      row.insertCell().textContent = !term ? "" : term.type === "uri" ? shorten(term.value) : term.value;
    }
  }
  $("output").replaceChildren(table);
  return `${data.results.bindings.length} row${data.results.bindings.length === 1 ? "" : "s"}`;
}

async function run() {
  const status = $("status");
  status.className = "";
  status.textContent = "Running…";
  const started = performance.now();
  const { url, init } = requestFor(null);
  init.headers = { Accept: "application/sparql-results+json, text/turtle;q=0.9" };
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim() || response.statusText);
    const isGraph = (response.headers.get("Content-Type") || "").startsWith("text/turtle");
    let summary;
    if (isGraph) {
      $("output").replaceChildren(element("pre", text));
      summary = "graph";
    } else {
      const data = JSON.parse(text);
      if ("boolean" in data) {
        $("output").replaceChildren(element("p", `Answer: ${data.boolean}`));
        summary = String(data.boolean);
      } else {
        summary = showRows(data);
      }
    }
    const limited = response.headers.get("X-Row-Limit-Reached") ? " (row limit reached)" : "";
    status.textContent = `${summary}${limited} in ${Math.round(performance.now() - started)} ms`;
    downloads(isGraph);
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
    $("output").replaceChildren();
    $("downloads").replaceChildren();
  }
}

async function start() {
  const response = await fetch("/api/queries");
  queries = await response.json();
  for (const query of queries) {
    const option = element("option", `${query.title} (${query.name})`);
    option.value = query.name;
    $("named").append(option);
  }
  const wanted = new URLSearchParams(location.search).get("name");
  $("named").value = queries.some((q) => q.name === wanted) ? wanted : queries.length ? queries[0].name : "";
  pick();
  $("named").addEventListener("change", pick);
  $("run").addEventListener("click", run);
  $("editor").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
}

start();
