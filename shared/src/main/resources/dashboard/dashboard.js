// The dashboard: one chart per figure that GET v1/figures lists, each drawn from GET v1/figures/{figure} for the
// range, granularity and filters in the form. The state lives in the page's query string, so a link reproduces a view.

const form = document.getElementById('controls');
const status = document.getElementById('status');
const chartsElement = document.getElementById('charts');

const DAY_MS = 86400000;
const pct = (v) => (v == null ? '–' : (v * 100).toFixed(1) + '%');
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const num = (v) => (v == null ? '–' : compact.format(v));
const usd = (v) => (v == null ? '–' : '$' + (v >= 1 ? v.toFixed(2) : v.toPrecision(2)));
const shortModel = (model) => model.slice(model.lastIndexOf('/') + 1).replace(/^anthropic\./, '');
// A tooltip formatter's result is HTML, and names come from the logs.
const html = (text) => echarts.format.encodeHTML(text);

/** The charts, by figure id. snapshot: the figure is drawn for one period (the form's), not over time. */
const CHARTS = {
  categories: { name: 'Use-case categories', draw: categories },
  subtags: { name: 'Sub-tags within each category', draw: subtags, snapshot: true },
  'open-share': { name: 'Open vs proprietary, by origin', draw: openShare },
  concentration: { name: 'Concentration of open-weight models', draw: concentration },
  sizes: { name: 'Model sizes', draw: sizes },
  reasoning: { name: 'Reasoning', draw: reasoning },
  'tool-calls': { name: 'Tool calls', draw: toolCalls },
  'request-shape': { name: 'Request shape', draw: requestShape },
  'author-spend': { name: 'Spend by author within each category', draw: authorSpend, snapshot: true },
  regions: { name: 'Regions', draw: regions, snapshot: true },
  languages: { name: 'Languages', draw: languages, snapshot: true },
  retention: { name: 'Retention by cohort', draw: retention, timeless: true },
  quadrants: { name: 'Cost vs usage by category', draw: quadrants, snapshot: true },
  elasticity: { name: 'Price elasticity across models', draw: elasticity, snapshot: true },
};

let figures = [];
const cards = new Map();

// A JWT for an API deployed with JWT authorisation (the page itself is served without): kept for this tab only,
// never in the link.
const TOKEN_KEY = 'tokenscope.token';
const token = document.getElementById('token');
token.value = sessionStorage.getItem(TOKEN_KEY) || '';
token.parentElement.hidden = token.value === '';

main().catch((e) => fail('the dashboard could not start: ' + e.message));

async function main() {
  const params = new URLSearchParams(location.search);
  readRange(params);
  for (const name of ['from', 'to', 'granularity']) {
    form.elements[name].addEventListener('change', () => fillPeriods(form.elements.period.value));
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, token.value.trim());
    if (cards.size === 0) {
      location.reload(); // the list of figures itself failed: start again, with the token
      return;
    }
    history.replaceState(null, '', '?' + stateParams());
    drawAll();
  });
  const list = await getJson('v1/figures');
  figures = list.figures;
  buildFilters(params);
  for (const figure of figures) {
    cards.set(figure.figure, buildCard(figure));
  }
  window.addEventListener('resize', () => cards.forEach((card) => card.chart.resize()));
  await drawAll();
}

// ---------------------------------------------------------------- the form and the page's state

function buildFilters(params) {
  const appliesTo = new Map();
  for (const figure of figures) {
    for (const filter of figure.filters) {
      appliesTo.set(filter, [...(appliesTo.get(filter) || []), figure.figure]);
    }
  }
  const container = document.getElementById('filters');
  for (const [filter, ids] of [...appliesTo].sort()) {
    const label = document.createElement('label');
    label.title = 'Applies to: ' + ids.join(', ');
    let input;
    if (filter === 'open') {
      input = document.createElement('select');
      for (const value of ['', 'open', 'proprietary']) {
        input.add(new Option(value || 'any', value));
      }
    } else {
      // A datalist, filled with the values the charts show, suggests without limiting what can be typed.
      input = document.createElement('input');
      input.type = 'search';
      input.placeholder = 'any';
      input.setAttribute('list', 'values-' + filter);
      const datalist = document.createElement('datalist');
      datalist.id = 'values-' + filter;
      container.append(datalist);
    }
    input.name = filter;
    input.value = params.get(filter) || '';
    label.append(filter + ' ', input);
    container.append(label);
  }
}

