// The workbench: builds an option overlay from forms generated from the
// configuration schema, checks it on the server as the CLI would, runs it
// against the baseline with progress, and shows the comparison. Talks only to
// ehsim serve's JSON API (docs/serve.md).
import * as Plot from "@observablehq/plot";

const token = new URLSearchParams(location.hash.slice(1)).get("token");
const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  return { status: response.status, ok: response.ok, data };
}

// ---- money and counts, as a finance officer writes them ----
function pounds(pence, signed = false) {
  if (pence === null || pence === undefined || Number.isNaN(pence)) return "–";
  const value = pence / 100, size = Math.abs(value);
  const text = size >= 1e6 ? `£${(size / 1e6).toFixed(1)}m` : size >= 1e4 ? `£${(size / 1e3).toFixed(0)}k` : `£${size.toFixed(0)}`;
  return (value < 0 ? "−" : signed && value > 0 ? "+" : "") + text;
}
function count(value, signed = false) {
  if (value === null || value === undefined) return "–";
  const rounded = Math.round(value);
  return (rounded < 0 ? "−" : signed && rounded > 0 ? "+" : "") + Math.abs(rounded).toLocaleString("en-GB");
}
const percent = (share) => (share === null || share === undefined ? "–" : `${Math.round(100 * share)}%`);

// ---- state ----
const state = {
  schema: new Map(),  // key with <name> -> its declaration
  authority: null,    // /api/authorities/<name>
  edits: {},          // service -> field -> value
  from: {},           // service -> { month, cases }
  reinvest: { share: 0, to_service: "", from_services: [], lag_months: 12 },
  run: null,          // the id of the run in progress
  history: [],        // finished runs: { option, result }
};

const serviceFields = ["capacity_cases", "contract", "cost_per_case_month_gbp", "duration_mean_months",
  "consent_probability", "escalation_hazard_ratio", "de_escalation_hazard_ratio"];
const statutoryFields = ["cost_per_case_month_gbp", "duration_mean_months", "escalation_hazard_ratio",
  "de_escalation_hazard_ratio"];

function declaration(key) { return state.schema.get(key.replace(/^services\.[^.]+\./, "services.<name>.")); }

function service(name) { return state.authority.services.find((s) => s.name === name); }

// A field: its label, its unit and allowed range from the schema, its help,
// and a place for the server's error about it.
function field(key, value, onChange, options = {}) {
  const doc = declaration(key) ?? {};
  const wrap = document.createElement("div");
  wrap.className = "field";
  wrap.dataset.key = key;
  const label = document.createElement("label");
  const name = key.split(".").pop().replaceAll("_", " ");
  label.append(`${name}${doc.unit ? ` (${doc.unit})` : ""}`);
  let input;
  if (doc.choices) {
    input = document.createElement("select");
    for (const choice of doc.choices) input.add(new Option(choice.word, choice.word));
  } else {
    input = document.createElement("input");
    input.type = options.type ?? "number";
    input.step = doc.type === "integer" ? "1" : "any";
    if (doc.min !== undefined) input.min = doc.min;
    if (doc.max !== undefined) input.max = doc.max;
  }
  input.id = `field-${key.replaceAll(".", "-")}`;
  input.value = value;
  input.addEventListener("input", () => onChange(input.value));
  label.append(input);
  wrap.append(label);
  const help = document.createElement("small");
  help.textContent = `${doc.allowed ? `Allowed: ${doc.allowed}. ` : ""}${doc.description ?? ""}`;
  const error = document.createElement("span");
  error.className = "error";
  wrap.append(help, error);
  return wrap;
}

