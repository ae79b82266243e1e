// SPDX-License-Identifier: MIT
// One SIM card's status over time (SIM detail page): a band of coloured segments, one per
// status the card was in, from its creation or import to now, with a marker per change.
import { configure, ctx, d3, escapeHtml, redrawOnResize, statusColor, statusName, t } from './context.js';
import { hideTooltip, showTooltip } from './tooltip.js';

let data = null;

function render() {
  hideTooltip();
  const container = document.getElementById('timeline');
  const width = Math.max(200, container.clientWidth);
  const height = Math.max(60, container.clientHeight);
  const svg = d3.select(container).selectAll('svg').data([null]).join('svg')
    .attr('width', width).attr('height', height);
  svg.selectAll('*').remove();
  const summary = { segments: 0, markers: 0 };
  if (!data)
    return summary;
  const events = (data.events || []).map((e) => ({ ...e, date: new Date(e.at) }));
  if (events.length === 0) {
    svg.append('text').attr('class', 'no-data').attr('x', width / 2).attr('y', height / 2)
      .attr('text-anchor', 'middle').text(t('timelineEmpty'));
    return summary;
  }
  const now = new Date(Math.max(Date.now(), events[events.length - 1].date.getTime() + 1));
  // "now" sits right of the band's end, clear of a marker there (a change made just now): the
  // right margin is the label's own width plus the marker's radius and a gap.
  const nowLabel = svg.append('text').attr('class', 'now-label').attr('dy', '0.35em').text(t('timelineNow'));
  const nowWidth = nowLabel.node().getComputedTextLength();
  const margin = { left: 8, right: Math.ceil(nowWidth) + 14, top: 8, bottom: 22 };
  const x = d3.scaleTime().domain([events[0].date, now]).range([margin.left, width - margin.right]);
  const band = { y: margin.top + 4, h: Math.max(18, height - margin.top - margin.bottom - 8) };
  const segments = events.map((e, i) => ({
    status: e.to || e.from || data.status,
    from: e.date,
    to: i + 1 < events.length ? events[i + 1].date : now,
    event: e,
  })).filter((s) => s.status);

  const seg = svg.append('g').selectAll('g').data(segments).join('g');
  seg.append('rect').attr('class', 'segment').attr('data-status', (s) => s.status)
    .attr('x', (s) => x(s.from)).attr('y', band.y)
    .attr('width', (s) => Math.max(2, x(s.to) - x(s.from))).attr('height', band.h)
    .attr('fill', (s) => statusColor(s.status))
    .on('mousemove', (event, s) => showTooltip(event,
      `<b>${escapeHtml(statusName(s.status))}</b><br>${ctx.fmt.dateTime(s.from)} – ${s.to === now ? t('timelineNow') : ctx.fmt.dateTime(s.to)}`))
    .on('mouseleave', hideTooltip);
  seg.append('text').attr('class', 'segment-label')
    .attr('x', (s) => x(s.from) + 9).attr('y', band.y + band.h / 2).attr('dy', '0.35em')
    .attr('fill', (s) => (s.status === 'SUSPENDED' ? '#2b1d00' : '#ffffff'))
    .text(function (s) {
      const room = x(s.to) - x(s.from) - 14;
      const name = statusName(s.status);
      return room > name.length * 6.5 ? name : '';
    });

  svg.append('g').selectAll('circle').data(events).join('circle')
    .attr('class', 'marker').attr('cx', (e) => x(e.date)).attr('cy', band.y + band.h / 2).attr('r', 4)
    .on('mousemove', (event, e) => showTooltip(event,
      `<b>${ctx.fmt.dateTime(e.date)}</b><br>${e.from ? `${escapeHtml(statusName(e.from))} → ` : ''}${escapeHtml(statusName(e.to || ''))}`
      + (e.by ? `<div class="hint">${escapeHtml(t('by', e.by))}</div>` : '')))
    .on('mouseleave', hideTooltip);

  const span = now - events[0].date;
  svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${band.y + band.h + 2})`)
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110)))
      .tickFormat(span > 300 * 86400e3 ? ctx.fmt.monthYear : ctx.fmt.dayMonth).tickSizeOuter(0));
  nowLabel.attr('x', width - margin.right + 10).attr('y', band.y + band.h / 2).raise();
  summary.segments = segments.length;
  summary.markers = events.length;
  return summary;
}

function show(payload) {
  data = payload;
  const summary = render();
  if (ctx.bridge)
    ctx.bridge.chartsDrawn(summary);
}

redrawOnResize(render);

const boot = window.simdeskBoot || {};
configure(boot.theme, boot.locale, boot.strings);
window.simdesk = { render, show, get data() { return data; } };

new QWebChannel(qt.webChannelTransport, (channel) => {
  const bridge = channel.objects.simdesk;
  bridge.dataChanged.connect(show);
  bridge.themeChanged.connect((theme, locale, strings) => { configure(theme, locale, strings); render(); });
  bridge.stateChanged.connect((state, message) => {
    if (state === 'error') {
      data = null;
      render();
      d3.select('#timeline svg').append('text').attr('class', 'no-data').attr('x', 10).attr('y', 30).text(message);
    }
  });
  ctx.bridge = bridge;
  bridge.pageReady();
});