function readRange(params) {
  const today = new Date(Date.now() - (Date.now() % DAY_MS));
  // The last 52 weeks by default: the report's figures are trends over a year (and the demo data's span).
  form.elements.to.value = params.get('to') || isoDay(today);
  form.elements.from.value = params.get('from') || isoDay(new Date(today.getTime() - 363 * DAY_MS));
  form.elements.granularity.value = params.get('granularity') || 'week';
  fillPeriods(params.get('period'));
}

function stateParams() {
  const params = new URLSearchParams();
  for (const element of form.elements) {
    if (element.name && element.value) {
      params.set(element.name, element.value);
    }
  }
  return params;
}

/** The periods of the range at the granularity (a week is named by its Monday, a month by its 1st), as the API names them. */
function fillPeriods(wanted) {
  const select = form.elements.period;
  const periods = periodsOf(form.elements.from.value, form.elements.to.value, form.elements.granularity.value);
  select.replaceChildren(...periods.map((p) => new Option(p, p)));
  select.value = periods.includes(wanted) ? wanted : periods[periods.length - 1] || '';
}

function periodsOf(from, to, granularity) {
  const end = Date.parse(to);
  const periods = [];
  for (let t = Date.parse(from); t <= end && periods.length < 400; t += DAY_MS) {
    const period = isoDay(periodStart(new Date(t), granularity));
    if (periods[periods.length - 1] !== period) {
      periods.push(period);
    }
  }
  return periods;
}

function periodStart(day, granularity) {
  if (granularity === 'week') {
    return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  }
  if (granularity === 'month') {
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  }
  return day;
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- cards, fetching, drawing

function buildCard(figure) {
  const spec = CHARTS[figure.figure];
  const card = document.createElement('section');
  card.className = 'card';
  const heading = document.createElement('h2');
  heading.textContent = (spec ? spec.name : figure.figure) + ' ';
  const number = document.createElement('span');
  number.textContent = 'report figure ' + figure.report_figure;
  heading.append(number);
  const description = document.createElement('p');
  description.className = 'description';
  description.textContent = figure.title;
  const meta = document.createElement('p');
  meta.className = 'meta';
  const chartElement = document.createElement('div');
  chartElement.className = 'chart';
  chartElement.dataset.figure = figure.figure;
  const notes = document.createElement('details');
  notes.className = 'notes';
  card.append(heading, description, meta, chartElement, notes);
  chartsElement.append(card);
  return { figure, spec, card, meta, notes, chart: echarts.init(chartElement, null, { renderer: 'canvas' }) };
}

async function drawAll() {
  document.body.dataset.state = 'loading';
  status.textContent = 'loading…';
  const results = await Promise.allSettled([...cards.values()].map(draw));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    fail(failed.map((r) => r.reason.message).join('; '));
    return;
  }
  status.textContent = '';
  document.body.dataset.state = 'ready';
}

async function draw(card) {
  const { figure, spec } = card;
  const params = new URLSearchParams({
    from: form.elements.from.value,
    to: form.elements.to.value,
    granularity: form.elements.granularity.value,
  });
  const applied = {};
  for (const filter of figure.filters) {
    const value = form.elements.namedItem(filter).value.trim();
    if (value) {
      params.set(filter, value);
      applied[filter] = value;
    }
  }
  card.chart.showLoading({ text: '' });
  try {
    if (!spec) {
      throw new Error('the dashboard has no chart for figure ' + figure.figure);
    }
    const data = await getJson('v1/figures/' + encodeURIComponent(figure.figure) + '?' + params);
    const period = form.elements.period.value;
    const rows = spec.snapshot ? data.rows.filter((r) => r.period === period) : data.rows;
    remember(data.rows);
    const context = { data, rows, period, applied, card };
    const option = rows.length === 0 ? empty() : spec.draw(context);
    card.chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'inherit' } }, option), true);
    card.meta.textContent = describe(spec, data, period, applied);
    showNotes(card.notes, data.notes.filter((n) => !spec.snapshot || !/^\d{4}-\d{2}-\d{2}: /.test(n)
        || n.startsWith(period + ': ')));
  } catch (e) {
    card.chart.setOption(empty('could not draw: ' + e.message), true);
    throw new Error(figure.figure + ': ' + e.message);
  } finally {
    card.chart.hideLoading();
  }
}