function renderFields() {
  const box = $("fields");
  box.replaceChildren();
  const chosen = service($("service").value);
  if (!chosen) return;
  const edits = (state.edits[chosen.name] ??= {});
  for (const name of chosen.statutory ? statutoryFields : serviceFields) {
    const key = `services.${chosen.name}.${name}`;
    box.append(field(key, edits[name] ?? chosen[name], (value) => {
      edits[name] = value;
      changed();
    }));
  }
  if (!chosen.statutory) {
    const from = (state.from[chosen.name] ??= { month: "", cases: "" });
    const key = `services.${chosen.name}.capacity_from_month`;
    const row = document.createElement("div");
    row.className = "row";
    row.append(field(`${key}`, from.month, (value) => { from.month = value; changed(); }, { type: "month" }));
    const cases = field(`${key}.cases`, from.cases, (value) => { from.cases = value; changed(); });
    cases.querySelector("label").firstChild.textContent = "cases from that month";
    row.append(cases);
    box.append(row);
  }
}

function renderReinvestment() {
  const box = $("reinvestment-fields");
  box.replaceChildren();
  const r = state.reinvest;
  box.append(field("reinvestment.share", r.share, (v) => { r.share = v; changed(); }));
  const to = document.createElement("select");
  to.id = "reinvest-to";
  to.add(new Option("(choose a service)", ""));
  for (const s of state.authority.services.filter((s) => !s.statutory)) to.add(new Option(s.label, s.name));
  to.value = r.to_service;
  to.addEventListener("input", () => { r.to_service = to.value; changed(); });
  const toLabel = document.createElement("label");
  toLabel.append("into (extra places in)", to);
  box.append(toLabel);
  const from = document.createElement("div");
  from.className = "field";
  from.dataset.key = "reinvestment.from_services";
  from.append("savings on: ");
  for (const s of state.authority.services) {
    const box2 = document.createElement("input");
    box2.type = "checkbox";
    box2.value = s.name;
    box2.checked = r.from_services.includes(s.name);
    box2.addEventListener("input", () => {
      r.from_services = box2.checked ? [...r.from_services, s.name] : r.from_services.filter((n) => n !== s.name);
      changed();
    });
    const l = document.createElement("label");
    l.style.flexDirection = "row";
    l.append(box2, s.label);
    from.append(l);
  }
  const error = document.createElement("span");
  error.className = "error";
  from.append(error);
  box.append(from, field("reinvestment.lag_months", r.lag_months, (v) => { r.lag_months = v; changed(); }));
}

