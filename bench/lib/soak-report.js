#!/usr/bin/env node
'use strict';
/*
 * bench/lib/soak-report.js DIR WARMUP_S LOADAVG: reads DIR/samples.csv and DIR/load.json written by
 * bench/soak, prints a Markdown summary (each resource right after the warm-up against the end,
 * its least-squares slope per hour over the run after the warm-up, and the requests that failed)
 * and writes DIR/soak.svg: one small chart per resource over time, the warm-up shaded.
 * Node 20, no dependencies.
 */
const fs = require('fs');
const path = require('path');

const [dir, warmupArg, loadavg] = process.argv.slice(2);
const warmup = Number(warmupArg || 0);
const rows = fs.readFileSync(path.join(dir, 'samples.csv'), 'utf8').trim().split('\n').slice(1)
  .map((l) => l.split(',').map(Number));
const series = [
  { name: 'RSS (MB)', col: 1, scale: 1 / 1024 },
  { name: 'open fds', col: 2, scale: 1 },
  { name: 'threads', col: 3, scale: 1 },
  { name: 'CPU (s, cumulative)', col: 4, scale: 1 },
];
let load = {};
try { load = JSON.parse(fs.readFileSync(path.join(dir, 'load.json'), 'utf8')); } catch (e) { /* reported below */ }

function slopePerHour(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0; let den = 0;
  for (const [x, y] of points) { num += (x - mx) * (y - my); den += (x - mx) ** 2; }
  return den === 0 ? 0 : (num / den) * 3600;
}

const after = rows.filter((r) => r[0] >= warmup);
const first = after[0] || rows[0];
const last = rows[rows.length - 1];
const lines = [
  `Soak: ${Math.round(last[0] / 60)} min, ${rows.length} samples, load average at the end ${loadavg}.`,
  `Requests: ${load.total ?? '?'} sent, ${load.failed ?? '?'} failed` +
    (load.failed ? ` (${JSON.stringify(load.errors || load.non2xx || {})})` : '') + '.',
  '',
  `| resource | after ${warmup} s warm-up | at the end | slope after warm-up, per hour |`,
  '| --- | --- | --- | --- |',
];
for (const s of series.slice(0, 3)) {
  const pts = after.map((r) => [r[0], r[s.col] * s.scale]);
  lines.push(`| ${s.name} | ${(first[s.col] * s.scale).toFixed(1)} | ${(last[s.col] * s.scale).toFixed(1)} | ` +
    `${slopePerHour(pts).toFixed(2)} |`);
}
const cpuRate = after.length > 1 ? (last[4] - first[4]) / (last[0] - first[0]) : 0;
lines.push(`| CPU (share of one core) | | | ${(cpuRate * 100).toFixed(1)} % on average |`);
process.stdout.write(lines.join('\n') + '\n');

// One chart per resource, stacked.
const W = 640; const H = 120; const PAD = 36;
const tMax = Math.max(1, last[0]);
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H * series.length}" font-family="sans-serif" font-size="11">\n`;
series.forEach((s, i) => {
  const y0 = i * H;
  const vals = rows.map((r) => r[s.col] * s.scale);
  const lo = Math.min(...vals); const hi = Math.max(...vals);
  const span = hi - lo || 1;
  const x = (t) => PAD + (t / tMax) * (W - 2 * PAD);
  const y = (v) => y0 + H - 20 - ((v - lo) / span) * (H - 40);
  svg += `<rect x="${PAD}" y="${y0 + 20}" width="${x(Math.min(warmup, tMax)) - PAD}" height="${H - 40}" fill="#eee"/>\n`;
  svg += `<text x="${PAD}" y="${y0 + 14}">${s.name}: ${lo.toFixed(1)} – ${hi.toFixed(1)}</text>\n`;
  svg += `<polyline fill="none" stroke="#2a6" stroke-width="1.5" points="${rows.map((r, k) => `${x(r[0]).toFixed(1)},${y(vals[k]).toFixed(1)}`).join(' ')}"/>\n`;
  svg += `<text x="${W - PAD}" y="${y0 + H - 6}" text-anchor="end">${Math.round(tMax / 60)} min</text>\n`;
});
svg += '</svg>\n';
fs.writeFileSync(path.join(dir, 'soak.svg'), svg);
