'use strict';
// The one place the harness reads /proc and signals processes: liveness, RSS, process trees, and
// the sweep that finds (and ends) whatever a run left behind.
const fs = require('fs');
const { spawn } = require('child_process');

/** Every process started by the harness inherits this variable; its value names the run. */
const MARK = 'CORRAL_BENCH_RUN';

function alive(pid) {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Resident set size of one process, in MB (null when it is gone). */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

function allPids() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

function readProc(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    let environ = '';
    try { environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { /* not ours to read */ }
    return { pid, state: fields[0], ppid: Number(fields[1]), cmdline, environ };
  } catch {
    return null;
  }
}

/** pid and every descendant of it (children found through ppid), live ones only. */
function tree(rootPid) {
  const procs = allPids().map(readProc).filter(Boolean);
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of procs) if (c.ppid === p) walk(c.pid);
  };
  if (procs.some((p) => p.pid === rootPid)) walk(rootPid);
  return out;
}

/**
 * Processes that belong to a run: those that carry MARK=<runId> in their environment, those whose
 * command line names one of `dirs` (nginx rewrites its environ, not its title), and their
 * descendants. `exclude` are the harness's own pids.
 */
function leftovers(runId, dirs, exclude = []) {
  const procs = allPids().map(readProc).filter(Boolean).filter((p) => p.state !== 'Z');
  const mine = new Set();
  const needle = `${MARK}=${runId}\0`;
  for (const p of procs) {
    if (exclude.includes(p.pid)) continue;
    if (p.environ.includes(needle) || dirs.some((d) => p.cmdline.includes(d))) mine.add(p.pid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!mine.has(p.pid) && mine.has(p.ppid) && !exclude.includes(p.pid)) { mine.add(p.pid); grew = true; }
    }
  }
  return procs.filter((p) => mine.has(p.pid)).map((p) => ({ pid: p.pid, ppid: p.ppid, cmd: p.cmdline.slice(0, 160) }));
}

function kill(pid, signal = 'SIGKILL') {
  try { process.kill(pid, signal); return true; } catch { return false; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pids, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pids.some(alive)) return true;
    await sleep(50);
  }
  return !pids.some(alive);
}

/** Runs a command to its end: {rc, out, err, ms}; killed (and rc 124) after timeoutMs. */
function run(cmd, args, { env, cwd, timeoutMs = 120000, input } = {}) {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(cmd, args, { env: env || process.env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.stdin.on('error', () => {});
    child.stdin.end(input || '');
    const timer = setTimeout(() => { kill(child.pid); err += `\n(killed after ${timeoutMs} ms)`; }, timeoutMs);
    child.on('error', (e) => { err += e.message; });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ rc: code === null ? (sig === 'SIGKILL' ? 124 : 128) : code, out, err, ms: Date.now() - t });
    });
  });
}

module.exports = { MARK, alive, rssMb, tree, leftovers, kill, waitGone, run, sleep };
