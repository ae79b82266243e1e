// SPDX-License-Identifier: MIT
// Runs synchronously in <head>, before the first paint: the application's colours (left in
// window.simdeskBoot by C++ at document creation) become CSS variables, so nothing flashes.
(function () {
  'use strict';
  window.simdeskBootTime = performance.now(); // the benchmark's first mark: the head is parsed
  const boot = window.simdeskBoot;
  if (!boot || !boot.theme)
    return;
  window.simdeskApplyTheme = function (theme) {
    const root = document.documentElement;
    const vars = {
      '--bg': theme.background, '--surface': theme.surface, '--text': theme.text,
      '--muted': theme.muted, '--grid': theme.grid, '--border': theme.border,
      '--accent': theme.accent, '--accent-text': theme.accentText,
      '--tooltip': theme.tooltip, '--tooltip-text': theme.tooltipText,
      '--activations': theme.activations, '--imported': theme.imported,
      '--terminated': theme.terminated,
    };
    for (const [name, value] of Object.entries(vars)) {
      if (value)
        root.style.setProperty(name, value);
    }
    if (theme.fontFamily)
      root.style.setProperty('--font-family', `"${theme.fontFamily}", system-ui, sans-serif`);
    if (theme.fontSize)
      root.style.setProperty('--font-size', theme.fontSize);
    root.classList.toggle('dark', !!theme.dark);
  };
  window.simdeskApplyTheme(boot.theme);
})();