function describe(spec, data, period, applied) {
  const parts = [];
  if (spec.snapshot) {
    parts.push(data.granularity + ' of ' + period);
  } else if (!spec.timeless) {
    parts.push(data.from + ' to ' + data.to + ', by ' + data.granularity);
  }
  for (const [filter, value] of Object.entries(applied)) {
    parts.push(filter + ' = ' + value);
  }
  return parts.join(' · ');
}

function showNotes(element, notes) {
  element.replaceChildren();
  element.hidden = notes.length === 0;
  const summary = document.createElement('summary');
  summary.textContent = notes.length === 1 ? '1 note' : notes.length + ' notes';
  const list = document.createElement('ul');
  for (const note of notes) {
    const item = document.createElement('li');
    item.textContent = note;
    list.append(item);
  }
  element.append(summary, list);
}

/** The values seen for each filter, offered in its input's list. */
function remember(rows) {
  const columns = { category: 'category', origin: 'origin', author: 'author', size: 'size', language: 'language',
    model: 'model' };
  for (const [filter, column] of Object.entries(columns)) {
    const datalist = document.getElementById('values-' + filter);
    if (!datalist) {
      continue;
    }
    const known = new Set([...datalist.options].map((o) => o.value));
    for (const row of rows) {
      const value = row[column];
      if (typeof value === 'string' && value !== 'all' && !known.has(value)) {
        known.add(value);
        datalist.append(new Option(value));
      }
    }
  }
  const countries = document.getElementById('values-country');
  if (countries) {
    const known = new Set([...countries.options].map((o) => o.value));
    rows.filter((r) => r.level === 'country' && !known.has(r.region)).forEach((r) => {
      known.add(r.region);
      countries.append(new Option(r.region));
    });
  }
}

async function getJson(url) {
  const headers = { accept: 'application/json' };
  if (token.value.trim()) {
    headers.authorization = 'Bearer ' + token.value.trim();
  }
  const response = await fetch(url, { headers });
  if (response.status === 401 || response.status === 403) {
    token.parentElement.hidden = false;
    throw new Error('the API refused the request (' + response.status + '): with JWT authorisation, paste a token '
        + 'and apply; with IAM, open the page through a SigV4-signing proxy');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.message || url + ' answered ' + response.status);
  }
  return body;
}

function fail(message) {
  status.textContent = message;
  document.body.dataset.state = 'error';
}

// ---------------------------------------------------------------- shared pieces of the charts

function periods(rows) {
  return [...new Set(rows.map((r) => r.period))].sort();
}

/** One series per value of `key`, a point per period: for stacked areas and lines over time. */
function seriesOverTime(rows, key, value, extra = {}) {
  const xs = periods(rows);
  const byName = new Map();
  for (const row of rows) {
    const name = typeof key === 'function' ? key(row) : row[key];
    if (!byName.has(name)) {
      byName.set(name, new Map());
    }
    byName.get(name).set(row.period, row[value]);
  }
  return [...byName].map(([name, points]) => Object.assign({
    name, type: 'line', symbol: 'none', data: xs.map((x) => points.get(x) ?? 0),
  }, extra));
}

function timeChart(rows, series, yAxis) {
  return {
    tooltip: { trigger: 'axis', valueFormatter: yAxis.valueFormatter },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 24, top: 16, bottom: 64 },
    xAxis: { type: 'category', boundaryGap: false, data: periods(rows) },
    yAxis: Object.assign({ type: 'value', axisLabel: { formatter: yAxis.valueFormatter } }, yAxis.axis),
    series,
  };
}

/** Shares stacked to 100% over time, as the report draws its share figures. */
function shareAreas(rows, key, value = 'share') {
  const series = seriesOverTime(rows, key, value, { stack: 'share', areaStyle: { opacity: 0.85 }, lineStyle: { width: 0.5 } });
  return timeChart(rows, series, { valueFormatter: pct, axis: { max: 1 } });
}

function shareLines(rows, lines) {
  const series = lines.map(([column, name]) => ({
    name, type: 'line', symbolSize: 6, data: periods(rows).map((p) => rows.find((r) => r.period === p)[column]),
  }));
  return timeChart(rows, series, { valueFormatter: pct, axis: { min: 0, max: 1 } });
}

function empty(text = 'no data for this range and these filters') {
  return { title: { text, left: 'center', top: 'middle', textStyle: { color: '#888', fontSize: 13, fontWeight: 'normal' } },
    series: [] };
}

// ---------------------------------------------------------------- one function per figure

function categories({ rows, applied }) {
  return shareAreas(rows.filter((r) => r.scope === (applied.open || 'all')), 'category');
}

