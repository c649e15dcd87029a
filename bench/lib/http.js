'use strict';
// Small HTTP helpers for the harness itself (probes, admin calls): one request, no keep-alive.
const http = require('http');
const net = require('net');

/** GET (or another method) once: {status, headers, body} or {status: 0, error}. Never throws. */
function request(url, { method = 'GET', headers = {}, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => { if (!done) { done = true; resolve(r); } };
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', (e) => finish({ status: 0, error: e.code || e.message }));
    });
    req.on('error', (e) => finish({ status: 0, error: e.code || e.message }));
    req.setTimeout(timeoutMs, () => { req.destroy(); finish({ status: 0, error: 'TIMEOUT' }); });
    req.end();
  });
}

/** The status of one GET as text, "000" for no answer (as curl prints it). */
async function statusOf(url, timeoutMs = 3000) {
  const r = await request(url, { timeoutMs });
  return r.status ? String(r.status) : `000 (${r.error})`;
}

/** A TCP port free on 127.0.0.1 right now (and distinct from `taken`). */
async function freePort(taken = []) {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    if (!taken.includes(port)) return port;
  }
}

/**
 * Waits until `url` has been answered 200 by every pid of `pids` (X-Worker-Pid header, new
 * connection per request, so a balancer spreads them), or `ms` passed. Returns the pids seen.
 */
async function waitServedBy(url, pids, ms) {
  const seen = new Set();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await request(url, { timeoutMs: 1000 });
    if (r.status === 200 && r.headers['x-worker-pid']) seen.add(Number(r.headers['x-worker-pid']));
    if (pids.length > 0 && pids.every((p) => seen.has(p))) break;
    if (r.status !== 200) await new Promise((res) => setTimeout(res, 50));
  }
  return [...seen];
}

module.exports = { request, statusOf, freePort, waitServedBy };