// ---- the option as TOML: only what differs from the authority ----
const tomlValue = (v) => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(tomlValue).join(", ")}]` : String(v));

function optionToml() {
  const lines = [`description = ${tomlValue($("option-description").value)}`];
  for (const s of state.authority.services) {
    const edits = state.edits[s.name] ?? {};
    const body = [];
    for (const [name, raw] of Object.entries(edits)) {
      if (raw === "" || String(raw) === String(s[name])) continue;
      const doc = declaration(`services.${s.name}.${name}`) ?? {};
      body.push(`${name} = ${doc.choices || doc.type === "string" ? tomlValue(String(raw)) : raw}`);
    }
    const from = state.from[s.name];
    if (from && from.month && from.cases !== "") body.push(`capacity_from_month = { ${tomlValue(from.month)} = ${from.cases} }`);
    if (body.length) lines.push("", `[services.${s.name}]`, ...body);
  }
  const r = state.reinvest;
  if (Number(r.share) > 0)
    lines.push("", "[reinvestment]", `share = ${r.share}`, `from_services = ${tomlValue(r.from_services)}`,
      `to_service = ${tomlValue(r.to_service)}`, `lag_months = ${r.lag_months}`);
  return lines.join("\n") + "\n";
}

// ---- checked on the server, as ehsim run --scenario would load it ----
let checkTimer = null;
function changed() {
  $("toml").textContent = optionToml();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 250);
}

function showErrors(errors) {
  for (const box of document.querySelectorAll(".field .error")) box.textContent = "";
  const general = [];
  for (const e of errors) {
    const place = document.querySelector(`.field[data-key="${CSS.escape(e.key)}"] .error`) ??
      document.querySelector(`.field[data-key="${CSS.escape(e.key.replace(/\.\d{4}-\d{2}$/, ""))}"] .error`);
    const text = `${e.file}:${e.line}: ${e.key}: ${e.message}`;
    if (place) place.textContent = e.message; else general.push(text);
  }
  $("general-errors").textContent = general.join("\n");
}

async function check() {
  const answer = await api("POST", "/api/check", { authority: $("authority").value, name: $("option-name").value, toml: optionToml() });
  const body = $("diff").querySelector("tbody");
  body.replaceChildren();
  if (answer.status === 200) {
    showErrors([]);
    for (const d of answer.data.differences) {
      const row = body.insertRow();
      for (const text of [d.key, d.base || "(absent)", d.option || "(absent)"]) row.insertCell().textContent = text;
    }
  } else if (answer.data.errors) {
    showErrors(answer.data.errors);
  } else {
    showErrors([]);
    $("general-errors").textContent = answer.data.error;
  }
  return answer.status === 200;
}

// ---- running ----
// `against`: an earlier option {name, toml} to set this one against.
async function run(against) {
  if (!(await check())) return;
  const months = $("months").value ? Number($("months").value) : undefined;
  const futures = [...document.querySelectorAll("#future-list input:checked")].map((box) => box.value);
  const toml = optionToml();
  const answer = await api("POST", "/api/runs", { authority: $("authority").value, name: $("option-name").value,
    toml, replicates: Number($("replicates").value), months, futures, ...(against ? { against } : {}) });
  if (answer.status !== 202) {
    if (answer.data.errors) showErrors(answer.data.errors); else $("general-errors").textContent = answer.data.error;
    return;
  }
  state.run = answer.data.id;
  $("run").disabled = true;
  $("cancel").disabled = false;
  const started = performance.now();
  for (;;) {
    const status = (await api("GET", `/api/runs/${state.run}`)).data;
    $("progress-bar").max = status.total || 1;
    $("progress-bar").value = status.done || 0;
    $("progress-text").textContent = `${status.state}: ${status.done} of ${status.total} replicates`;
    if (status.state === "done") {
      const reused = status.runs_reused ? ` (${status.runs_reused} of its ${status.runs} runs kept from earlier runs)` : "";
      $("progress-text").textContent = `done: ${status.total} replicates in ${((performance.now() - started) / 1000).toFixed(1)} s${reused}`;
      state.history.push({ option: status.option, description: status.result.option_description, result: status.result, toml, authority: status.authority });
      renderResult(status.result, state.run);
      renderHistory();
      break;
    }
    if (status.state === "failed" || status.state === "cancelled") {
      $("progress-text").textContent = status.state === "failed" ? `failed: ${status.error}` : "cancelled";
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  state.run = null;
  $("run").disabled = false;
  $("cancel").disabled = true;
}

async function cancel() {
  if (state.run !== null) await api("DELETE", `/api/runs/${state.run}`);
}

// ---- the comparison ----
// This option less the one it was set against, replicate by replicate.
function againstTable(result) {
  const d = result.against.differences;
  const range = (c, as) => `${as(d[c].mean, true)} (outcomes ${as(d[c].q05, true)} to ${as(d[c].q95, true)})`;
  const other = result.against.option_description || result.against.option;
  const box = document.createElement("div");
  box.id = "against";
  const title = Object.assign(document.createElement("h4"), { textContent: `Against ${other}` });
  const table = simpleTable("against-table", ["This option less that one", ""], [
    ["Net cost over the horizon", range("spend_nominal", pounds)],
    ["In cash (cashable)", range("cash_spend", pounds)],
    ["Level 4 family-months", range("top_level_family_months", count)],
    ["Children in care at the end", count(d.children_in_care_at_end.mean, true)],
    ["Chance this one costs less", percent(d.first_costs_less.mean)],
    ["Chance of fewer level 4 family-months", percent(d.first_fewer_top_level.mean)],
  ]);
  const note = Object.assign(document.createElement("p"), { className: "note",
    textContent: "Both options run with the same families and luck, each against the baseline; each replicate sets one against the other, so the range is of outcomes, not of the mean." });
  box.append(title, table, note);
  return box;
}

function headlineRows(result) {
  const d = result.differences;
  const range = (c) => `${pounds(d[c].mean, true)} (outcomes ${pounds(d[c].q05, true)} to ${pounds(d[c].q95, true)})`;
  return [
    ["Net cost over the horizon", range("spend_nominal")],
    ["In today's money (NPV)", pounds(d.spend_discounted.mean, true)],
    ["In cash (cashable)", pounds(result.cash_difference_mean, true)],
    ["On its own lines / elsewhere", `${pounds(d.own_lines.mean, true)} / ${pounds(d.consequence.mean, true)}`],
    ["Level 4 family-months", `${count(d.top_level_family_months.mean, true)} (outcomes ${count(d.top_level_family_months.q05, true)} to ${count(d.top_level_family_months.q95, true)})`],
    ["Children in care at the end", count(d.children_in_care_at_end.mean, true)],
    ["Saved elsewhere per £1 it spends", d.return_per_pound.mean === null ? "–" : `£${d.return_per_pound.mean.toFixed(2)}`],
    ["Chance it saves money", percent(d.saves_money.mean)],
  ];
}

function monthDate(start, m) {
  const [y, mo] = start.split("-").map(Number);
  return new Date(Date.UTC(y, mo - 1 + m, 1));
}

function fanChart(result, level) {
  const rows = [];
  for (const [scenario, name] of [["baseline", "baseline"], [result.option, "option"]]) {
    const demand = result.scenarios[scenario].demand;
    demand.mean[level].forEach((mean, m) => rows.push({ name, date: monthDate(result.start_month, m), mean,
      low: demand.q05[level][m], high: demand.q95[level][m] }));
  }
  const figure = document.createElement("figure");
  figure.className = "fan";
  figure.dataset.level = String(level + 1);
  figure.append(Plot.plot({
    width: 440, height: 220, marginLeft: 60, y: { zero: true, label: "families" }, x: { label: null }, color: { legend: true, domain: ["baseline", "option"], range: ["#888", "#1f6fb2"] },
    marks: [
      Plot.areaY(rows, { x: "date", y1: "low", y2: "high", fill: "name", fillOpacity: 0.2 }),
      Plot.lineY(rows, { x: "date", y: "mean", stroke: "name" }),
      Plot.ruleY([0]),
    ],
  }));
  const caption = document.createElement("figcaption");
  caption.textContent = `${result.levels[level]}: families, mean and 5%–95% of replicates (axis from 0)`;
  figure.append(caption);
  return figure;
}

// A file of a finished run, fetched with the token and saved or opened.
async function fetchFile(id, file, open) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(`/api/runs/${id}/${file}`, { headers });
  if (!response.ok) {
    const text = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
    $("general-errors").textContent = text.error;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  if (open) window.open(url, "_blank");
  else Object.assign(document.createElement("a"), { href: url, download: `${file}` }).click();
}

function renderResult(result, id) {
  $("results-empty").hidden = true;
  const box = $("comparison");
  box.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = `${result.option_description || result.option} against ${result.authority} as it is, ${result.months} months, ${result.replicates} replicates`;
  const table = document.createElement("table");
  table.id = "headline";
  for (const [label, value] of headlineRows(result)) {
    const row = table.insertRow();
    row.insertCell().textContent = label;
    const cell = row.insertCell();
    cell.textContent = value;
    cell.className = "number";
  }
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = `Mean over replicates of the option less the baseline, with the same families and luck; "outcomes" is the 5%–95% range of the replicates' differences, not the interval of the mean. Money in ${result.price_year ? `${result.price_year} prices (real terms)` : "the configuration's prices"}, undiscounted unless said; negative is a saving.`;
  const charts = document.createElement("div");
  charts.className = "charts";
  for (let level = result.levels.length - 1; level >= 0; --level) charts.append(fanChart(result, level));
  const payers = document.createElement("table");
  payers.id = "who-pays";
  payers.createTHead().insertRow().append(...["Who pays", "Change", "of which in cash"].map((t) => Object.assign(document.createElement("th"), { textContent: t })));
  for (const p of result.by_payer) {
    const row = payers.insertRow();
    row.insertCell().textContent = p.payer;
    Object.assign(row.insertCell(), { textContent: pounds(p.total, true), className: "number" });
    Object.assign(row.insertCell(), { textContent: pounds(p.cashable, true), className: "number" });
  }
  box.append(title, table, note);
  if (result.against) box.append(againstTable(result));
  if (result.decision.length > 1) box.append(decisionTable(result));
  box.append(charts, payers, waitingTable(result), dashboardTable(result));
  const csv = document.createElement("button");
  csv.type = "button";
  csv.id = "download-csv";
  csv.textContent = "Download the table (CSV)";
  csv.addEventListener("click", () => {
    const text = ["measure,value", ...headlineRows(result).map(([k, v]) => `"${k}","${v}"`)].join("\n");
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `${result.option}.csv` });
    link.click();
  });
  const h5 = Object.assign(document.createElement("button"), { type: "button", id: "download-results", textContent: "Download the results file (HDF5)" });
  h5.addEventListener("click", () => fetchFile(id, "results.h5", false));
  const report = Object.assign(document.createElement("button"), { type: "button", id: "open-report", textContent: "Open the board report" });
  report.addEventListener("click", () => fetchFile(id, "report.html", true));
  const buttons = document.createElement("div");
  buttons.className = "row buttons";
  buttons.append(csv, h5, report);
  box.append(buttons);
}

