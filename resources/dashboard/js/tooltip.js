// SPDX-License-Identifier: MIT
// One tooltip for the page, placed beside the pointer and kept inside the window.
let el = null;

export function showTooltip(event, html) {
  el = el || document.getElementById('tooltip');
  el.innerHTML = html;
  el.hidden = false;
  const pad = 12;
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  let x = event.clientX + pad;
  let y = event.clientY + pad;
  if (x + w > window.innerWidth - 4)
    x = event.clientX - w - pad;
  if (y + h > window.innerHeight - 4)
    y = event.clientY - h - pad;
  el.style.left = `${Math.max(4, x)}px`;
  el.style.top = `${Math.max(4, y)}px`;
}

export function hideTooltip() {
  el = el || document.getElementById('tooltip');
  el.hidden = true;
}
