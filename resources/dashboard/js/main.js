// SPDX-License-Identifier: MIT
// The dashboard page: connects to C++ over the QWebChannel, says it is ready, and draws what
// C++ pushes (StatsService's JSON). Clicks go back to C++, which opens the SIM list.
import { cards, configure, ctx, d3, parseDay, redrawOnResize, t } from './context.js';
import { drawDonut } from './donut.js';
import { drawKpis } from './kpis.js';
import { drawTariffs } from './tariffs.js';
import { drawTimeChart } from './timechart.js';
import { hideTooltip } from './tooltip.js';

const $ = (id) => document.getElementById(id);
// Milliseconds since the navigation started, for the benchmark (see chartsDrawn).
const timing = { head: window.simdeskBootTime, moduleStart: performance.now() };
let data = null;
let preset = '30d';
let granularity = 'day';

function translatePage() {
  for (const el of document.querySelectorAll('[data-t]'))
    el.textContent = t(el.dataset.t);
  const example = d3.timeFormat(dateInputFormat())(new Date(2026, 10, 30));
  for (const id of ['from', 'to'])
    $(id).placeholder = example;
  document.documentElement.lang = (ctx.locale && ctx.locale.name) || 'en';
  for (const cls of ['imported', 'terminated'])
    document.querySelectorAll(`.key i.${cls}`).forEach((i) => { i.style.background = `var(--${cls})`; });
}

const open = {
  status: (status) => ctx.bridge && ctx.bridge.openStatus(status || ''),
  tariff: (id) => ctx.bridge && (id === null || id === undefined ? ctx.bridge.openNoTariff() : ctx.bridge.openTariff(id)),
  period: (p) => ctx.bridge && ctx.bridge.openActivations(p.start, p.end),
};

// The custom range's dates are typed in the application's date format (from QLocale, with a
// four-digit year), like every other date field of SimDesk; the browser's own date field
// would follow Chromium's locale instead. An ISO date (2026-11-01) is understood too.
function dateInputFormat() {
  return ((ctx.locale && ctx.locale.date) || '%Y-%m-%d').replace('%y', '%Y');
}

function showDate(iso) {
  const day = parseDay(iso);
  return day ? d3.timeFormat(dateInputFormat())(day) : iso;
}

function readDate(text) {
  const s = String(text).trim();
  const day = d3.timeParse(dateInputFormat())(s) || parseDay(s);
  return day ? d3.timeFormat('%Y-%m-%d')(day) : s;
}

function syncSwitches() {
  for (const b of $('range').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b.dataset.preset === preset));
  for (const b of $('granularity').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b.dataset.granularity === granularity));
  $('custom').hidden = preset !== 'custom';
}

export function render() {
  hideTooltip();
  if (!data)
    return null;
  const kpis = data.kpis || {};
  drawKpis($('kpis'), kpis, open.status);
  $('updated').textContent = data.updatedText || '';
  $('report').textContent = data.reportTitle || '';
  const empty = !kpis.total;
  $('empty').hidden = !empty;
  $('charts').hidden = empty;
  const summary = { empty, arcs: 0, legend: 0, bars: 0, points: 0, flowPoints: 0, total: $('kpis').querySelector('.value').textContent };
  if (!empty) {
    summary.arcs = drawDonut($('donut'), $('legend'), data.byStatus || [], open.status);
    summary.legend = $('legend').children.length;
    summary.points = drawTimeChart($('activations'), data.activations || [], granularity,
      [{ key: 'count', color: ctx.theme ? ctx.theme.activations : '#2e9e5b', area: true }],
      { onClick: open.period, tooltip: (p) => t('activated', ctx.fmt.int(p.count)) });
    summary.bars = drawTariffs($('tariffs'), data.byTariff || [], open.tariff);
    summary.flowPoints = drawTimeChart($('flows'), data.importsTerminations || [], granularity,
      [{ key: 'imported', color: ctx.theme ? ctx.theme.imported : '#4c8bf5' },
        { key: 'terminated', color: ctx.theme ? ctx.theme.terminated : '#7a8087' }],
      { tooltip: (p) => `${t('imported')}: ${cards(p.imported)}<br>${t('terminated')}: ${cards(p.terminated)}`
          + `<div class="hint">${t('importedNote')}</div>` });
  }
  return summary;
}

function show(payload) {
  timing.dataReceived = timing.dataReceived || performance.now();
  data = payload;
  if (data.range && data.range.granularity)
    granularity = data.range.granularity;
  if (data.preset)
    preset = data.preset;
  if (data.range) {
    $('from').value = showDate(data.range.from);
    $('to').value = showDate(data.range.to);
  }
  syncSwitches();
  const summary = render();
  if (summary) {
    timing.drawn = timing.drawn || performance.now();
    summary.timing = timing;
  }
  if (ctx.bridge && summary)
    ctx.bridge.chartsDrawn(summary);
}

function setState(state, message) {
  const el = $('state');
  el.classList.toggle('error', state === 'error');
  el.textContent = state === 'loading' ? t('loading') : state === 'error' ? message : '';
}

function request() {
  if (!ctx.bridge)
    return;
  ctx.bridge.requestRange(preset, readDate($('from').value), readDate($('to').value), granularity);
}

function wireSwitches() {
  $('range').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b)
      return;
    preset = b.dataset.preset;
    // A sensible granularity for the span, which the user may change again.
    if (preset === '12m')
      granularity = 'month';
    else if (preset === '90d')
      granularity = 'week';
    else if (preset === '30d')
      granularity = 'day';
    syncSwitches();
    if (preset !== 'custom')
      request();
  });
  $('granularity').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b)
      return;
    granularity = b.dataset.granularity;
    syncSwitches();
    request();
  });
  $('apply').addEventListener('click', request);
}

redrawOnResize(render);

const boot = window.simdeskBoot || {};
configure(boot.theme, boot.locale, boot.strings);
translatePage();
syncSwitches();
wireSwitches();

// For tests and the benchmark: what is drawn now.
window.simdesk = { render, show, get data() { return data; } };

new QWebChannel(qt.webChannelTransport, (channel) => {
  const bridge = channel.objects.simdesk;
  bridge.dataChanged.connect(show);
  bridge.stateChanged.connect(setState);
  bridge.themeChanged.connect((theme, locale, strings) => {
    configure(theme, locale, strings);
    translatePage();
    render();
  });
  ctx.bridge = bridge;
  timing.channelReady = performance.now();
  bridge.pageReady();
});

