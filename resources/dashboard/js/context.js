// SPDX-License-Identifier: MIT
// What every chart needs: d3, the application's theme, locale and strings (from C++), the
// formatters built from them, and the bridge to C++ (null until the channel is up).
export const d3 = window.d3;

const fallbackStrings = {
  range30d: '30 days', range90d: '90 days', range12m: '12 months', rangeCustom: 'Custom',
  from: 'From', to: 'To', apply: 'Apply', day: 'Day', week: 'Week', month: 'Month',
  total: 'All cards', byStatus: 'Cards by status', activations: 'Activations',
  byTariff: 'Cards by tariff plan', noTariff: 'No tariff', flows: 'Imports and terminations',
  imported: 'Imported', terminated: 'Terminated',
  importedNote: 'Imports count on the day they happened; a reverted import is taken off that day.', cards: '%1 cards', oneCard: '1 card',
  activated: '%1 activated', share: '%1 of all cards', clickHint: 'Click to list these cards',
  emptyTitle: 'No SIM cards yet', emptyText: '', noData: 'Nothing in this period',
  loading: 'Loading…', timelineEmpty: 'No status changes yet', timelineNow: 'now', by: 'by %1',
  statusNames: {},
};

export const ctx = {
  theme: null,
  locale: null,
  strings: fallbackStrings,
  bridge: null,
  fmt: null,
};

export const STATUSES = ['AVAILABLE', 'RESERVED', 'ACTIVE', 'SUSPENDED', 'LOST_STOLEN', 'TERMINATED'];

export function t(key, arg) {
  const s = ctx.strings[key] ?? fallbackStrings[key] ?? key;
  return arg === undefined ? s : s.replace('%1', arg);
}

export function statusName(key) {
  return (ctx.strings.statusNames && ctx.strings.statusNames[key]) || key;
}

export function statusColor(key) {
  return (ctx.theme && ctx.theme.statusColors && ctx.theme.statusColors[key]) || '#888888';
}

export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// Formatters in the application's locale (group separator and month names from QLocale).
export function configure(theme, locale, strings) {
  if (theme) {
    ctx.theme = theme;
    if (window.simdeskApplyTheme)
      window.simdeskApplyTheme(theme);
  }
  if (strings)
    ctx.strings = Object.assign({}, fallbackStrings, strings);
  if (locale)
    ctx.locale = locale;
  const l = ctx.locale || {};
  const numbers = d3.formatLocale({
    decimal: l.decimal || '.',
    thousands: l.thousands ?? ',',
    grouping: [3],
    currency: ['', ''],
    percent: l.percent || '%',
  });
  const times = d3.timeFormatLocale({
    dateTime: `${l.date || '%x'} ${l.time || '%X'}`,
    date: l.date || '%m/%d/%Y',
    time: l.time || '%H:%M',
    periods: l.amPm || ['AM', 'PM'],
    days: l.days || ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    shortDays: l.shortDays || ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: l.months || ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
      'September', 'October', 'November', 'December'],
    shortMonths: l.shortMonths || ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep',
      'Oct', 'Nov', 'Dec'],
  });
  const dayFirst = l.dayFirst !== false;
  ctx.fmt = {
    int: numbers.format(',d'),
    // "12.5 %" style: one decimal below 10 %, none above.
    percent: (share) => numbers.format(share < 0.1 && share > 0 ? ',.1%' : ',.0%')(share),
    date: times.format(l.date || '%Y-%m-%d'),
    dateTime: times.format(`${l.date || '%Y-%m-%d'} ${l.time || '%H:%M'}`),
    dayMonth: times.format(dayFirst ? '%-d %b' : '%b %-d'),
    monthYear: times.format('%b %Y'),
    month: times.format('%b'),
    year: times.format('%Y'),
    longMonthYear: times.format('%B %Y'),
  };
}

export function cards(n) {
  return n === 1 ? t('oneCard') : t('cards', ctx.fmt.int(n));
}

// "yyyy-MM-dd" as a local date (the periods are calendar days).
export const parseDay = (s) => d3.timeParse('%Y-%m-%d')(s);

// A period's label: one day, a week (its first and last day) or a month.
export function periodLabel(p, granularity) {
  const start = parseDay(p.start);
  const last = d3.timeDay.offset(parseDay(p.end), -1);
  if (granularity === 'month')
    return ctx.fmt.longMonthYear(start);
  if (granularity === 'week')
    return `${ctx.fmt.date(start)} – ${ctx.fmt.date(last)}`;
  return ctx.fmt.date(start);
}

// Axis labels that stay readable: months at month starts, otherwise day and month.
export function timeTickFormat(granularity) {
  return (date) => {
    if (granularity === 'month' || (date.getDate() === 1 && date.getMonth() === 0))
      return date.getMonth() === 0 ? ctx.fmt.year(date) : ctx.fmt.month(date);
    if (date.getDate() === 1)
      return ctx.fmt.month(date);
    return ctx.fmt.dayMonth(date);
  };
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// Calls `render` again when the page's size changes, at most once per frame.
export function redrawOnResize(render) {
  let pending = false;
  new ResizeObserver(() => {
    if (pending)
      return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }).observe(document.body);
}
