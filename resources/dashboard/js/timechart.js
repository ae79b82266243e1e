// SPDX-License-Identifier: MIT
// A chart of counts per period (activations; imports and terminations): a bar per period and
// series over a time axis, and per period an invisible column that shows a tooltip and, when
// the chart has a click handler, lists the cards of that period.
import { ctx, d3, parseDay, periodLabel, t, timeTickFormat } from './context.js';
import { hideTooltip, showTooltip } from './tooltip.js';

// series: [{key, label, color, area}]; periods: [{start, end, <key>: n}].
export function drawTimeChart(container, periods, granularity, series, { onClick, tooltip }) {
  const width = Math.max(200, container.clientWidth);
  const height = Math.max(120, container.clientHeight);
  const margin = { top: 8, right: 14, bottom: 22, left: 48 };
  const svg = d3.select(container).selectAll('svg').data([null]).join('svg')
    .attr('width', width).attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`); // scales to the paper when printed
  svg.selectAll('*').remove();
  if (periods.length === 0) {
    svg.append('text').attr('class', 'no-data').attr('x', width / 2).attr('y', height / 2)
      .attr('text-anchor', 'middle').text(t('noData'));
    return 0;
  }
  const starts = periods.map((p) => parseDay(p.start));
  const ends = periods.map((p) => parseDay(p.end));
  const mids = starts.map((s, i) => new Date((s.getTime() + ends[i].getTime()) / 2));
  const x = d3.scaleTime().domain([starts[0], ends[ends.length - 1]]).range([margin.left, width - margin.right]);
  const max = d3.max(periods, (p) => d3.max(series, (s) => p[s.key])) || 0;
  const y = d3.scaleLinear().domain([0, Math.max(max, 4)]).nice().range([height - margin.bottom, margin.top]);

  const yTicks = Math.max(2, Math.floor((height - margin.top - margin.bottom) / 32));
  svg.append('g').attr('class', 'gridlines').attr('transform', `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(yTicks).tickSize(-(width - margin.left - margin.right)).tickFormat(''));
  svg.append('g').attr('class', 'axis y').attr('transform', `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(yTicks).tickFormat((v) => (Number.isInteger(v) ? ctx.fmt.int(v) : '')).tickSizeOuter(0));

  // Ticks at period starts only (never in the middle of a week or month), at most one per 80 px.
  const every = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor((width - margin.left - margin.right) / 80))));
  let tickDates = starts.filter((_, i) => i % every === 0);
  if (granularity === 'day' && periods.length > 45)
    tickDates = x.ticks(d3.timeMonth.every(periods.length > 200 ? 2 : 1)).filter((d) => d >= starts[0]);
  svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height - margin.bottom})`)
    .call(d3.axisBottom(x).tickValues(tickDates).tickFormat(timeTickFormat(granularity)).tickSizeOuter(0));

  // Counts per period are bars (side by side when there are several series): a count belongs
  // to its whole period, and a curve through the periods' middles would show values between
  // them that never happened.
  const slot = (i) => Math.max(1, x(ends[i]) - x(starts[i]));
  const gap = (i) => (slot(i) > 6 ? Math.min(4, slot(i) * 0.15) : 0);
  series.forEach((s, k) => {
    const barWidth = (i) => Math.max(1, (slot(i) - 2 * gap(i)) / series.length);
    svg.append('g').attr('class', `bars ${s.key}`).selectAll('rect')
      .data(periods).join('rect')
      .attr('class', 'count-bar').attr('data-series', s.key)
      .attr('data-start', (p) => p.start)
      .attr('x', (p, i) => x(starts[i]) + gap(i) + k * barWidth(i))
      .attr('width', (p, i) => barWidth(i))
      .attr('y', (p) => y(p[s.key] || 0))
      .attr('height', (p) => Math.max(0, y(0) - y(p[s.key] || 0)))
      .attr('fill', s.color).attr('fill-opacity', s.area ? 0.75 : 0.85);
  });

  const focus = svg.append('line').attr('class', 'focus').attr('y1', margin.top).attr('y2', height - margin.bottom)
    .attr('stroke', ctx.theme ? ctx.theme.muted : '#888').attr('stroke-dasharray', '3,3').style('display', 'none');
  svg.append('g').attr('class', 'periods').selectAll('rect')
    .data(periods).join('rect')
    .attr('class', 'period')
    .attr('data-start', (p) => p.start)
    .attr('x', (p, i) => x(starts[i]))
    .attr('width', (p, i) => Math.max(1, x(ends[i]) - x(starts[i])))
    .attr('y', margin.top).attr('height', height - margin.top - margin.bottom)
    .classed('clickable', !!onClick)
    .on('mousemove', (event, p) => {
      const i = periods.indexOf(p);
      focus.style('display', null).attr('x1', x(mids[i])).attr('x2', x(mids[i]));
      showTooltip(event, `<b>${periodLabel(p, granularity)}</b><br>${tooltip(p)}`
        + (onClick ? `<div class="hint">${t('clickHint')}</div>` : ''));
    })
    .on('mouseleave', () => { focus.style('display', 'none'); hideTooltip(); })
    .on('click', (event, p) => { if (onClick) onClick(p); });
  return periods.length;
}