// The option as planned and under each future, each against that future without it.
function decisionTable(result) {
  const rows = result.decision.map((cell) => [cell.future ? cell.future.replaceAll("_", " ") : "as planned",
    `${pounds(cell.spend_nominal.mean, true)} (${pounds(cell.spend_nominal.q05, true)} to ${pounds(cell.spend_nominal.q95, true)})`,
    pounds(cell.cash_difference_mean, true), count(cell.top_level_family_months.mean, true),
    count(cell.children_in_care_at_end.mean, true), percent(cell.saves_money.mean)]);
  const wrap = document.createElement("div");
  wrap.append(Object.assign(document.createElement("h4"), { textContent: "Under each future, against that future without the option" }),
    simpleTable("decision", ["Future", "Net cost (outcomes)", "In cash", "Level 4 family-months", "Children in care at the end", "Chance it saves money"], rows));
  return wrap;
}

function simpleTable(id, heads, rows) {
  const table = document.createElement("table");
  table.id = id;
  table.createTHead().insertRow().append(...heads.map((t) => Object.assign(document.createElement("th"), { textContent: t })));
  for (const cells of rows) {
    const row = table.insertRow();
    cells.forEach((text, i) => Object.assign(row.insertCell(), { textContent: text, className: i ? "number" : "" }));
  }
  return table;
}