function subtags({ rows }) {
  const names = [...new Set(rows.map((r) => r.category))].sort().reverse();
  const bySubtag = new Map();
  for (const row of rows) {
    if (!bySubtag.has(row.subtag)) {
      bySubtag.set(row.subtag, new Map());
    }
    bySubtag.get(row.subtag).set(row.category, row.share_of_category);
  }
  const series = [...bySubtag].map(([subtag, shares]) => ({
    name: subtag, type: 'bar', stack: 'share', barMaxWidth: 18,
    label: { show: true, formatter: (p) => (p.value >= 0.2 ? subtag : ''), color: '#fff', fontSize: 10 },
    data: names.map((c) => shares.get(c) ?? 0),
  }));
  return {
    tooltip: { trigger: 'item', valueFormatter: pct },
    grid: { left: 120, right: 24, top: 8, bottom: 32 },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: pct } },
    yAxis: { type: 'category', data: names },
    series,
  };
}

function openShare({ rows }) {
  return shareAreas(rows, (r) => r.weights + ' · ' + r.origin.replaceAll('_', ' '));
}

function concentration({ rows }) {
  const byModel = rows.filter((r) => r.basis === 'model');
  const option = shareLines(byModel, [['top_share', 'top model share'], ['top5_share', 'top-5 share'], ['hhi', 'HHI']]);
  option.series[2].tooltip = { valueFormatter: (v) => v.toFixed(3) + ' (×10,000: ' + Math.round(v * 10000) + ')' };
  return option;
}

function sizes({ rows }) {
  return shareAreas(rows, 'size');
}

function reasoning({ rows }) {
  return shareLines(rows, [['reasoning_model_share', 'tokens of reasoning models'],
    ['reasoning_token_share', 'reasoning tokens / completion tokens']]);
}

function toolCalls({ rows }) {
  return shareLines(rows, [['tool_call_share', 'tokens in requests ending in a tool call'],
    ['offered_share', 'requests offered tools']]);
}

function requestShape({ rows, applied }) {
  const shown = rows.filter((r) => r.category === (applied.category || 'all'));
  const xs = periods(shown);
  const stats = [['mean', '#5470c6', 'dashed'], ['p50', '#91cc75', 'solid'], ['p90', '#fac858', 'solid'],
    ['p99', '#ee6666', 'solid']];
  const series = [];
  ['prompt', 'completion'].forEach((kind, grid) => {
    for (const [stat, color, type] of stats) {
      series.push({
        name: stat, type: 'line', xAxisIndex: grid, yAxisIndex: grid, symbolSize: 5, color,
        lineStyle: { type }, data: xs.map((p) => shown.find((r) => r.period === p)[kind + '_' + stat]),
      });
    }
  });
  const axisName = (kind) => ({ name: kind + ' tokens per request', nameLocation: 'middle', nameGap: 44,
    type: 'value', axisLabel: { formatter: num } });
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => Math.round(v).toLocaleString('en') },
    legend: { bottom: 0, data: stats.map(([stat]) => stat) },
    grid: [{ left: 64, right: '54%', top: 16, bottom: 64 }, { left: '58%', right: 16, top: 16, bottom: 64 }],
    xAxis: [0, 1].map((i) => ({ type: 'category', gridIndex: i, boundaryGap: false, data: xs })),
    yAxis: [Object.assign(axisName('prompt'), { gridIndex: 0 }), Object.assign(axisName('completion'), { gridIndex: 1 })],
    series,
  };
}

function authorSpend({ rows }) {
  const spend = new Map();
  rows.forEach((r) => spend.set(r.category, (spend.get(r.category) || 0) + r.cost_usd));
  // Most spend first, as the report orders its categories.
  const names = [...spend.keys()].sort((a, b) => spend.get(b) - spend.get(a));
  const authors = [...new Set(rows.map((r) => r.author))].sort();
  const series = authors.map((author) => ({
    name: author, type: 'bar', stack: 'spend', barMaxWidth: 36,
    data: names.map((c) => rows.find((r) => r.category === c && r.author === author)?.spend_share ?? 0),
  }));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pct },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 84 },
    xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', max: 1, axisLabel: { formatter: pct } },
    series,
  };
}

