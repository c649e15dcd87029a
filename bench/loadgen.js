#!/usr/bin/env node
'use strict';
/*
 * bench/loadgen.js: a closed-loop HTTP load generator that sees every response and counts every
 * failure exactly. Node 20, no dependencies, traffic to 127.0.0.1 (or localhost) only.
 *
 *   node bench/loadgen.js --url URL [--mix P:URL ...] [--c 50] [--d 20] [--rate R]
 *                         [--timeout 10000] [--err-pause 10] [--max-failures-listed 200]
 *
 * --c connections each run "send, read the whole response, send the next" on a keep-alive
 * http.Agent for --d seconds. --mix 0.2:URL sends that share of requests to URL instead of --url
 * (repeatable). --rate caps the total request rate (req/s) so a noise source stays a fixed load.
 * A request without a response after --timeout ms is abandoned and counted as ETIMEDOUT_CLIENT.
 * After a socket error a connection pauses --err-pause ms before its next request.
 *
 * While it runs it reads commands on stdin, one a line:
 *   mark NAME [EPOCH_MS]   remember a moment (default: now), e.g. "mark op" when an operation
 *                          starts and "mark opEnd" when it ends: failures are then also reported
 *                          relative to "op", and latencies are summarised inside [op, opEnd]
 *   stop                   stop sending now (in-flight requests still finish or time out)
 * It prints "started <epoch ms>" on stderr once the first requests are sent, and at the end one
 * JSON object on stdout: counts (total, ok2xx, failed, non2xx by status, errors by code, per URL),
 * latency percentiles (all, and inside the op window), req/s, the failures' time window relative
 * to the start and to "op", and the first failures one by one (time, URL, status or error).
 */
const http = require('http');

