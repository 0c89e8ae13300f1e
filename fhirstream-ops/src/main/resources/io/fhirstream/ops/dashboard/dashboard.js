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
  // Axis labels: short, and exact at the round values the grid lines fall on.
  function axisNumber(v) {
    if (v >= 1e6) return +(v / 1e6).toFixed(2) + 'M';
    if (v >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
    return Number.isInteger(v) ? v.toLocaleString('en-US') : +v.toFixed(2) + '';
  }
  function axisMs(v) {
    if (v >= 1000) return +(v / 1000).toFixed(2) + ' s';
    return (Number.isInteger(v) ? v : +v.toFixed(1)) + ' ms';
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
  // Writes only what changed, so the page does not flicker and text stays selectable.
  function put(e, value) {
    if (e.textContent !== value) e.textContent = value;
  }
  function text(id, value) { put($(id), value); }
  function width(e, fraction) {
    const w = (Math.max(0, Math.min(1, fraction)) * 100).toFixed(1) + '%';
    if (e.style.width !== w) e.style.width = w;
  }
  function showEmpty(id, empty) { $(id).hidden = !empty; }

  // Keeps one child per item, matched by key: existing rows are updated in place, not rebuilt.
  function sync(parent, items, keyOf, create, update) {
    const existing = new Map();
    for (const child of [...parent.children]) existing.set(child.dataset.key, child);
    let previous = null;
    items.forEach((item, i) => {
      const key = String(keyOf(item, i));
      let node = existing.get(key);
      if (node) {
        existing.delete(key);
      } else {
        node = create(item);
        node.dataset.key = key;
      }
      update(node, item);
      const expected = previous ? previous.nextSibling : parent.firstChild;
      if (node !== expected) parent.insertBefore(node, expected);
      previous = node;
    });
    for (const node of existing.values()) node.remove();
  }

  function meter(fillClass) {
    const wrap = el('div', 'meter');
    const track = el('div', 'track');
    track.appendChild(el('div', 'fill' + (fillClass ? ' ' + fillClass : '')));
    wrap.appendChild(track);
    wrap.appendChild(el('span', 'text'));
    return wrap;
  }
  function setMeter(wrap, fraction, fillClass, label) {
    const fill = wrap.querySelector('.fill');
    const cls = 'fill' + (fillClass ? ' ' + fillClass : '');
    if (fill.className !== cls) fill.className = cls;
    width(fill, fraction);
    put(wrap.querySelector('.text'), label || '');
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
      const current = s.values.length ? s.values[s.values.length - 1] : null;
      key.appendChild(el('span', 'current', format(current)));
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
    $('latency-tile').title = 'Percentiles of the writes in the last ' + d.latency.windowSeconds + ' s';
    text('total-dead-letters', int(d.totals.deadLetters));
    $('tile-dead-letters').classList.toggle('alert', d.totals.deadLetters > 0);
  }

  function renderCharts(d) {
    const s = d.series;
    const throughput = [
      { label: 'Captured', color: COLORS.captured, values: s.published },
      { label: 'Written', color: COLORS.written, values: s.written }
    ];
    legend($('legend-throughput'), throughput, (v) => (v == null ? '—' : rate(v) + '/s'));
    lineChart($('chart-throughput'), s.times, throughput, { label: 'Throughput', format: axisNumber });

    const latency = [
      { label: 'p50', color: COLORS.p50, values: s.p50 },
      { label: 'p95', color: COLORS.p95, values: s.p95 },
      { label: 'p99', color: COLORS.p99, values: s.p99 }
    ];
    text('latency-series-window', String(s.latencyWindowSeconds));
    legend($('legend-latency'), latency, msText);
    lineChart($('chart-latency'), s.times, latency, { label: 'Write latency', format: axisMs });

    const lag = [{ label: 'Lag', color: COLORS.lag, values: s.lag, area: true }];
    legend($('legend-lag'), lag, int);
    lineChart($('chart-lag'), s.times, lag, { label: 'Sink lag', format: axisNumber });
  }

  function renderLag(d) {
    const max = Math.max(1, ...d.lag.map((t) => t.lag));
    sync($('lag-table').tBodies[0], d.lag, (t) => t.topic,
      (t) => {
        const tr = el('tr');
        tr.dataset.topic = t.topic;
        tr.appendChild(el('td', 'topic', t.topic));
        tr.appendChild(el('td', 'num partitions'));
        tr.appendChild(el('td', 'num lag'));
        const bar = el('td');
        bar.appendChild(meter('lag'));
        tr.appendChild(bar);
        return tr;
      },
      (tr, t) => {
        put(tr.querySelector('.partitions'), int(t.partitions));
        put(tr.querySelector('.lag'), int(t.lag));
        setMeter(tr.querySelector('.meter'), t.lag / max, 'lag');
      });
    showEmpty('lag-empty', d.lag.length === 0);
  }

  function renderTypes(d) {
    sync($('types-table').tBodies[0], d.types, (t) => t.type,
      (t) => {
        const tr = el('tr');
        tr.dataset.type = t.type;
        tr.appendChild(el('td', 'type', t.type));
        for (const c of ['published', 'written', 'stored']) tr.appendChild(el('td', 'num ' + c));
        const load = el('td', 'load');
        load.appendChild(meter());
        tr.appendChild(load);
        return tr;
      },
      (tr, t) => {
        put(tr.querySelector('.published'), int(t.published));
        put(tr.querySelector('.written'), int(t.written));
        put(tr.querySelector('.stored'), t.stored == null ? '—' : int(t.stored));
        const m = tr.querySelector('.meter');
        m.hidden = t.loadDone == null;
        if (t.loadDone == null) return;
        const known = t.loadTotal != null && t.loadTotal >= 0;
        const fraction = known ? (t.loadTotal === 0 ? 1 : t.loadDone / t.loadTotal) : 1;
        const done = known && t.loadDone >= t.loadTotal;
        const label = known
          ? int(t.loadDone) + ' / ' + int(t.loadTotal) + (done ? '  ✓' : '  ' + Math.floor(fraction * 100) + '%')
          : int(t.loadDone) + ' / total unknown';
        setMeter(m, fraction, done ? 'done' : known ? '' : 'indeterminate', label);
      });
    showEmpty('types-empty', d.types.length === 0);
  }

  // Labelled bars: the label and value on one line, the bar under them, scaled to the largest.
  function bars(container, rows, keyOf, valueOf) {
    const max = Math.max(1e-9, ...rows.map(valueOf));
    sync(container, rows, keyOf,
      (r) => {
        const row = el('div', 'row');
        const head = el('div', 'head');
        head.appendChild(el('span', 'key', keyOf(r)));
        head.appendChild(el('span', 'count'));
        row.appendChild(head);
        const track = el('div', 'track');
        track.appendChild(el('div', 'fill'));
        row.appendChild(track);
        return row;
      },
      (row, r) => {
        const v = valueOf(r);
        put(row.querySelector('.count'),
          Number.isInteger(v) ? int(v) : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
        width(row.querySelector('.fill'), Math.max(0, v) / max);
      });
  }

  function renderDeadLetters(d) {
    const dl = d.deadLetters;
    bars($('dead-letter-reasons'), dl.byReason, (r) => r.reason, (r) => r.count);
    showEmpty('dead-letter-reasons-empty', dl.byReason.length === 0);
    sync($('dead-letter-latest'), dl.latest, (l, i) => l.time + '|' + (l.topic || '') + '|' + l.reason + '|' + i,
      (l) => {
        const li = el('li');
        li.appendChild(el('div', 'reason', l.reason));
        const meta = el('div', 'meta');
        meta.appendChild(el('span', 'time', clock(l.time)));
        if (l.topic) meta.appendChild(el('span', 'topic', l.topic));
        li.appendChild(meta);
        return li;
      },
      () => {});
    showEmpty('dead-letter-latest-empty', dl.latest.length === 0);
  }

  function renderAggregates(d) {
    sync($('aggregates'), d.aggregates, (a) => a.name,
      (a) => {
        const box = el('div', 'aggregate');
        const title = el('h3', null, a.name + ' ');
        if (a.unit) title.appendChild(el('span', 'unit', a.unit));
        box.appendChild(title);
        box.appendChild(el('div', 'bars'));
        box.appendChild(el('p', 'empty', 'No groups yet.'));
        return box;
      },
      (box, a) => {
        bars(box.querySelector('.bars'), a.groups, (g) => g.key, (g) => g.value);
        box.querySelector('.empty').hidden = a.groups.length > 0;
      });
    showEmpty('aggregates-empty', d.aggregates.length === 0);
  }

  function renderWarnings(d) {
    const box = $('warnings');
    const joined = d.warnings.join('\n');
    if (box.dataset.shown !== joined) {
      box.dataset.shown = joined;
      box.replaceChildren(...d.warnings.map((w) => el('div', null, w)));
    }
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
    put(pill, body ? (up ? 'Ready' : 'Not ready') : 'Readiness unknown');
    const checks = body ? Object.entries(body.checks) : [];
    sync($('health-checks'), checks, ([name]) => name,
      ([name]) => {
        const li = el('li');
        li.dataset.check = name;
        li.appendChild(el('span', 'badge'));
        li.appendChild(el('span', 'name', name));
        li.appendChild(el('span', 'detail'));
        return li;
      },
      (li, [, c]) => {
        const badge = li.querySelector('.badge');
        badge.className = 'badge ' + (c.status === 'UP' ? 'up' : 'down');
        put(badge, c.status);
        put(li.querySelector('.detail'), c.detail || '');
      });
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