function regions({ rows }) {
  const levels = ['continent', 'country'];
  const series = [];
  const yAxis = [];
  levels.forEach((level, grid) => {
    const shown = rows.filter((r) => r.level === level).sort((a, b) => a.token_share - b.token_share);
    yAxis.push({ type: 'category', gridIndex: grid, data: shown.map((r) => r.region.replaceAll('_', ' ')),
      name: level, nameLocation: 'end', nameTextStyle: { align: 'right', fontWeight: 'bold' } });
    series.push({ name: 'tokens', type: 'bar', xAxisIndex: grid, yAxisIndex: grid, color: '#5470c6',
      data: shown.map((r) => r.token_share) });
    series.push({ name: 'spend', type: 'bar', xAxisIndex: grid, yAxisIndex: grid, color: '#fac858',
      data: shown.map((r) => r.spend_share) });
  });
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pct },
    legend: { bottom: 0, data: ['tokens', 'spend'] },
    grid: [{ left: 104, right: '56%', top: 28, bottom: 40 }, { left: '56%', right: 16, top: 28, bottom: 40 }],
    xAxis: [0, 1].map((i) => ({ type: 'value', gridIndex: i, axisLabel: { formatter: pct } })),
    yAxis,
    series,
  };
}

function languages({ rows }) {
  const shown = [...rows].sort((a, b) => a.share - b.share);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pct },
    grid: { left: 72, right: 56, top: 8, bottom: 32 },
    xAxis: { type: 'value', axisLabel: { formatter: pct } },
    yAxis: { type: 'category', data: shown.map((r) => r.language) },
    series: [{ name: 'tokens', type: 'bar', barMaxWidth: 22, data: shown.map((r) => r.share),
      label: { show: true, position: 'right', formatter: (p) => pct(p.value) } }],
  };
}

/** Retention curves of one model's cohorts; the card's own select picks the model, the most users first. */
function retention(context) {
  const { rows, card } = context;
  const users = new Map();
  rows.filter((r) => r.k === 0).forEach((r) => users.set(r.model, (users.get(r.model) || 0) + r.users));
  const models = [...users.keys()].sort((a, b) => users.get(b) - users.get(a));
  const select = modelSelect(card, models, () => card.chart.setOption(retention(context), true));
  const shown = rows.filter((r) => r.model === select.value);
  const ks = [...new Set(shown.map((r) => r.k))].sort((a, b) => a - b);
  const cohorts = [...new Set(shown.map((r) => r.cohort))].sort();
  const series = cohorts.map((cohort) => {
    const points = shown.filter((r) => r.cohort === cohort);
    const boomerang = points.some((r) => r.boomerang);
    return {
      name: cohort + ' (' + points[0].users + ' users)' + (boomerang ? ' ↩ boomerang' : ''),
      type: 'line', symbol: boomerang ? 'triangle' : 'circle', symbolSize: boomerang ? 10 : 6,
      lineStyle: { type: boomerang ? 'dashed' : 'solid', width: boomerang ? 3 : 2 },
      data: ks.map((k) => points.find((r) => r.k === k)?.retention ?? null),
    };
  });
  return {
    tooltip: { trigger: 'axis', valueFormatter: pct },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 56, right: 24, top: 24, bottom: 64 },
    xAxis: { type: 'category', boundaryGap: false, data: ks.map((k) => 'month ' + k), name: 'months after the first',
      nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: pct } },
    series,
  };
}

function modelSelect(card, models, onChange) {
  let select = card.card.querySelector('select.model');
  if (!select) {
    select = document.createElement('select');
    select.className = 'model';
    select.setAttribute('aria-label', 'model');
    select.addEventListener('change', onChange);
    const label = document.createElement('label');
    label.className = 'card-control';
    label.append('model ', select);
    card.meta.after(label);
  }
  const wanted = select.value;
  select.replaceChildren(...models.map((m) => new Option(m, m)));
  select.value = models.includes(wanted) ? wanted : models[0];
  return select;
}

const QUADRANT_COLORS = {
  'Premium Workloads': '#ee6666',
  'Mass-Market Volume Drivers': '#5470c6',
  'Specialized Experts': '#fac858',
  'Niche Utilities': '#91cc75',
};

