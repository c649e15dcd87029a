'use strict';
// Drives the two load generators: bench/loadgen.js (every response counted, an operation
// scheduled at a given second) and wrk (steady-state throughput, as the anchors measured it).
const path = require('path');
const { spawn } = require('child_process');
const procs = require('./procs');

const LOADGEN = path.join(__dirname, '..', 'loadgen.js');

/**
 * Runs loadgen with `args`. With `op`, calls `await op(ctl)` `opAt` seconds after the load started,
 * between the marks "op" and "opEnd"; `ctl` has mark(name) and stop() (stop sending now).
 * Resolves to {load: <loadgen's JSON>, op: <what op returned>, command}.
 */
function loadgen(args, { opAt = null, op = null } = {}) {
  const command = `node bench/loadgen.js ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOADGEN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let opResult;
    let opPromise = Promise.resolve();
    let opScheduled = false;
    let opError = null;
    const d = Number(args[args.indexOf('--d') + 1]);
    const watchdog = setTimeout(() => procs.kill(child.pid), (d + 25) * 1000);
    const marked = new Set();
    const ctl = {
      mark: (name) => { marked.add(name); if (child.stdin.writable) child.stdin.write(`mark ${name} ${Date.now()}\n`); },
      stop: () => { if (child.stdin.writable) child.stdin.write('stop\n'); },
    };
    child.stdin.on('error', () => {});
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => {
      err += c;
      if (op && !opScheduled && /^started \d+\n/.test(err)) {
        opScheduled = true;
        opPromise = procs.sleep(opAt * 1000).then(async () => {
          ctl.mark('op');
          try { opResult = await op(ctl); } finally { if (!marked.has('opEnd')) ctl.mark('opEnd'); }
        }).catch((e) => { opError = e; ctl.stop(); });
      }
    });
    child.on('error', reject);
    child.on('close', async (code) => {
      clearTimeout(watchdog);
      await opPromise;
      if (opError) return reject(opError);
      if (code !== 0) return reject(new Error(`loadgen exited ${code}: ${err.trim()}`));
      try {
        resolve({ load: JSON.parse(out), op: opResult, command });
      } catch (e) {
        reject(new Error(`loadgen output: ${e.message}: ${out.slice(0, 200)}`));
      }
    });
  });
}

const ms = (v) => {
  const n = parseFloat(v);
  if (/us$/.test(v)) return n / 1000;
  if (/ms$/.test(v)) return n;
  if (/s$/.test(v)) return n * 1000;
  if (/m$/.test(v)) return n * 60000;
  return n;
};

/** wrk -t2 -cC -dDs --latency URL: {rps, p50, p90, p99, requests, non2xx, sockErrors, command}. */
async function wrk(url, { c = 50, d = 10 } = {}) {
  const args = ['-t2', `-c${c}`, `-d${d}s`, '--latency', url];
  const r = await procs.run('wrk', args, { timeoutMs: (d + 30) * 1000 });
  if (r.rc !== 0) throw new Error(`wrk failed: ${r.err}`);
  const o = r.out;
  const pick = (re) => { const m = re.exec(o); return m ? m[1] : null; };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(o);
  return {
    rps: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    p50: ms(pick(/^\s+50%\s+(\S+)/m)),
    p90: ms(pick(/^\s+90%\s+(\S+)/m)),
    p99: ms(pick(/^\s+99%\s+(\S+)/m)),
    requests: Number(pick(/(\d+) requests in/)),
    non2xx: Number(pick(/Non-2xx or 3xx responses: (\d+)/) || 0),
    sockErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    command: `wrk ${args.join(' ')}`,
  };
}

module.exports = { loadgen, wrk };
