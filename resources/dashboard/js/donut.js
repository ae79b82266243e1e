// SPDX-License-Identifier: MIT
// Cards by status: a donut (one arc per status with cards) with the total in its middle, and
// a legend of all six statuses with counts and shares. A click on an arc or a legend row lists
// the cards of that status.
import { ctx, d3, escapeHtml, statusColor, statusName, t, cards } from './context.js';
import { hideTooltip, showTooltip } from './tooltip.js';

export function drawDonut(chart, legend, byStatus, onOpen) {
  const total = d3.sum(byStatus, (d) => d.count);
  // The legend beside it needs about 200 px for name, count and share: the donut takes the rest.
  const wrap = chart.parentElement;
  const size = Math.max(110, Math.min(wrap.clientHeight - 4, wrap.clientWidth - 215, wrap.clientWidth * 0.45, 260));
  const radius = size / 2;
  const svg = d3.select(chart).selectAll('svg').data([null]).join('svg')
    .attr('width', size).attr('height', size)
    .attr('viewBox', [-radius, -radius, size, size]);
  svg.selectAll('*').remove();

  const tip = (event, d) => showTooltip(event,
    `<b>${escapeHtml(statusName(d.status))}</b>: ${cards(d.count)} (${ctx.fmt.percent(total ? d.count / total : 0)})`
    + `<div class="hint">${t('clickHint')}</div>`);

  const pie = d3.pie().sort(null).value((d) => d.count);
  const arc = d3.arc().innerRadius(radius * 0.6).outerRadius(radius - 2).padAngle(0.008);
  svg.append('g').selectAll('path')
    .data(pie(byStatus.filter((d) => d.count > 0)))
    .join('path')
    .attr('class', 'arc')
    .attr('data-status', (d) => d.data.status)
    .attr('fill', (d) => statusColor(d.data.status))
    .attr('d', arc)
    .on('mousemove', (event, d) => tip(event, d.data))
    .on('mouseleave', hideTooltip)
    .on('click', (event, d) => onOpen(d.data.status));

  // The total fits the hole: its size follows the donut's.
  svg.append('text').attr('class', 'center-value').attr('text-anchor', 'middle').attr('dy', '0.1em')
    .style('font-size', `${Math.min(20, Math.round(radius * 0.25))}px`)
    .text(ctx.fmt.int(total));
  svg.append('text').attr('class', 'center-label').attr('text-anchor', 'middle').attr('dy', '1.5em')
    .text(t('total'));

  d3.select(legend).selectAll('li')
    .data(byStatus, (d) => d.status)
    .join((enter) => {
      const li = enter.append('li');
      li.append('span').attr('class', 'swatch');
      li.append('span').attr('class', 'name');
      li.append('span').attr('class', 'count');
      li.append('span').attr('class', 'pct');
      return li;
    })
    .attr('data-status', (d) => d.status)
    .classed('zero', (d) => d.count === 0)
    .on('click', (event, d) => onOpen(d.status))
    .on('mousemove', tip)
    .on('mouseleave', hideTooltip)
    .call((li) => {
      li.select('.swatch').style('background', (d) => statusColor(d.status));
      li.select('.name').text((d) => statusName(d.status));
      li.select('.count').text((d) => ctx.fmt.int(d.count));
      li.select('.pct').text((d) => ctx.fmt.percent(total ? d.count / total : 0));
    });
  return svg.selectAll('path.arc').size();
}