function parseArgs(argv) {
  const o = { urls: [], mix: [], c: 50, d: 20, rate: 0, timeout: 10000, errPause: 10, maxListed: 200 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--url': o.urls.push(v()); break;
      case '--mix': {
        const m = /^([0-9.]+):(.+)$/.exec(v());
        if (!m) usage('--mix takes SHARE:URL, e.g. 0.2:http://127.0.0.1:8080/h5/slow?ms=800');
        o.mix.push({ share: Number(m[1]), url: m[2] });
        break;
      }
      case '--c': o.c = int(v(), a); break;
      case '--d': o.d = Number(v()); break;
      case '--rate': o.rate = Number(v()); break;
      case '--timeout': o.timeout = int(v(), a); break;
      case '--err-pause': o.errPause = int(v(), a); break;
      case '--max-failures-listed': o.maxListed = int(v(), a); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (o.urls.length !== 1) usage('give exactly one --url');
  if (!(o.d > 0)) usage('--d must be a positive number of seconds');
  for (const u of [o.urls[0], ...o.mix.map((m) => m.url)]) {
    const host = new URL(u).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost') usage(`only 127.0.0.1 is allowed: ${u}`);
  }
  return o;
}
function int(s, name) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) usage(`${name}: ${s} is not a whole number`);
  return n;
}
function usage(msg) {
  process.stderr.write(`loadgen: ${msg}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.c, maxFreeSockets: opts.c });

// ---- what is recorded ----
const t0 = Date.now();
const perfOrigin = performance.now();
const epoch = () => t0 + (performance.now() - perfOrigin);
let startedAt = null;
const marks = {};
const byUrl = {};
const non2xx = {};
const errors = {};
const failures = []; // first maxListed, one by one
let failedTotal = 0;
const timeline = []; // per second since start: [answered, failed]
const pids = new Map(); // X-Worker-Pid -> {first, last, n} (ms since start)
let firstFailAt = null;
let lastFailAt = null;
// Every request: its start time (ms since start) and latency, in growable typed arrays.
let cap = 1 << 16;
let starts = new Float64Array(cap);
let lats = new Float64Array(cap);
let okFlags = new Uint8Array(cap);
let n = 0;

function record(startMs, latMs, ok) {
  if (n === cap) {
    cap *= 2;
    const grow = (A, old) => { const b = new A(cap); b.set(old); return b; };
    starts = grow(Float64Array, starts);
    lats = grow(Float64Array, lats);
    okFlags = grow(Uint8Array, okFlags);
  }
  starts[n] = startMs;
  lats[n] = latMs;
  okFlags[n] = ok ? 1 : 0;
  n++;
  const sec = Math.floor((startMs + latMs - (startedAt - t0)) / 1000);
  while (timeline.length <= sec) timeline.push([0, 0]);
  timeline[sec][ok ? 0 : 1]++;
}

function seenPid(pid, atMs) {
  const p = pids.get(pid);
  if (p) { p.last = atMs; p.n++; } else pids.set(pid, { first: atMs, last: atMs, n: 1 });
}

function fail(url, kind, startEpoch, endEpoch) {
  failedTotal++;
  if (firstFailAt === null) firstFailAt = endEpoch;
  lastFailAt = endEpoch;
  byUrl[url].fail++;
  if (failures.length < opts.maxListed) {
    failures.push({ at: Math.round(endEpoch), sentAt: Math.round(startEpoch), url, kind });
  }
}

// ---- sending ----
let stopping = false;
let stoppedAt = null;
let inflight = 0;
const pathOf = (u) => { const x = new URL(u); return x.pathname + x.search; };
for (const u of [opts.urls[0], ...opts.mix.map((m) => m.url)]) byUrl[pathOf(u)] = { ok: 0, fail: 0 };

function pickUrl() {
  let r = Math.random();
  for (const m of opts.mix) {
    if (r < m.share) return m.url;
    r -= m.share;
  }
  return opts.urls[0];
}

// Paces the whole generator to --rate: each request waits for its slot.
let nextSlot = 0;
function pace() {
  if (!(opts.rate > 0)) return Promise.resolve();
  const now = performance.now();
  const slot = Math.max(now, nextSlot);
  nextSlot = slot + 1000 / opts.rate;
  return slot > now ? sleep(slot - now) : Promise.resolve();
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function once(url) {
  return new Promise((resolve) => {
    const key = pathOf(url);
    const sentAt = epoch();
    let settled = false;
    const done = (kind, status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      inflight--;
      const end = epoch();
      const ok = kind === null && status >= 200 && status < 300;
      record(sentAt - t0, end - sentAt, ok);
      if (ok) byUrl[key].ok++;
      else if (kind === null) { non2xx[status] = (non2xx[status] || 0) + 1; fail(key, String(status), sentAt, end); }
      else { errors[kind] = (errors[kind] || 0) + 1; fail(key, kind, sentAt, end); }
      resolve(kind === null ? 'response' : 'error');
    };
    inflight++;
    const req = http.get(url, { agent }, (res) => {
      const wp = res.headers['x-worker-pid'];
      if (wp) seenPid(wp, Math.round(epoch() - startedAt));
      res.on('data', () => {});
      res.on('end', () => done(null, res.statusCode));
      res.on('error', (e) => done(e.code || 'RESPONSE_ERROR'));
      res.on('aborted', () => done('RESPONSE_ABORTED'));
    });
    req.on('error', (e) => done(e.code || e.message));
    const timer = setTimeout(() => { done('ETIMEDOUT_CLIENT'); req.destroy(); }, opts.timeout);
  });
}

async function connectionLoop(deadline) {
  while (!stopping && epoch() < deadline) {
    await pace();
    if (stopping || epoch() >= deadline) break;
    const outcome = await once(pickUrl());
    if (outcome === 'error' && opts.errPause > 0) await sleep(opts.errPause);
  }
}

// ---- stdin commands ----
function listen() {
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      const [cmd, name, at] = line.split(/\s+/);
      if (cmd === 'mark' && name) marks[name] = at ? Number(at) : epoch();
      else if (cmd === 'stop' && !stopping) { stopping = true; stoppedAt = epoch(); }
    }
  });
  process.stdin.on('error', () => {});
}

// ---- summary ----
function percentiles(values) {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const r = (x) => Math.round(x * 100) / 100;
  return { count: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(s[s.length - 1]) };
}

function summary(endedAt, deadline) {
  const all = lats.subarray(0, n);
  const sendMs = Math.min(endedAt, stoppedAt ?? deadline) - startedAt;
  const out = {
    startedAt: Math.round(startedAt),
    endedAt: Math.round(endedAt),
    seconds: Math.round(sendMs) / 1000,
    connections: opts.c,
    total: n,
    ok2xx: n - failedTotal,
    failed: failedTotal,
    non2xx,
    errors,
    byUrl,
    rps: Math.round((n / (sendMs / 1000)) * 10) / 10,
    latency: percentiles(all),
    marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])),
    failWindowMs: firstFailAt === null ? null : [Math.round(firstFailAt - startedAt), Math.round(lastFailAt - startedAt)],
    failWindowRelToOpMs: null,
    opWindow: null,
    maxGapMs: maxGap(),
    failures: failures.map((f) => ({ ...f, atMs: f.at - Math.round(startedAt),
      relToOpMs: marks.op === undefined ? null : Math.round(f.at - marks.op) })),
    failuresListed: failures.length,
    timeline,
    workerPids: Object.fromEntries([...pids].map(([pid, v]) => [pid, { ...v,
      firstRelToOpMs: marks.op === undefined ? null : Math.round(v.first - (marks.op - startedAt)) }])),
  };
  if (marks.op !== undefined && firstFailAt !== null) {
    out.failWindowRelToOpMs = [Math.round(firstFailAt - marks.op), Math.round(lastFailAt - marks.op)];
  }
  if (marks.op !== undefined) {
    const from = marks.op - t0;
    const to = (marks.opEnd ?? endedAt) - t0;
    const inside = [];
    for (let i = 0; i < n; i++) if (starts[i] + lats[i] >= from && starts[i] <= to) inside.push(lats[i]);
    out.opWindow = { ms: Math.round(to - from), latency: percentiles(inside) };
  }
  return out;
}

// The longest time with no response completed (a proxy that stalls during a reload shows here).
function maxGap() {
  if (n < 2) return null;
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) ends[i] = starts[i] + lats[i];
  ends.sort();
  let g = 0;
  for (let i = 1; i < n; i++) g = Math.max(g, ends[i] - ends[i - 1]);
  return Math.round(g);
}

async function main() {
  listen();
  startedAt = epoch();
  process.stderr.write(`started ${Math.round(startedAt)}\n`);
  const deadline = startedAt + opts.d * 1000;
  await Promise.all(Array.from({ length: opts.c }, () => connectionLoop(deadline)));
  const endedAt = epoch();
  // every request has settled by now: each one either answered, failed or timed out
  agent.destroy();
  process.stdout.write(JSON.stringify(summary(endedAt, deadline)) + '\n', () => process.exit(0));
}

main().catch((e) => { process.stderr.write(`loadgen: ${e.stack}\n`); process.exit(1); });
