'use strict';
// How busy the machine was with work that is not this run: CPU time of every process that does
// not carry this run's mark (other engineers' builds and tests, the kernel), sampled every 2 s.
const fs = require('fs');
const os = require('os');
const { MARK } = require('./procs');

const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

class NoiseMeter {
  constructor(runId, exclude, workDir) {
    this.needle = `${MARK}=${runId}\0`;
    this.workDir = workDir;
    this.owner = new Map(); // "pid:starttime" -> ours?
    this.exclude = new Set(exclude);
    this.last = new Map(); // pid -> cpu ticks at the previous sample
    this.foreignTicks = 0;
    this.ourTicks = 0;
    this.samples = [];
    this.timer = null;
  }

  start() {
    this.t0 = Date.now();
    this.bootMs = Date.now() - os.uptime() * 1000;
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 2000);
    this.timer.unref();
  }

  sample(first) {
    const seen = new Map();
    let foreign = 0;
    let ours = 0;
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat;
      try { stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]);
      const pid = Number(d);
      seen.set(pid, ticks);
      if (first) continue;
      // a process born since the previous sample: all of its CPU time is new
      const before = this.last.has(pid) ? this.last.get(pid) : (this.bootMs + (Number(f[19]) / TICK) * 1000 >= this.prevAt ? 0 : ticks);
      const delta = Math.max(0, ticks - before);
      if (this.isOurs(pid, f[19], Number(f[1]))) ours += delta; else foreign += delta;
    }
    this.last = seen;
    this.prevAt = Date.now();
    if (!first) {
      this.foreignTicks += foreign;
      this.ourTicks += ours;
      this.samples.push(foreign);
    }
  }

  // Ours: carries the run's mark, or names the work dir (nginx rewrites its environ), or is the
  // child of such a process (nginx workers).
  isOurs(pid, starttime, ppid) {
    if (this.exclude.has(pid)) return true;
    const key = `${pid}:${starttime}`;
    if (!this.owner.has(key)) {
      const read = (p, what) => { try { return fs.readFileSync(`/proc/${p}/${what}`, 'utf8'); } catch { return ''; } };
      const names = (p) => this.workDir && read(p, 'cmdline').includes(this.workDir);
      this.owner.set(key, read(pid, 'environ').includes(this.needle) || names(pid) || names(ppid));
    }
    return this.owner.get(key);
  }

  /** Foreign CPU share (%) of the machine since the previous lap (or the start). */
  lap() {
    this.sample(false);
    const now = Date.now();
    const from = this.lapAt || this.t0;
    const ticks = this.foreignTicks - (this.lapTicks || 0);
    this.lapAt = now;
    this.lapTicks = this.foreignTicks;
    return Math.round((ticks / (os.cpus().length * ((now - from) / 1000) * TICK)) * 1000) / 10;
  }

  /** Foreign CPU as a share of the machine over the run, and the busiest 2 s. */
  stop() {
    clearInterval(this.timer);
    this.sample(false);
    const wallS = (Date.now() - this.t0) / 1000;
    const capacity = os.cpus().length * wallS * TICK;
    const peak = this.samples.length ? Math.max(...this.samples) / (os.cpus().length * 2 * TICK) : 0;
    return {
      wallSeconds: Math.round(wallS),
      foreignCpuShare: Math.round((this.foreignTicks / capacity) * 1000) / 10,
      ourCpuShare: Math.round((this.ourTicks / capacity) * 1000) / 10,
      foreignPeakShare: Math.round(peak * 1000) / 10,
    };
  }
}

module.exports = { NoiseMeter };