/** Figure 11: categories on log-log axes, split at the medians into the report's four quadrants. */
function quadrants({ rows }) {
  const names = Object.keys(QUADRANT_COLORS).filter((q) => rows.some((r) => r.quadrant === q));
  const series = names.map((quadrant) => ({
    name: quadrant, type: 'scatter', symbolSize: 12, color: QUADRANT_COLORS[quadrant],
    label: { show: true, position: 'top', formatter: (p) => p.value[2].replaceAll('_', ' '), fontSize: 10,
      color: '#333' },
    // A label that would cover another is left to the tooltip.
    labelLayout: { hideOverlap: true },
    data: rows.filter((r) => r.quadrant === quadrant).map((r) => [r.tokens, r.cost_per_million_tokens, r.category]),
  }));
  series[0].markLine = {
    silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#999' },
    label: { position: 'insideEndTop', fontSize: 10, color: '#666',
      formatter: (p) => 'median ' + (p.data.xAxis != null ? num(p.value) + ' tokens' : usd(p.value)) },
    data: [{ xAxis: rows[0].median_tokens, label: { position: 'end' } },
      { yAxis: rows[0].median_cost_per_million_tokens }],
  };
  return {
    tooltip: { trigger: 'item', formatter: (p) => html(p.value[2]) + '<br>' + num(p.value[0]) + ' tokens, '
        + usd(p.value[1]) + ' per 1M<br>' + p.seriesName },
    legend: { bottom: 0 },
    grid: { left: 64, right: 48, top: 24, bottom: 72 },
    xAxis: logAxis('tokens', num, rows.map((r) => r.tokens)),
    yAxis: logAxis('USD per 1M tokens', usd, rows.map((r) => r.cost_per_million_tokens), 48),
    series,
  };
}

/** Figure 12: models on log-log axes with the fitted line; its slope and interval are the title. */
function elasticity({ rows }) {
  const fit = rows[0];
  const series = [{
    name: 'models', type: 'scatter', symbolSize: 11, labelLayout: { hideOverlap: true },
    label: { show: true, position: 'top', formatter: (p) => shortModel(p.value[2]), fontSize: 10, color: '#333' },
    data: rows.map((r) => [r.cost_per_million_tokens, r.tokens, r.model]),
  }];
  let title;
  if (fit.slope == null) {
    title = 'no estimate for ' + rows.length + (rows.length === 1 ? ' model' : ' models');
  } else {
    const half = (fit.ci_high - fit.ci_low) / 2;
    title = 'slope ' + fit.slope.toFixed(2) + ' ± ' + half.toFixed(2) + ' (95% CI ' + fit.ci_low.toFixed(2) + ' to '
        + fit.ci_high.toFixed(2) + '), R² ' + fit.r_squared.toFixed(2) + ', ' + fit.models + ' models';
    // The least-squares line goes through the mean of the logs, which only the full set of points gives.
    if (rows.length === fit.models) {
      const logX = rows.map((r) => Math.log(r.cost_per_million_tokens));
      const logY = rows.map((r) => Math.log(r.tokens));
      const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
      const intercept = mean(logY) - fit.slope * mean(logX);
      const ends = [Math.min(...logX), Math.max(...logX)];
      series.push({ name: 'fit', type: 'line', symbol: 'none', color: '#ee6666', lineStyle: { type: 'dashed' },
        tooltip: { show: false }, data: ends.map((x) => [Math.exp(x), Math.exp(intercept + fit.slope * x)]) });
    }
  }
  return {
    title: { text: title, left: 'center', top: 0, textStyle: { fontSize: 13, fontWeight: 'normal' } },
    tooltip: { trigger: 'item', formatter: (p) => html(p.value[2]) + '<br>' + usd(p.value[0]) + ' per 1M, '
        + num(p.value[1]) + ' tokens' },
    grid: { left: 64, right: 96, top: 40, bottom: 48 },
    xAxis: logAxis('USD per 1M tokens', usd, rows.map((r) => r.cost_per_million_tokens)),
    yAxis: logAxis('tokens', num, rows.map((r) => r.tokens), 48),
    series,
  };
}

/**
 * A log axis from the round number (1, 2 or 5 times a power of ten) below the values to the one above: the powers of
 * ten around a tight cluster would squeeze it into a corner, and round ends label well.
 */
function logAxis(name, format, values, nameGap = 30) {
  const round = (v, up) => {
    const power = 10 ** Math.floor(Math.log10(v));
    const steps = up ? [1, 2, 5, 10] : [10, 5, 2, 1];
    return power * steps.find((step) => (up ? power * step >= v : power * step <= v));
  };
  return { type: 'log', logBase: 10, name, nameLocation: 'middle', nameGap, axisLabel: { formatter: format },
    min: round(Math.min(...values) / 1.1, false), max: round(Math.max(...values) * 1.1, true),
    splitLine: { lineStyle: { color: '#eee' } } };
}
