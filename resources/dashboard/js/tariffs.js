// SPDX-License-Identifier: MIT
// Cards by tariff plan: horizontal bars, largest first, "No tariff" last (as the JSON has
// them). A click lists the cards of that plan (or those without one).
import { cards, ctx, d3, escapeHtml, t } from './context.js';
import { hideTooltip, showTooltip } from './tooltip.js';

// A label that is wider than its room is shortened at its end (the first letters say which
// plan it is); the full name is in the tooltip.
function fitText(node, text, room) {
  node.textContent = text;
  if (node.getComputedTextLength() <= room)
    return;
  let n = text.length;
  while (n > 1) {
    n -= 1;
    node.textContent = `${text.slice(0, n).trimEnd()}…`;
    if (node.getComputedTextLength() <= room)
      return;
  }
}

export function drawTariffs(container, byTariff, onOpen) {
  const width = Math.max(200, container.clientWidth - 2);
  const rowHeight = 22;
  const height = Math.max(container.clientHeight - 2, byTariff.length * rowHeight + 6);
  container.classList.toggle('scroll', byTariff.length * rowHeight + 6 > container.clientHeight);
  const svg = d3.select(container).selectAll('svg').data([null]).join('svg')
    .attr('width', width).attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`); // scales to the paper when printed
  svg.selectAll('*').remove();
  if (byTariff.length === 0) {
    svg.append('text').attr('class', 'no-data').attr('x', width / 2).attr('y', 40)
      .attr('text-anchor', 'middle').text(t('noData'));
    return 0;
  }
  const name = (d) => (d.tariffPlanId === null || d.tariffPlanId === undefined ? t('noTariff') : d.name);
  const labelWidth = Math.min(width * 0.38, 170);
  const countWidth = 64;
  const total = d3.sum(byTariff, (d) => d.count);
  const x = d3.scaleLinear().domain([0, d3.max(byTariff, (d) => d.count) || 1])
    .range([0, Math.max(20, width - labelWidth - countWidth)]);
  const band = Math.min(rowHeight, (height - 6) / byTariff.length);
  const open = (d) => onOpen(d.tariffPlanId);
  const tip = (event, d) => showTooltip(event, `<b>${escapeHtml(name(d))}</b>: ${cards(d.count)} (${ctx.fmt.percent(total ? d.count / total : 0)})`
    + `<div class="hint">${t('clickHint')}</div>`);

  const rows = svg.append('g').selectAll('g').data(byTariff).join('g')
    .attr('transform', (d, i) => `translate(0,${3 + i * band})`);
  rows.append('text').attr('class', 'bar-label').attr('x', labelWidth - 8).attr('y', band / 2).attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .each(function (d) { fitText(this, name(d), labelWidth - 12); })
    .on('click', (event, d) => open(d));
  rows.append('rect').attr('class', 'bar')
    .attr('data-tariff', (d) => (d.tariffPlanId === null ? 'none' : d.tariffPlanId))
    .attr('x', labelWidth).attr('y', 2).attr('height', Math.max(2, band - 4))
    .attr('width', (d) => Math.max(1, x(d.count))).attr('rx', 2)
    .attr('fill', (d) => (d.tariffPlanId === null ? (ctx.theme ? ctx.theme.terminated : '#7a8087') : (ctx.theme ? ctx.theme.accent : '#308cc6')))
    .on('mousemove', tip).on('mouseleave', hideTooltip)
    .on('click', (event, d) => open(d));
  rows.append('text').attr('x', (d) => labelWidth + Math.max(1, x(d.count)) + 6).attr('y', band / 2).attr('dy', '0.35em')
    .text((d) => ctx.fmt.int(d.count));
  return byTariff.length;
}
