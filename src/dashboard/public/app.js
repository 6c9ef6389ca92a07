// The dashboard page: the journeys list, and for the chosen journey its map with live counts, funnel,
// outcomes, paths, uplift and recent runs. Plain script (no build step); Chart.js is served locally.
'use strict';

const REFRESH_MS = 5000;
const state = { journey: null, variant: '', since: '', charts: {}, timer: null, request: 0 };

/** An element with attributes and children (text is always text, never HTML). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function getJson(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

const pct = (n, of) => (of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '—');

async function loadList() {
  const journeys = await getJson('api/journeys');
  const list = document.getElementById('journeys');
  list.replaceChildren(
    ...journeys.map((j) =>
      h(
        'li',
        null,
        h(
          'a',
          {
            href: `#/${encodeURIComponent(j.name)}`,
            class: j.name === state.journey ? 'active' : '',
            'data-journey': j.name,
          },
          h('div', { class: 'name' }, j.name),
          h(
            'div',
            { class: 'meta' },
            `${j.entered} entered · ${j.running} in journey · ${j.converted} ${j.goalOutcome}`,
          ),
        ),
      ),
    ),
  );
  if (!state.journey && journeys.length > 0) location.hash = `#/${encodeURIComponent(journeys[0].name)}`;
}

function query() {
  const params = new URLSearchParams();
  if (state.variant) params.set('variant', state.variant);
  if (state.since) params.set('since', state.since);
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function loadJourney() {
  if (!state.journey) return;
  // Only the latest request draws: a slow answer for an earlier journey or filter is dropped.
  const request = ++state.request;
  const detail = await getJson(`api/journeys/${encodeURIComponent(state.journey)}${query()}`);
  if (request !== state.request) return;
  render(detail);
  document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

function render(d) {
  const main = document.getElementById('main');
  if (main.dataset.journey !== d.name) {
    for (const chart of Object.values(state.charts)) chart.destroy();
    state.charts = {};
    main.replaceChildren(skeleton(d));
    main.dataset.journey = d.name;
  }
  document.getElementById('desc').textContent = d.description || '';
  document
    .getElementById('cards')
    .replaceChildren(
      card(d.entered, 'entered'),
      card(d.running, 'in the journey now'),
      card(d.converted, d.goalOutcome),
      card(pct(d.converted, d.entered), 'conversion'),
    );
  const select = document.getElementById('variant');
  const variants = [...new Set([...d.variants, ...(state.variant ? [state.variant] : [])])];
  if (select.options.length !== variants.length + 1) {
    select.replaceChildren(
      h('option', { value: '' }, 'all variants'),
      ...variants.map((v) => h('option', { value: v }, v)),
    );
  }
  select.value = state.variant;
  document.getElementById('since').value = state.since;

  const map = document.getElementById('map');
  if (d.map.error) map.replaceChildren(h('p', { class: 'error' }, d.map.error));
  else {
    map.innerHTML = d.map.svg;
    document.getElementById('map-note').textContent =
      `Drawn from ${d.map.file}; on each step the runs that passed it and the runs at it now.`;
    document.getElementById('mermaid').textContent = d.map.mermaid;
  }
  document.getElementById('paths').innerHTML = d.paths.svg;
  document.getElementById('paths-note').textContent =
    `${d.paths.sampled} of ${d.paths.total} runs read; grey dashed edges are moves the code allows that nobody took.`;
  document
    .getElementById('dropoffs')
    .replaceChildren(
      ...(d.paths.dropOffs.length
        ? d.paths.dropOffs.slice(0, 5).map((x) => h('li', null, `${x.count} after ${x.after} → ${x.outcome}`))
        : [h('li', { class: 'empty' }, 'none yet')]),
    );

  funnelChart(d.funnel);
  outcomesChart(d.funnel.outcomes, d.goalOutcome);
  uplift(d.uplift);
  runs(d.runs, d.webUiList);
}

function skeleton(d) {
  return h(
    'div',
    null,
    h('div', { class: 'title' }, h('h2', null, d.name), h('p', { id: 'desc' })),
    h(
      'div',
      { class: 'filters' },
      h(
        'label',
        null,
        'Variant ',
        h('select', {
          id: 'variant',
          onchange: (e) => {
            state.variant = e.target.value;
            refresh();
          },
        }),
      ),
      h(
        'label',
        null,
        'Started ',
        h(
          'select',
          {
            id: 'since',
            onchange: (e) => {
              state.since = e.target.value;
              refresh();
            },
          },
          h('option', { value: '' }, 'any time'),
          h('option', { value: '1h' }, 'in the last hour'),
          h('option', { value: '1d' }, 'in the last day'),
          h('option', { value: '7d' }, 'in the last 7 days'),
          h('option', { value: '30d' }, 'in the last 30 days'),
        ),
      ),
      d.webUiList
        ? h('a', { href: d.webUiList, target: '_blank', rel: 'noopener' }, 'All runs in the Temporal Web UI')
        : null,
    ),
    h('div', { id: 'cards', class: 'cards' }),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { class: 'panel', id: 'map-panel' },
        h('h3', null, 'Journey map'),
        h('p', { class: 'note', id: 'map-note' }),
        h('div', { class: 'svg-box', id: 'map' }),
        h('details', null, h('summary', null, 'Mermaid'), h('pre', { id: 'mermaid' })),
      ),
      h(
        'div',
        null,
        h(
          'section',
          { class: 'panel', id: 'funnel-panel' },
          h('h3', null, 'Funnel'),
          h('div', { class: 'chart-box' }, h('canvas', { id: 'funnel-chart' })),
        ),
        h(
          'section',
          { class: 'panel', id: 'outcomes-panel' },
          h('h3', null, 'Outcomes'),
          h('div', { class: 'chart-box' }, h('canvas', { id: 'outcomes-chart' })),
        ),
        h(
          'section',
          { class: 'panel', id: 'uplift-panel' },
          h('h3', null, 'A/B uplift'),
          h('div', { id: 'uplift' }),
        ),
      ),
    ),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { class: 'panel', id: 'paths-panel' },
        h('h3', null, 'Paths customers took'),
        h('p', { class: 'note', id: 'paths-note' }),
        h('div', { class: 'svg-box', id: 'paths' }),
      ),
      h(
        'div',
        null,
        h(
          'section',
          { class: 'panel' },
          h('h3', null, 'Where customers drop off'),
          h('ol', { id: 'dropoffs' }),
        ),
        h(
          'section',
          { class: 'panel', id: 'runs-panel' },
          h('h3', null, 'Recent runs'),
          h('div', { id: 'runs' }),
        ),
      ),
    ),
  );
}

function card(value, label) {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'value' }, value),
    h('div', { class: 'label' }, label),
  );
}

function upsertChart(id, config) {
  const existing = state.charts[id];
  if (existing) {
    existing.data = config.data;
    existing.update('none');
    return;
  }
  state.charts[id] = new window.Chart(document.getElementById(id), config);
}

function funnelChart(funnel) {
  upsertChart('funnel-chart', {
    type: 'bar',
    data: {
      labels: ['entered', ...funnel.steps.map((s) => s.step)],
      datasets: [
        {
          label: 'passed',
          data: [funnel.entered, ...funnel.steps.map((s) => s.passed)],
          backgroundColor: '#6366f1',
        },
        {
          label: 'at now',
          data: [funnel.running, ...funnel.steps.map((s) => s.at)],
          backgroundColor: '#f59e0b',
        },
        {
          label: funnel.goalOutcome,
          data: [0, ...funnel.steps.map((s) => s.converted)],
          backgroundColor: '#10b981',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

function outcomesChart(outcomes, goal) {
  const names = Object.keys(outcomes).sort((a, b) => outcomes[b] - outcomes[a]);
  upsertChart('outcomes-chart', {
    type: 'bar',
    data: {
      labels: names,
      datasets: [
        {
          label: 'runs',
          data: names.map((n) => outcomes[n]),
          backgroundColor: names.map((n) =>
            n === goal ? '#10b981' : n === 'failed' ? '#ef4444' : '#94a3b8',
          ),
        },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } },
  });
}

function uplift(u) {
  const box = document.getElementById('uplift');
  if (!u) {
    box.replaceChildren(h('p', { class: 'note' }, 'No split in the runs (yet).'));
    return;
  }
  box.replaceChildren(
    h(
      'table',
      null,
      h(
        'tr',
        null,
        h('th', null, 'variant'),
        h('th', { class: 'num' }, 'enrolled'),
        h('th', { class: 'num' }, u.report.goalOutcome),
        h('th', { class: 'num' }, 'rate'),
      ),
      ...u.report.arms.map((a) =>
        h(
          'tr',
          null,
          h('td', null, a.variant),
          h('td', { class: 'num' }, a.enrolled),
          h('td', { class: 'num' }, a.converted),
          h(
            'td',
            { class: 'num' },
            a.rate === null || a.rate === undefined ? '—' : `${(100 * a.rate).toFixed(1)}%`,
          ),
        ),
      ),
    ),
    h('pre', null, u.text),
  );
}

function runs(list, all) {
  document.getElementById('runs').replaceChildren(
    h(
      'table',
      null,
      h(
        'tr',
        null,
        h('th', null, 'customer'),
        h('th', null, 'step'),
        h('th', null, 'outcome'),
        h('th', null, 'variant'),
        h('th', null, 'started'),
      ),
      ...list.map((r) =>
        h(
          'tr',
          null,
          // The customer links to the run's history in the Temporal Web UI.
          h(
            'td',
            null,
            r.url
              ? h(
                  'a',
                  { href: r.url, target: '_blank', rel: 'noopener', title: 'history in the Web UI' },
                  r.customerId || r.workflowId,
                )
              : r.customerId || '—',
          ),
          h('td', null, r.step || '—'),
          h('td', null, r.outcome || (r.status === 'RUNNING' ? 'in journey' : r.status.toLowerCase())),
          h('td', null, r.variant || ''),
          h('td', null, new Date(r.startTime).toLocaleTimeString()),
        ),
      ),
    ),
    all
      ? h(
          'p',
          { class: 'note' },
          h('a', { href: all, target: '_blank', rel: 'noopener' }, 'all runs in the Web UI'),
        )
      : null,
  );
}

function showError(err) {
  document.getElementById('updated').textContent = `not updated: ${err.message}`;
}

function refresh() {
  clearTimeout(state.timer);
  // A hidden tab asks nothing: every refresh is tens of visibility calls.
  if (document.hidden) return;
  Promise.all([loadList(), loadJourney()])
    .catch(showError)
    .finally(() => {
      state.timer = setTimeout(refresh, REFRESH_MS);
    });
}

function route() {
  const name = decodeURIComponent(location.hash.replace(/^#\//, ''));
  state.journey = name || null;
  state.variant = '';
  state.since = '';
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.dataset.journey === name);
  refresh();
}

window.addEventListener('hashchange', route);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) refresh();
});
route();
