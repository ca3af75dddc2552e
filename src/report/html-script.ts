import { createHash } from 'node:crypto';

/**
 * The one script an HTML report carries, inline, allowed by its hash in the page's
 * Content-Security-Policy (nothing else may run or load): tooltips for every element with a
 * `data-tip` (mouse and touch), legends that hide and show their series on click, CSV and JSON
 * downloads of the data behind each chart (built from the page's inert JSON blocks, no request),
 * sections opened when a link points into them, and expand/collapse all.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'tooltip');
  document.body.appendChild(tip);
  var current = null;
  function place(x, y) {
    var w = tip.offsetWidth, h = tip.offsetHeight, left = x + 14, top = y + 14;
    if (left + w > window.innerWidth - 4) left = Math.max(4, x - w - 14);
    if (top + h > window.innerHeight - 4) top = Math.max(4, y - h - 14);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }
  function hover(e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-tip]') : null;
    if (!el) { tip.style.display = 'none'; current = null; return; }
    if (el !== current) { current = el; tip.textContent = el.getAttribute('data-tip'); tip.style.display = 'block'; }
    place(e.clientX, e.clientY);
  }
  document.addEventListener('pointermove', hover);
  document.addEventListener('pointerdown', hover);
  document.addEventListener('scroll', function () { tip.style.display = 'none'; current = null; }, { passive: true });
  function toggleSeries(fig, hit) {
    var groups = JSON.parse(fig.getAttribute('data-groups'));
    var group = groups[Number(hit.getAttribute('ecmeta_series_index'))];
    var hidden = JSON.parse(fig.getAttribute('data-hidden') || '[]');
    var at = hidden.indexOf(group);
    if (at >= 0) hidden.splice(at, 1); else hidden.push(group);
    fig.setAttribute('data-hidden', JSON.stringify(hidden));
    var off = hidden.indexOf(group) >= 0;
    fig.querySelectorAll('[ecmeta_ssr_type="chart"]').forEach(function (el) {
      if (groups[Number(el.getAttribute('ecmeta_series_index'))] === group) el.style.display = off ? 'none' : '';
    });
    var svg = hit.ownerSVGElement;
    svg.querySelectorAll('[transform="' + hit.getAttribute('transform') + '"]').forEach(function (el) { el.style.opacity = off ? '0.3' : ''; });
    hit.setAttribute('aria-pressed', off ? 'false' : 'true');
  }
  function cell(v) {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    return /[",\\n\\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function download(id, format) {
    var d = JSON.parse(document.getElementById(id).textContent);
    var text, type;
    if (format === 'csv') {
      text = [d.columns].concat(d.rows).map(function (r) { return r.map(cell).join(','); }).join('\\n') + '\\n';
      type = 'text/csv';
    } else {
      text = JSON.stringify(d.rows.map(function (r) { var o = {}; d.columns.forEach(function (c, i) { o[c] = r[i]; }); return o; }), null, 2) + '\\n';
      type = 'application/json';
    }
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = d.file + '.' + format;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function openTo(hash) {
    var el = hash && document.getElementById(hash.slice(1));
    for (var d = el; d; d = d.parentElement) if (d.tagName === 'DETAILS') d.open = true;
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    var hit = t.closest('[ecmeta_ssr_type="legend"]');
    var fig = hit && hit.closest('figure[data-groups]');
    if (fig) { toggleSeries(fig, hit); return; }
    var button = t.closest('button[data-download]');
    if (button) { download(button.getAttribute('data-download'), button.getAttribute('data-format')); return; }
    var all = t.closest('button[data-details]');
    if (all) { var open = all.getAttribute('data-details') === 'open'; document.querySelectorAll('details').forEach(function (d) { d.open = open; }); return; }
    var link = t.closest('a[href^="#"]');
    if (link) openTo(link.getAttribute('href'));
  });
  openTo(location.hash);
})();`;

/** The CSP source that allows exactly `PAGE_SCRIPT`: `'sha256-…'`. */
export const PAGE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(PAGE_SCRIPT, 'utf8').digest('base64')}'`;
