'use strict';
/*
 * Corral's sample worker: stands in for the production NodeUI app in every test and benchmark.
 * Plain `http`, no npm dependencies. Started as `node app.js` (conf/pm2.json) with PORT set.
 *
 * Routes (every response carries X-Worker-Pid and X-Worker-Instance):
 *   GET  /nuomi/component/:name  small JSON {component, pid, instance, app, url}
 *   GET  /h5/page/:name          ~20 KB HTML page rendered per request
 *   GET  /health                 200 "ok"
 *   GET  /ready                  200 "ready" once started (503 during APP_READY_DELAY_MS)
 *   ANY  /inspect                JSON of the request as received: method, url, headers
 * Misbehaviour (also answered under one prefix segment, e.g. /h5/slow, /nuomi/burn, as the
 * benchmarks call them through the vhost rules):
 *   /crash                       exit(1) at once, answering nothing
 *   /leak?mb=N                   retain N more MB of touched Buffers (RSS grows); answers totals
 *   /slow?ms=N                   answer after N ms
 *   /burn?ms=N                   keep the CPU busy for N ms, then answer
 *   /hang                        never answer (keeps a graceful stop from finishing)
 *   POST /echo                   stream the body; answer {bytes, sha256, pid}
 *   /log?n=N&id=X[&err=1][&pad=P] write N whole lines "log id=X seq=<i> pid=<pid> <P pad chars>"
 *                                to stdout (stderr with err=1), one write per line
 *   /fork                        spawn a long-lived `node -e` child; answer its pid
 *
 * Environment:
 *   PORT, HOST                   listen address (HOST defaults to 127.0.0.1, PORT to 3000)
 *   NODE_APP_INSTANCE, APP_NAME  echoed in headers and JSON
 *   APP_START_DELAY_MS=N         listen only after N ms
 *   APP_READY_DELAY_MS=N         listen at once, but /ready answers 503 for N ms
 *   APP_FAIL_START=1             throw at start-up, before listening (a broken release)
 *   BROKEN_RELEASE file          in the cwd or beside app.js: same failure as APP_FAIL_START
 *   APP_IGNORE_SIGINT=1          ignore SIGINT (so only SIGKILL ends it)
 *   APP_FORK_CHILD=1             at start, fork a long-lived child that ignores SIGINT; listen
 *                                only once its handler is in place
 *   APP_CRASH_AFTER_MS=N         exit(1) N ms after start (a crash loop)
 *   APP_KEEP_ALIVE_TIMEOUT_MS=N  the server's keep-alive timeout (Node's default: 5000)
 *
 * One access line per request on stdout, written when the response ends (or the client leaves,
 * status 499):  <iso time> pid=<pid> inst=<instance> <method> <url> <status> rid=<x-request-id|->
 * SIGINT or SIGTERM: stop accepting, let in-flight requests finish, close idle keep-alive
 * connections, exit 0.
 */
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');

const pid = process.pid;
const instance = process.env.NODE_APP_INSTANCE ?? null;
const appName = process.env.APP_NAME || null;
const startedAt = Date.now();
const MB = 1024 * 1024;
let closing = false; // set once by SIGINT/SIGTERM: from then on every response closes its connection

function envMs(name) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`app.js: ${name}=${raw} is not a number of ms`);
  return ms;
}

// A broken release must fail before listening, the way a release with a syntax error would.
function refuseBrokenRelease() {
  if (process.env.APP_FAIL_START === '1') {
    throw new Error('app.js: refusing to start: APP_FAIL_START=1 (simulated broken release)');
  }
  for (const dir of [process.cwd(), __dirname]) {
    const marker = path.join(dir, 'BROKEN_RELEASE');
    if (fs.existsSync(marker)) {
      throw new Error(`app.js: refusing to start: ${marker} exists (simulated broken release)`);
    }
  }
}

// One write per line: a line is never split between two writes, so captured logs stay whole.
function out(line) { process.stdout.write(line + '\n'); }
function err(line) { process.stderr.write(line + '\n'); }

function spawnIdleChild() {
  // stdio ignored so the child does not hold the worker's log pipes open.
  return spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' });
}

