// SPDX-License-Identifier: MIT
// The KPI cards: all cards, then one per status in lifecycle order. A click lists them.
import { ctx, STATUSES, statusColor, statusName, t } from './context.js';
import { hideTooltip, showTooltip } from './tooltip.js';

export function drawKpis(container, kpis, onOpen) {
  const total = kpis.total || 0;
  const items = [{ key: '', label: t('total'), value: total, color: null }].concat(
    STATUSES.map((s) => ({ key: s, label: statusName(s), value: kpis[s] || 0, color: statusColor(s) })));
  container.replaceChildren();
  for (const item of items) {
    const div = document.createElement('div');
    div.className = 'kpi';
    div.tabIndex = 0;
    div.dataset.status = item.key || 'total';
    if (item.color)
      div.style.setProperty('--kpi-color', item.color);
    const label = document.createElement('div');
    label.className = 'label';
    label.textContent = item.label;
    const value = document.createElement('div');
    value.className = 'value';
    value.textContent = ctx.fmt.int(item.value);
    const share = document.createElement('div');
    share.className = 'share';
    share.textContent = item.key && total > 0 ? ctx.fmt.percent(item.value / total) : '\u00a0';
    div.append(label, value, share);
    const open = () => onOpen(item.key);
    div.addEventListener('click', open);
    div.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') open(); });
    div.addEventListener('mousemove', (e) => showTooltip(e, `${item.label}: <b>${ctx.fmt.int(item.value)}</b><div class="hint">${t('clickHint')}</div>`));
    div.addEventListener('mouseleave', hideTooltip);
    container.append(div);
  }
}