// Waiting lists against capacity, an average month, in the baseline and with the option.
function waitingTable(result) {
  const base = result.scenarios.baseline.services, option = result.scenarios[result.option].services;
  const rows = option.filter((s) => !s.statutory).map((s) => {
    const b = base.find((x) => x.name === s.name);
    return [s.label, b ? count(b.capacity_mean) : "–", count(s.capacity_mean), b ? count(b.waiting_mean) : "–", count(s.waiting_mean)];
  });
  const wrap = document.createElement("div");
  wrap.append(Object.assign(document.createElement("h4"), { textContent: "Waiting lists, an average month" }),
    simpleTable("waiting", ["Service", "Places (baseline)", "Places (option)", "Waiting (baseline)", "Waiting (option)"], rows));
  return wrap;
}

// The dashboard in the last financial year: the baseline and the option.
function dashboardTable(result) {
  const base = result.scenarios.baseline.dashboard, option = result.scenarios[result.option].dashboard;
  const last = option.by_year.length - 1;
  const year = result.financial_years[last];
  const shown = ["referrals", "re_referrals", "referrals_to_early_help", "early_help_open_cases", "children_on_plans",
    "children_in_care", "families_waiting"];
  const rows = shown.map((name) => {
    const i = option.names.indexOf(name);
    return [name.replaceAll("_", " "), count(base.by_year[last][i]), count(option.by_year[last][i]),
      count(option.by_year[last][i] - base.by_year[last][i], true)];
  });
  const wrap = document.createElement("div");
  wrap.append(Object.assign(document.createElement("h4"), { textContent: `The dashboard, FY${year}-${String((year + 1) % 100).padStart(2, "0")} (flows over the year, stocks at its end)` }),
    simpleTable("dashboard", ["Indicator", "Baseline", "Option", "Change"], rows));
  return wrap;
}

