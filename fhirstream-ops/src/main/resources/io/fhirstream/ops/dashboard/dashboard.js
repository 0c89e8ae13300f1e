// The operator dashboard: renders /api/dashboard snapshots pushed by /api/dashboard/stream.
// Plain DOM and SVG, no library. All text from the server goes through textContent, never
// innerHTML, so a reason string can never become markup.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = {
    captured: '#2563eb', written: '#0e9f6e', lag: '#d97706',
    p50: '#0891b2', p95: '#7c3aed', p99: '#db2777'
  };
  let last = null;

  // ---- formatting -------------------------------------------------------------------------
  function int(n) {
    return n == null ? '—' : Math.round(n).toLocaleString('en-US');
  }
  function rate(x) {
    if (x == null) return '—';
    return x < 10 ? x.toFixed(1) : int(x);
  }
  function ms(x) {
    if (x == null) return { value: '—', unit: '' };
    if (x >= 1000) return { value: (x / 1000).toFixed(x >= 10000 ? 0 : 2), unit: 's' };
    return { value: x < 10 ? x.toFixed(1) : int(x), unit: 'ms' };
  }
  function msText(x) {
    const m = ms(x);
    return m.unit ? m.value + ' ' + m.unit : m.value;
  }
  function clock(t) {
    return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
  }

  // ---- DOM helpers ------------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function text(id, value) {
    const e = $(id);
    if (e.textContent !== value) e.textContent = value;
  }
  function showEmpty(id, empty) { $(id).hidden = !empty; }
  function meter(fraction, fillClass, label) {
    const wrap = el('div', 'meter');
    const track = el('div', 'track');
    const fill = el('div', 'fill' + (fillClass ? ' ' + fillClass : ''));
    fill.style.width = (Math.max(0, Math.min(1, fraction)) * 100).toFixed(1) + '%';
    track.appendChild(fill);
    wrap.appendChild(track);
    if (label != null) wrap.appendChild(el('span', 'text', label));
    return wrap;
  }

  // ---- the line chart: one SVG, y from 0 to a round maximum, x over the series' span ---------
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(max)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
    return 10 * p;
  }

  function lineChart(container, times, series, opts) {
    const width = Math.max(200, container.clientWidth);
    const height = container.clientHeight || 200;
    const m = { left: 52, right: 10, top: 8, bottom: 22 };
    const w = width - m.left - m.right;
    const h = height - m.top - m.bottom;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': opts.label });
    let max = 0;
    let any = false;
    for (const s of series) for (const v of s.values) if (v != null) { any = true; if (v > max) max = v; }
    const top = niceMax(max);
    const x = (i) => m.left + (times.length < 2 ? w : (i / (times.length - 1)) * w);
    const y = (v) => m.top + h - (v / top) * h;

    for (let k = 0; k <= 4; k++) {
      const v = (top * k) / 4;
      root.appendChild(svg('line', { class: 'grid-line', x1: m.left, x2: m.left + w, y1: y(v), y2: y(v) }));
      const label = svg('text', { class: 'axis-label', x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end' });
      label.textContent = opts.format(v);
      root.appendChild(label);
    }
    const spanMs = times.length ? times[times.length - 1] - times[0] : 0;
    const ticks = 5;
    for (let k = 0; k <= ticks; k++) {
      const i = Math.round((k / ticks) * (times.length - 1));
      const ago = Math.round((spanMs * (1 - k / ticks)) / 60000);
      const label = svg('text', {
        class: 'axis-label', x: x(i), y: height - 4,
        'text-anchor': k === 0 ? 'start' : k === ticks ? 'end' : 'middle'
      });
      label.textContent = k === ticks ? 'now' : '−' + ago + ' min';
      root.appendChild(label);
    }
    if (!any) {
      const note = svg('text', { class: 'nodata', x: m.left + w / 2, y: m.top + h / 2, 'text-anchor': 'middle' });
      note.textContent = 'no data yet';
      root.appendChild(note);
    }
    for (const s of series) {
      let d = '';
      let area = '';
      let runStart = -1;
      s.values.forEach((v, i) => {
        if (v == null) {
          if (runStart >= 0 && s.area) area += 'L' + x(i - 1) + ',' + y(0) + 'Z';
          runStart = -1;
          return;
        }
        const point = x(i).toFixed(1) + ',' + y(v).toFixed(1);
        if (runStart < 0) {
          d += 'M' + point;
          if (s.area) area += 'M' + x(i).toFixed(1) + ',' + y(0) + 'L' + point;
          runStart = i;
        } else {
          d += 'L' + point;
          if (s.area) area += 'L' + point;
        }
      });
      if (runStart >= 0 && s.area) area += 'L' + x(s.values.length - 1) + ',' + y(0) + 'Z';
      if (area) root.appendChild(svg('path', { class: 'area', d: area, fill: s.color }));
      if (d) root.appendChild(svg('path', { class: 'series', d: d, stroke: s.color }));
    }
    container.replaceChildren(root);
  }

  function legend(container, series, format) {
    container.replaceChildren(...series.map((s) => {
      const key = el('span', 'key');
      const swatch = el('span', 'swatch');
      swatch.style.background = s.color;
      key.appendChild(swatch);
      key.appendChild(document.createTextNode(s.label + ' '));
      const current = [...s.values].reverse().find((v) => v != null);
      key.appendChild(el('span', 'current', format(current == null ? null : current)));
      return key;
    }));
  }

  // ---- the sections -----------------------------------------------------------------------
  function renderTiles(d) {
    text('total-published', int(d.totals.published));
    text('total-written', int(d.totals.written));
    text('rate-published', rate(d.rates.published));
    text('rate-written', rate(d.rates.written));
    const stored = d.types.filter((t) => t.stored != null);
    text('total-stored', stored.length ? int(stored.reduce((a, t) => a + t.stored, 0)) : '—');
    text('type-count', String(d.types.length));
    text('total-lag', int(d.totals.lag));
    text('topic-count', String(d.lag.length));
    const p95 = ms(d.latency.p95);
    text('latency-p95', p95.value);
    text('latency-p95-unit', p95.unit);
    text('latency-p50', msText(d.latency.p50));
    text('latency-p99', msText(d.latency.p99));
    text('latency-window', String(d.latency.windowSeconds));
    text('total-dead-letters', int(d.totals.deadLetters));
    $('tile-dead-letters').classList.toggle('alert', d.totals.deadLetters > 0);
  }

  function renderCharts(d) {
    const s = d.series;
    const throughput = [
      { label: 'Captured', color: COLORS.captured, values: s.published },
      { label: 'Written', color: COLORS.written, values: s.written }
    ];
    legend($('legend-throughput'), throughput, (v) => rate(v) + '/s');
    lineChart($('chart-throughput'), s.times, throughput, { label: 'Throughput', format: (v) => rate(v) });

    const latency = [
      { label: 'p50', color: COLORS.p50, values: s.p50 },
      { label: 'p95', color: COLORS.p95, values: s.p95 },
      { label: 'p99', color: COLORS.p99, values: s.p99 }
    ];
    text('latency-series-window', String(s.latencyWindowSeconds));
    legend($('legend-latency'), latency, msText);
    lineChart($('chart-latency'), s.times, latency, { label: 'Write latency', format: (v) => int(v) });

    const lag = [{ label: 'Lag', color: COLORS.lag, values: s.lag, area: true }];
    legend($('legend-lag'), lag, int);
    lineChart($('chart-lag'), s.times, lag, { label: 'Sink lag', format: int });
  }

  function renderLag(d) {
    const body = $('lag-table').tBodies[0];
    const max = Math.max(1, ...d.lag.map((t) => t.lag));
    body.replaceChildren(...d.lag.map((t) => {
      const tr = el('tr');
      tr.dataset.topic = t.topic;
      tr.appendChild(el('td', 'topic', t.topic));
      tr.appendChild(el('td', 'num partitions', int(t.partitions)));
      tr.appendChild(el('td', 'num lag', int(t.lag)));
      const bar = el('td');
      bar.appendChild(meter(t.lag / max, 'lag'));
      tr.appendChild(bar);
      return tr;
    }));
    showEmpty('lag-empty', d.lag.length === 0);
  }

  function renderTypes(d) {
    const body = $('types-table').tBodies[0];
    body.replaceChildren(...d.types.map((t) => {
      const tr = el('tr');
      tr.dataset.type = t.type;
      tr.appendChild(el('td', 'type', t.type));
      tr.appendChild(el('td', 'num published', int(t.published)));
      tr.appendChild(el('td', 'num written', int(t.written)));
      tr.appendChild(el('td', 'num stored', t.stored == null ? '—' : int(t.stored)));
      const load = el('td', 'load');
      if (t.loadDone != null) {
        const known = t.loadTotal != null && t.loadTotal >= 0;
        const fraction = known ? (t.loadTotal === 0 ? 1 : t.loadDone / t.loadTotal) : 1;
        const done = known && t.loadDone >= t.loadTotal;
        const label = known
          ? int(t.loadDone) + ' / ' + int(t.loadTotal) + (done ? ' ✓' : ' (' + Math.floor(fraction * 100) + '%)')
          : int(t.loadDone) + ' / ?';
        load.appendChild(meter(fraction, done ? 'done' : known ? '' : 'indeterminate', label));
      }
      tr.appendChild(load);
      return tr;
    }));
    showEmpty('types-empty', d.types.length === 0);
  }

  function bars(container, rows, keyOf, valueOf) {
    const max = Math.max(1e-9, ...rows.map(valueOf));
    container.replaceChildren(...rows.map((r) => {
      const row = el('div', 'row');
      row.appendChild(el('span', 'key', keyOf(r)));
      row.lastChild.title = keyOf(r);
      const track = el('div', 'track');
      const fill = el('div', 'fill');
      fill.style.width = ((Math.max(0, valueOf(r)) / max) * 100).toFixed(1) + '%';
      track.appendChild(fill);
      row.appendChild(track);
      const v = valueOf(r);
      row.appendChild(el('span', 'count', Number.isInteger(v) ? int(v) : v.toLocaleString('en-US', { maximumFractionDigits: 2 })));
      return row;
    }));
  }

  function renderDeadLetters(d) {
    const dl = d.deadLetters;
    const reasons = $('dead-letter-reasons');
    reasons.classList.add('danger');
    bars(reasons, dl.byReason, (r) => r.reason, (r) => r.count);
    showEmpty('dead-letter-reasons-empty', dl.byReason.length === 0);
    $('dead-letter-latest').replaceChildren(...dl.latest.map((l) => {
      const li = el('li');
      li.appendChild(el('span', 'time', clock(l.time)));
      li.appendChild(el('span', 'topic', l.topic || ''));
      li.appendChild(el('span', 'reason', l.reason));
      return li;
    }));
    showEmpty('dead-letter-latest-empty', dl.latest.length === 0);
  }

  function renderAggregates(d) {
    $('aggregates').replaceChildren(...d.aggregates.map((a) => {
      const box = el('div', 'aggregate');
      const title = el('h3', null, a.name + ' ');
      if (a.unit) title.appendChild(el('span', 'unit', '(' + a.unit + ')'));
      box.appendChild(title);
      const list = el('div', 'bars');
      bars(list, a.groups, (g) => g.key, (g) => g.value);
      box.appendChild(list);
      if (a.groups.length === 0) box.appendChild(el('p', 'empty', 'No groups yet.'));
      return box;
    }));
    showEmpty('aggregates-empty', d.aggregates.length === 0);
  }

  function renderWarnings(d) {
    const box = $('warnings');
    box.replaceChildren(...d.warnings.map((w) => el('div', null, w)));
    box.hidden = d.warnings.length === 0;
  }

  function render(d) {
    last = d;
    renderWarnings(d);
    renderTiles(d);
    renderCharts(d);
    renderLag(d);
    renderTypes(d);
    renderDeadLetters(d);
    renderAggregates(d);
    const updated = $('updated');
    updated.textContent = 'updated ' + clock(d.time);
    updated.dataset.time = String(d.time);
  }

  // ---- health: the readiness probe, every 5 s (its answers are cached server-side) ---------
  function renderHealth(status, body) {
    const pill = $('readiness');
    const up = status === 200;
    pill.className = 'pill ' + (body ? (up ? 'up' : 'down') : 'unknown');
    pill.textContent = body ? (up ? 'Ready' : 'Not ready') : 'Readiness unknown';
    const checks = body ? Object.entries(body.checks) : [];
    $('health-checks').replaceChildren(...checks.map(([name, c]) => {
      const li = el('li');
      li.dataset.check = name;
      li.appendChild(el('span', 'badge ' + (c.status === 'UP' ? 'up' : 'down'), c.status));
      li.appendChild(el('span', 'name', name));
      if (c.detail) li.appendChild(el('span', 'detail', c.detail));
      return li;
    }));
    showEmpty('health-empty', body != null && checks.length === 0);
  }

  function pollHealth() {
    fetch('health/ready', { cache: 'no-store' })
      .then((r) => r.json().then((body) => renderHealth(r.status, body)))
      .catch(() => renderHealth(0, null));
  }

  // ---- the live stream, with plain polling if it cannot be opened ---------------------------
  function connection(state, label) {
    const pill = $('connection');
    pill.className = 'pill ' + state;
    pill.textContent = label;
  }

  function poll() {
    fetch('api/dashboard', { cache: 'no-store' })
      .then((r) => r.json())
      .then((d) => { render(d); connection('up', 'Polling'); })
      .catch(() => connection('down', 'Disconnected'));
  }

  function connect() {
    if (!window.EventSource) {
      setInterval(poll, 2000);
      poll();
      return;
    }
    const stream = new EventSource('api/dashboard/stream');
    stream.onopen = () => connection('up', 'Live');
    stream.onmessage = (e) => { connection('up', 'Live'); render(JSON.parse(e.data)); };
    stream.onerror = () => { connection('down', 'Reconnecting…'); poll(); };
  }

  window.addEventListener('resize', () => { if (last) renderCharts(last); });
  document.addEventListener('DOMContentLoaded', () => {
    connect();
    pollHealth();
    setInterval(pollHealth, 5000);
  });
})();