// Resolves once the child has installed its SIGINT handler, so that a SIGINT sent to it right
// after the worker is up really is ignored rather than killing a child still booting.
function spawnSigintIgnoringChild() {
  const script = "process.on('SIGINT',()=>{});process.send('ready');setInterval(()=>{},1e9)";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`app.js: forked child exited with ${code} before it was ready`)));
    child.once('message', () => { child.removeAllListeners('exit'); child.disconnect(); resolve(child); });
  });
}

// ---- responses ----

function send(res, status, type, body) {
  res.statusCode = status;
  // While closing, tell keep-alive clients that this connection ends with this response.
  if (closing) res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
const json = (res, status, obj) => send(res, status, 'application/json', JSON.stringify(obj));
const text = (res, status, body) => send(res, status, 'text/plain; charset=utf-8', body);

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// Roughly 20 KB, built per request so rendering costs some CPU like the real h5 pages.
function renderPage(name) {
  const safe = escapeHtml(name);
  const items = [];
  for (let i = 0; i < 220; i++) {
    items.push(`<li class="item" data-i="${i}"><a href="/h5/page/${safe}/${i}">${safe} item ${i}</a>` +
      ` <span>${(i * 7919 % 1000).toString(16).padStart(4, '0')}</span></li>`);
  }
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${safe}</title></head>\n` +
    `<body data-pid="${pid}" data-instance="${escapeHtml(String(instance))}">\n` +
    `<h1>h5 page ${safe}</h1>\n<p>rendered by pid ${pid} at ${new Date().toISOString()}</p>\n` +
    `<ul>\n${items.join('\n')}\n</ul>\n</body></html>\n`;
}

// ---- misbehaviour ----

const leaked = [];
function leak(res, mb) {
  if (mb > 4096) return json(res, 400, { error: 'mb must be at most 4096 per call' });
  for (let i = 0; i < mb; i++) {
    // allocUnsafe + fill: every page is written, so RSS really grows (a zeroed alloc may not).
    leaked.push(Buffer.allocUnsafe(MB).fill(i & 0xff | 1));
  }
  json(res, 200, { pid, leakedMb: mb, retainedMb: leaked.length, rssMb: Math.round(process.memoryUsage().rss / MB) });
}

function burn(res, ms) {
  const until = Date.now() + ms;
  let spins = 0;
  while (Date.now() < until) spins++;
  json(res, 200, { pid, burnedMs: ms, spins });
}

function echo(req, res) {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk) => { bytes += chunk.length; hash.update(chunk); });
  req.on('end', () => json(res, 200, { pid, bytes, sha256: hash.digest('hex') }));
}

function writeLogLines(res, q) {
  const n = intParam(q, 'n', 1);
  const id = q.get('id') || '-';
  const pad = 'x'.repeat(intParam(q, 'pad', 64));
  const write = q.get('err') === '1' ? err : out;
  for (let i = 0; i < n; i++) write(`log id=${id} seq=${i} pid=${pid} ${pad}`);
  json(res, 200, { pid, id, lines: n, stream: write === err ? 'stderr' : 'stdout' });
}

function intParam(q, name, dflt) {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new BadRequest(`${name}=${raw} is not a non-negative integer`);
  return n;
}
class BadRequest extends Error {}

// ---- routing ----

const MISBEHAVIOUR = /^(?:\/[^/]+)?\/(health|ready|inspect|crash|leak|slow|burn|hang|echo|log|fork)$/;
let readyAt = Infinity;

function route(req, res) {
  const url = new URL(req.url, 'http://app.invalid');
  const q = url.searchParams;
  let m;
  if ((m = /^\/nuomi\/component\/([^/]+)$/.exec(url.pathname))) {
    return json(res, 200, { component: decodeURIComponent(m[1]), pid, instance, app: appName, url: req.url });
  }
  if ((m = /^\/h5\/page\/([^/]+)$/.exec(url.pathname))) {
    return send(res, 200, 'text/html; charset=utf-8', renderPage(decodeURIComponent(m[1])));
  }
  if (!(m = MISBEHAVIOUR.exec(url.pathname))) return json(res, 404, { error: 'no such route', url: req.url });
  switch (m[1]) {
    case 'health': return text(res, 200, 'ok');
    case 'ready': return Date.now() >= readyAt ? text(res, 200, 'ready') : text(res, 503, 'starting');
    case 'inspect': return json(res, 200, { pid, instance, method: req.method, url: req.url, headers: req.headers });
    case 'crash':
      err(`pid=${pid} /crash: exiting with 1`);
      return process.exit(1);
    case 'leak': return leak(res, intParam(q, 'mb', 1));
    case 'slow': { const ms = intParam(q, 'ms', 1000); return setTimeout(() => json(res, 200, { pid, sleptMs: ms }), ms); }
    case 'burn': return burn(res, intParam(q, 'ms', 100));
    case 'hang': return undefined;
    case 'echo': return req.method === 'POST' ? echo(req, res) : json(res, 405, { error: 'POST only' });
    case 'log': return writeLogLines(res, q);
    case 'fork': { const child = spawnIdleChild(); return json(res, 200, { pid, child: child.pid }); }
  }
}

function handle(req, res) {
  res.setHeader('X-Worker-Pid', String(pid));
  res.setHeader('X-Worker-Instance', String(instance ?? '-'));
  let logged = false;
  res.on('close', () => {
    if (logged) return;
    logged = true;
    const status = res.writableFinished ? res.statusCode : 499;
    out(`${new Date().toISOString()} pid=${pid} inst=${instance ?? '-'} ${req.method} ${req.url} ${status} rid=${req.headers['x-request-id'] || '-'}`);
  });
  try {
    route(req, res);
  } catch (e) {
    if (e instanceof BadRequest || e instanceof URIError) json(res, 400, { error: e.message });
    else { err(`pid=${pid} error on ${req.url}: ${e.stack}`); json(res, 500, { error: e.message }); }
  }
}

// ---- life cycle ----

function shutdown(server, signal) {
  if (closing) return;
  closing = true;
  out(`pid=${pid} ${signal}: closing`);
  // Exit only once stdout and stderr are flushed: writes to pipes are asynchronous in Node, and
  // process.exit() would drop what is still queued (log lines lost at every stop).
  server.close(() => process.stdout.write('', () => process.stderr.write('', () => process.exit(0))));
  server.closeIdleConnections();
  // Connections that were busy become idle when their response ends; close them then too.
  setInterval(() => server.closeIdleConnections(), 50).unref();
}

function installSignalHandlers(server) {
  if (process.env.APP_IGNORE_SIGINT === '1') {
    process.on('SIGINT', () => out(`pid=${pid} SIGINT: ignored (APP_IGNORE_SIGINT=1)`));
  } else {
    process.on('SIGINT', () => shutdown(server, 'SIGINT'));
  }
  process.on('SIGTERM', () => shutdown(server, 'SIGTERM'));
}

function main() {
  refuseBrokenRelease();
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || '127.0.0.1';
  const startDelay = envMs('APP_START_DELAY_MS');
  const readyDelay = envMs('APP_READY_DELAY_MS');
  const crashAfter = envMs('APP_CRASH_AFTER_MS');
  const keepAlive = envMs('APP_KEEP_ALIVE_TIMEOUT_MS');

  const server = http.createServer(handle);
  if (keepAlive > 0) server.keepAliveTimeout = keepAlive;

  installSignalHandlers(server);
  if (crashAfter > 0) {
    setTimeout(() => { err(`pid=${pid} APP_CRASH_AFTER_MS=${crashAfter}: exiting with 1`); process.exit(1); }, crashAfter);
  }
  server.on('error', (e) => { err(`pid=${pid} cannot listen on ${host}:${port}: ${e.message}`); process.exit(1); });
  const listen = () => server.listen(port, host, () => {
    readyAt = Date.now() + readyDelay;
    out(`pid=${pid} inst=${instance ?? '-'} listening on ${host}:${server.address().port} after ${Date.now() - startedAt} ms`);
  });
  if (process.env.APP_FORK_CHILD === '1') {
    spawnSigintIgnoringChild().then((child) => {
      out(`pid=${pid} forked child pid=${child.pid}`);
      setTimeout(listen, startDelay);
    }, (e) => { err(e.message); process.exit(1); });
  } else {
    setTimeout(listen, startDelay);
  }
}

main();