function renderHistory() {
  const box = $("side-by-side");
  box.replaceChildren();
  const against = againstRow();
  if (state.history.length < 2) {
    if (against) box.append(against);
    return;
  }
  const title = document.createElement("h3");
  title.textContent = "Side by side";
  const table = document.createElement("table");
  table.id = "side-by-side-table";
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement("th"), { textContent: "" }));
  for (const h of state.history) head.append(Object.assign(document.createElement("th"), { textContent: h.description || h.option }));
  const rows = state.history.map((h) => headlineRows(h.result));
  rows[0].forEach(([label], i) => {
    const row = table.insertRow();
    row.insertCell().textContent = label;
    for (const r of rows) Object.assign(row.insertCell(), { textContent: r[i][1], className: "number" });
  });
  box.append(title, table);
  if (against) box.append(against);
}

// Set the option in the form against an earlier run of another option of the
// same authority, paired (the latest run of each name).
function againstRow() {
  const latest = new Map();
  state.history.forEach((h, index) => {
    if (h.toml && h.authority === $("authority").value && h.option !== $("option-name").value) latest.set(h.option, index);
  });
  if (latest.size === 0) return null;
  const row = document.createElement("div");
  row.className = "row";
  const choose = Object.assign(document.createElement("select"), { id: "against-choice" });
  for (const [name, index] of latest)
    choose.append(Object.assign(document.createElement("option"), { value: name, textContent: state.history[index].description || name }));
  const go = Object.assign(document.createElement("button"), { type: "button", id: "run-against", textContent: "Run this option against it" });
  go.addEventListener("click", () => {
    const h = state.history[latest.get(choose.value)];
    run({ name: h.option, toml: h.toml });
  });
  row.append(Object.assign(document.createElement("label"), { textContent: "Set against ", htmlFor: "against-choice" }), choose, go);
  return row;
}

// ---- saved options ----
async function renderSaved() {
  const list = $("saved-list");
  list.replaceChildren();
  for (const name of (await api("GET", "/api/options")).data.options ?? []) {
    const item = document.createElement("li");
    const load = document.createElement("button");
    load.type = "button";
    load.textContent = "Load";
    load.dataset.option = name;
    load.addEventListener("click", () => loadOption(name));
    item.append(`${name} `, load);
    list.append(item);
  }
}

async function save() {
  const name = $("option-name").value;
  let answer = await api("PUT", `/api/options/${encodeURIComponent(name)}`, { authority: $("authority").value, toml: optionToml() });
  if (answer.status === 409 && /already saved/.test(answer.data.error) && confirm(`Replace the saved option ${name}?`))
    answer = await api("PUT", `/api/options/${encodeURIComponent(name)}`, { authority: $("authority").value, toml: optionToml(), replace: true });
  if (answer.data.errors) showErrors(answer.data.errors);
  $("saved-message").textContent = answer.ok ? `Saved ${name}.toml in the workspace.` : answer.data.error;
  await renderSaved();
}

// A saved option back into the form, from what it changes.
async function loadOption(name) {
  const saved = await api("GET", `/api/options/${encodeURIComponent(name)}`);
  if (!saved.ok) { $("saved-message").textContent = saved.data.error; return; }
  const answer = await api("POST", "/api/check", { authority: $("authority").value, name, toml: saved.data.toml });
  if (!answer.ok) { $("saved-message").textContent = answer.data.error; return; }
  state.edits = {};
  state.from = {};
  state.reinvest = { share: 0, to_service: "", from_services: [], lag_months: 12 };
  $("option-name").value = name;
  let first = null;
  for (const d of answer.data.differences) {
    const value = d.option === "" ? "" : JSON.parse(d.option.startsWith("[") || d.option.startsWith("\"") || /^-?[\d.eE+-]+$/.test(d.option) ? d.option : JSON.stringify(d.option));
    const parts = d.key.split(".");
    if (d.key === "description") $("option-description").value = value;
    else if (parts[0] === "services" && parts[2] === "capacity_from_month") state.from[parts[1]] = { month: parts[3], cases: value };
    else if (parts[0] === "services" && parts.length === 3) {
      (state.edits[parts[1]] ??= {})[parts[2]] = value;
      first ??= parts[1];
    } else if (parts[0] === "reinvestment") state.reinvest[parts[1]] = value;
  }
  if (first) $("service").value = first;
  else if (Object.keys(state.from).length) $("service").value = Object.keys(state.from)[0];
  renderFields();
  renderReinvestment();
  changed();
  $("saved-message").textContent = `Loaded ${name}.`;
}

// ---- start ----
async function chooseAuthority() {
  state.authority = (await api("GET", `/api/authorities/${$("authority").value}`)).data;
  state.edits = {};
  state.from = {};
  $("authority-description").textContent = `${state.authority.description}; ${state.authority.months} months from ${state.authority.start_month}.`;
  $("months").placeholder = state.authority.months;
  const select = $("service");
  select.replaceChildren();
  for (const s of state.authority.services) select.add(new Option(`${s.label} (${s.kind})`, s.name));
  const intensive = state.authority.services.find((s) => s.kind === "intensive");
  if (intensive) select.value = intensive.name;
  renderFields();
  renderHistory();  // only this authority's options can be set against
  renderReinvestment();
  changed();
}

async function start() {
  for (const key of (await api("GET", "/api/schema")).data.keys) state.schema.set(key.key, key);
  for (const future of (await api("GET", "/api/futures")).data.futures) {
    const box = Object.assign(document.createElement("input"), { type: "checkbox", value: future.name, id: `future-${future.name}` });
    const label = document.createElement("label");
    label.style.flexDirection = "row";
    label.append(box, ` ${future.description || future.name}`);
    $("future-list").append(label);
  }
  const authorities = (await api("GET", "/api/authorities")).data.authorities;
  for (const a of authorities) $("authority").add(new Option(`${a.name}: ${a.description}`, a.name));
  $("authority").addEventListener("input", chooseAuthority);
  $("service").addEventListener("input", renderFields);
  for (const id of ["option-name", "option-description"]) $(id).addEventListener("input", changed);
  $("option-name").addEventListener("input", renderHistory);  // what it can be set against
  $("run").addEventListener("click", () => run());
  $("cancel").addEventListener("click", cancel);
  $("save").addEventListener("click", save);
  await chooseAuthority();
  await renderSaved();
  document.body.dataset.ready = "true";
}

start();
