'use strict';
/*
 * The seven scenarios of bench/compare. Each one is `run(Kind, ctx)`: it starts what it needs
 * through ctx.start (which records every system for the harness to stop and check afterwards),
 * and returns {metrics, details}: metrics are numbers (medians over runs are taken) or short
 * strings (listed per run); details are kept in the raw results only.
 */
const procs = require('./procs');
const { request, statusOf } = require('./http');
const { loadgen, wrk } = require('./load');

const H5_PAGE = '/h5/page/x';
const NUOMI_COMPONENT = '/nuomi/component/x';

/**
 * Issue 6's set-up for the noisy neighbour, in the pm2.json both systems read: nuomi on CPU 0,
 * giving way there to anything else that wants it (cpu_weight 1), h5 on CPU 1. Corral applies
 * it; PM2 ignores the keys, so it runs as it is. Needs 2 CPUs; on one, nothing is pinned.
 */
const POOLS_APART = require('os').cpus().length >= 2
  ? { nuomi: { cpus: '0', cpu_weight: 1 }, h5: { cpus: '1' } }
  : null;

/** Durations (seconds) and loads; --quick shortens them for smoke tests. */
function settings(quick) {
  return {
    steady: { d: quick ? 3 : 10, c: 50, warm: quick ? 1 : 5 },
    reload: { d: quick ? 10 : 20, at: quick ? 3 : 5, c: 50, warm: quick ? 1 : 3 },
    broken: { d: quick ? 10 : 20, at: quick ? 3 : 5, c: 50, warm: quick ? 1 : 3 },
    crash: { d: quick ? 10 : 15, at: quick ? 3 : 5, c: 50, warm: quick ? 1 : 3 },
    noisy: { d: quick ? 4 : 10, c: 10, warm: quick ? 1 : 3, burnC: 4, burnMs: 50, leakMb: 10, leakRate: 20, crashAfterMs: 1500, resources: POOLS_APART },
    memory: { idle: 3, d: quick ? 4 : 10, c: 25, limit: '100M', leakMb: 150, leakAt: 3, leakD: 45, tail: 3, warm: quick ? 1 : 3 },
    death: { wait: 2 },
  };
}

const sec = (msValue) => Math.round(msValue) / 1000;
const errorsOf = (l) => {
  const e = { ...l.errors };
  for (const [k, v] of Object.entries(l.non2xx)) e[`HTTP ${k}`] = v;
  return Object.keys(e).length ? JSON.stringify(e) : '-';
};
const windowOf = (l) => (l.failWindowRelToOpMs ? `${l.failWindowRelToOpMs[0]}..${l.failWindowRelToOpMs[1]} ms` : '-');

/** The numbers every load under an operation reports, under `prefix`. */
function loadMetrics(prefix, l) {
  return {
    [`${prefix}.failed`]: l.failed,
    [`${prefix}.total`]: l.total,
    [`${prefix}.p99`]: l.latency ? l.latency.p99 : null,
    [`${prefix}.opP99`]: l.opWindow && l.opWindow.latency ? l.opWindow.latency.p99 : null,
    [`${prefix}.max`]: l.latency ? l.latency.max : null,
    [`${prefix}.maxGapMs`]: l.maxGapMs,
    [`${prefix}.errors`]: errorsOf(l),
    [`${prefix}.failWindow`]: windowOf(l),
  };
}

/** What the raw results keep of a load: everything but the long lists, plus the first failures. */
function loadDetails(r) {
  const { failures, ...rest } = r.load;
  return { command: r.command, ...rest, firstFailures: failures.slice(0, 30) };
}

const lastLine = (r) => `${r.out}\n${r.err}`.split('\n').map((x) => x.replace(/\x1b\[[0-9;]*m/g, '').trim()).filter(Boolean).pop() || '';

/** Seconds from the operation to the first answer of a worker pid first seen after it (null: none). */
function firstNewAnswerSec(l) {
  const rel = Object.values(l.workerPids || {}).map((p) => p.firstRelToOpMs).filter((x) => x !== null && x >= 0);
  return rel.length ? sec(Math.min(...rel)) : null;
}

async function poolPids(s, app) {
  return (await s.pool(app)).instances.map((i) => i.pid);
}

/** Polls the pool until it is complete again without `victim`; seconds taken, or null. */
async function untilFullWithout(s, app, victim, ms) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      const p = await s.pool(app);
      if (p.ready === p.configured && !p.instances.some((i) => i.pid === victim)) return sec(Date.now() - t0);
    } catch { /* the supervisor is busy: ask again */ }
    await procs.sleep(50);
  }
  return null;
}

async function warmUp(s, seconds, apps = ['h5', 'nuomi']) {
  if (seconds <= 0) return;
  const paths = { h5: H5_PAGE, nuomi: NUOMI_COMPONENT };
  for (const app of apps) await wrk(s.url('vhost', paths[app]), { c: 20, d: seconds });
}

// ---------------------------------------------------------------------------------------------

async function steady(Kind, ctx) {
  const cfg = ctx.cfg.steady;
  const s = await ctx.start(Kind);
  await warmUp(s, cfg.warm);
  const metrics = {};
  const details = {};
  for (const [via, app, p] of [['vhost', 'h5', H5_PAGE], ['vhost', 'nuomi', NUOMI_COMPONENT], ['app', 'h5', H5_PAGE], ['app', 'nuomi', NUOMI_COMPONENT]]) {
    const r = await wrk(s.url(via === 'vhost' ? 'vhost' : app, p), { c: cfg.c, d: cfg.d });
    const k = `${via}.${app}`;
    Object.assign(metrics, { [`${k}.rps`]: r.rps, [`${k}.p50`]: r.p50, [`${k}.p99`]: r.p99, [`${k}.errors`]: r.non2xx + r.sockErrors });
    details[k] = r;
  }
  return { metrics, details };
}

/**
 * Scenarios 2 and 4: h5 under load with `op` at second cfg.at, once through the vhost listener
 * (nginx) and once on h5's own port, each after the pool is complete again. `each(s, via, r)`
 * gives a run's metrics and details from loadgen's result `r` (whose `op` is what `op` returned).
 */
async function underLoadOnBothPorts(Kind, ctx, cfg, op, each) {
  const s = await ctx.start(Kind);
  await warmUp(s, cfg.warm, ['h5']);
  const metrics = {};
  const details = {};
  for (const via of ['vhost', 'app']) {
    await s.waitFull('h5');
    const state = await op.before(s);
    const r = await loadgen(['--url', s.url(via === 'vhost' ? 'vhost' : 'h5', H5_PAGE), '--c', cfg.c, '--d', cfg.d].map(String),
      { opAt: cfg.at, op: () => op.run(s) });
    const run = await each(s, via, r, state);
    Object.assign(metrics, loadMetrics(via, r.load), run.metrics);
    details[via] = { ...loadDetails(r), ...run.details };
  }
  return { metrics, details };
}

async function reload(Kind, ctx) {
  return underLoadOnBothPorts(Kind, ctx, ctx.cfg.reload, { before: (s) => poolPids(s, 'h5'), run: (s) => s.reload('h5') },
    async (s, via, r, before) => {
      const after = await s.pool('h5');
      return {
        metrics: {
          [`${via}.reloadSec`]: sec(r.op.ms),
          [`${via}.reloadRc`]: r.op.rc,
          [`${via}.replaced`]: after.ready === after.configured && !after.instances.some((i) => before.includes(i.pid)) ? 'all' : 'NOT all',
        },
        details: { reload: { rc: r.op.rc, ms: r.op.ms, said: lastLine(r.op) }, before, after },
      };
    });
}

async function broken(Kind, ctx) {
  const cfg = ctx.cfg.broken;
  const s = await ctx.start(Kind);
  await warmUp(s, cfg.warm, ['h5']);
  const r = await loadgen(['--url', s.url('vhost', H5_PAGE), '--c', cfg.c, '--d', cfg.d].map(String), {
    opAt: cfg.at,
    op: () => { s.breakRelease('h5'); return s.reload('h5'); },
  });
  const l = r.load;
  const left = await s.pool('h5').catch((e) => ({ instances: [], error: e.message }));
  const vhostAfter = await statusOf(s.url('vhost', H5_PAGE));
  const appAfter = await statusOf(s.url('h5', H5_PAGE));
  s.fixRelease('h5');
  const fix = await s.reload('h5');
  let vhostAfterFix = await statusOf(s.url('vhost', H5_PAGE));
  for (let i = 0; i < 50 && vhostAfterFix !== '200'; i++) {
    await procs.sleep(100);
    vhostAfterFix = await statusOf(s.url('vhost', H5_PAGE));
  }
  const stillFailingAtEnd = l.failWindowMs && l.failWindowMs[1] > l.seconds * 1000 - 1000;
  return {
    metrics: {
      ...loadMetrics('vhost', l),
      'reloadRc': r.op.rc,
      'reloadSec': sec(r.op.ms),
      'reloadSays': lastLine(r.op).slice(0, 110),
      'failSpanSec': l.failWindowMs ? sec(l.failWindowMs[1] - l.failWindowMs[0]) : 0,
      'failingAtEnd': stillFailingAtEnd ? 'yes' : 'no',
      'h5Left': left.instances.map((i) => i.state).join(' ') || '(none)',
      'vhostAfter': vhostAfter,
      'appAfter': appAfter,
      'fixRc': fix.rc,
      'fixSec': sec(fix.ms),
      'vhostAfterFix': vhostAfterFix,
    },
    details: { ...loadDetails(r), reloadSaid: `${r.op.out}${r.op.err}`.slice(-2000), left, fixSaid: lastLine(fix) },
  };
}

async function crash(Kind, ctx) {
  const cfg = ctx.cfg.crash;
  const kill = async (s) => {
    const victim = (await s.pool('h5')).instances.find((i) => i.ready).pid;
    procs.kill(victim, 'SIGKILL');
    return { victim, backToFullSec: await untilFullWithout(s, 'h5', victim, (cfg.d - cfg.at) * 1000) };
  };
  return underLoadOnBothPorts(Kind, ctx, cfg, { before: async () => null, run: kill }, async (s, via, r) => ({
    metrics: { [`${via}.backToFullSec`]: r.op.backToFullSec, [`${via}.newAnswersSec`]: firstNewAnswerSec(r.load) },
    details: { victim: r.op.victim },
  }));
}

async function noisy(Kind, ctx) {
  const cfg = ctx.cfg.noisy;
  const h5Load = (s) => ['--url', s.url('vhost', H5_PAGE), '--c', cfg.c, '--d', cfg.d].map(String);
  const metrics = {};
  const details = {};
  const phase = async (s, name, noiseArgs) => {
    const restartsBefore = await nuomiRestarts(s);
    const watch = watchPids(s, 'nuomi');
    const noise = noiseArgs ? loadgen(noiseArgs.map(String)) : null;
    if (noise) await procs.sleep(500);
    const r = await loadgen(h5Load(s));
    const n = noise ? await noise : null;
    const nuomiStarted = await watch.stop();
    const l = r.load;
    Object.assign(metrics, {
      [`${name}.rps`]: l.rps,
      [`${name}.p50`]: l.latency.p50,
      [`${name}.p99`]: l.latency.p99,
      [`${name}.failed`]: l.failed,
    });
    if (name !== 'alone') {
      metrics[`${name}.p99VsAlone`] = Math.round((l.latency.p99 / metrics['alone.p99']) * 100) / 100;
      metrics[`${name}.rpsVsAlone`] = Math.round((l.rps / metrics['alone.rps']) * 100) / 100;
      metrics[`${name}.noiseRequests`] = n ? n.load.total : 0;
      metrics[`${name}.noiseFailed`] = n ? n.load.failed : 0;
      metrics[`${name}.nuomiRestarts`] = (await nuomiRestarts(s)) - restartsBefore;
      metrics[`${name}.nuomiStarted`] = nuomiStarted;
    }
    details[name] = { h5: loadDetails(r), noise: n && loadDetails(n) };
  };
  const nuomi = (s, p) => s.url('vhost', p);

  const s = await ctx.start(Kind, { resources: cfg.resources });
  metrics.limits = await s.limits();
  await warmUp(s, cfg.warm);
  await phase(s, 'alone', null);
  await phase(s, 'burn', ['--url', nuomi(s, `/nuomi/burn?ms=${cfg.burnMs}`), '--c', cfg.burnC, '--d', cfg.d + 1]);
  await phase(s, 'leak', ['--url', nuomi(s, `/nuomi/leak?mb=${cfg.leakMb}`), '--c', 4, '--rate', cfg.leakRate, '--d', cfg.d + 1]);
  await ctx.stop(s);

  // a nuomi that crashes 1.5 s after every start: past min_uptime, so neither system gives up on it
  const looping = await ctx.start(Kind, { env: { nuomi: { APP_CRASH_AFTER_MS: cfg.crashAfterMs } }, waitApps: ['h5'], resources: cfg.resources });
  await warmUp(looping, cfg.warm, ['h5']);
  await phase(looping, 'crashloop', null);
  return { metrics, details };
}

/** Polls a pool every 200 ms; stop() resolves to the number of pids seen that were not there at first. */
function watchPids(s, app) {
  const seen = new Set();
  let first = null;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const pids = await poolPids(s, app);
        if (first === null) first = new Set(pids);
        for (const p of pids) seen.add(p);
      } catch { /* ask again */ }
      await procs.sleep(200);
    }
  })();
  return { stop: async () => { running = false; await loop; return [...seen].filter((p) => !first || !first.has(p)).length; } };
}

async function nuomiRestarts(s) {
  try {
    return (await s.pool('nuomi')).instances.reduce((a, i) => a + (i.restarts || 0), 0);
  } catch {
    return 0;
  }
}

/** RSS in MB: the supervisor + proxy processes, and the workers. */
async function memoryOf(s) {
  const p = s.proxyPids();
  const sum = (pids) => Math.round(pids.reduce((a, pid) => a + (procs.rssMb(pid) || 0), 0) * 10) / 10;
  const workers = [...(await poolPids(s, 'h5')), ...(await poolPids(s, 'nuomi'))];
  const daemon = sum(p.daemon);
  const nginx = p.nginx ? sum(p.nginx) : 0;
  return { daemon, nginx, total: Math.round((daemon + nginx) * 10) / 10, workers: sum(workers) };
}

async function memory(Kind, ctx) {
  const cfg = ctx.cfg.memory;
  const metrics = {};
  const details = {};

  const s = await ctx.start(Kind);
  await procs.sleep(cfg.idle * 1000);
  const idle = await memoryOf(s);
  const loads = Promise.all([
    loadgen(['--url', s.url('vhost', H5_PAGE), '--c', cfg.c, '--d', cfg.d].map(String)),
    loadgen(['--url', s.url('vhost', NUOMI_COMPONENT), '--c', cfg.c, '--d', cfg.d].map(String)),
  ]);
  let finished = false;
  loads.then(() => { finished = true; }, () => { finished = true; });
  const peak = { daemon: 0, nginx: 0, total: 0, workers: 0 };
  while (!finished) {
    const m = await memoryOf(s);
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    await procs.sleep(500);
  }
  const [h5, nu] = await loads;
  const after = await memoryOf(s);
  for (const [k, v] of Object.entries({ idle, peak, after })) {
    metrics[`${k}.daemonMb`] = v.daemon;
    if (Kind.name !== 'Corral') metrics[`${k}.nginxMb`] = v.nginx;
    metrics[`${k}.totalMb`] = v.total;
    metrics[`${k}.workersMb`] = v.workers;
  }
  metrics['load.failed'] = h5.load.failed + nu.load.failed;
  details.load = { h5: loadDetails(h5), nuomi: loadDetails(nu) };
  await ctx.stop(s);

  const m = await ctx.start(Kind, { maxMemory: cfg.limit });
  await warmUp(m, cfg.warm, ['h5']);
  const r = await loadgen(['--url', m.url('vhost', H5_PAGE), '--c', 20, '--d', cfg.leakD].map(String), {
    opAt: cfg.leakAt,
    op: async (ctl) => {
      const leak = await request(m.url('h5', `/h5/leak?mb=${cfg.leakMb}`), { timeoutMs: 10000 });
      const victim = Number(leak.headers && leak.headers['x-worker-pid']);
      const victimRssMb = procs.rssMb(victim);
      const replacedAfterSec = victim ? await untilFullWithout(m, 'h5', victim, (cfg.leakD - cfg.leakAt - cfg.tail - 1) * 1000) : null;
      ctl.mark('opEnd');
      await procs.sleep(cfg.tail * 1000);
      ctl.stop();
      return { victim, victimRssMb, replacedAfterSec, leakStatus: leak.status || leak.error };
    },
  });
  Object.assign(metrics, loadMetrics('leak', r.load), {
    'leak.victimRssMb': r.op.victimRssMb,
    'leak.replacedAfterSec': r.op.replacedAfterSec === null ? 'not replaced' : r.op.replacedAfterSec,
    'leak.newAnswersSec': firstNewAnswerSec(r.load),
  });
  details.leak = { ...loadDetails(r), ...r.op };
  return { metrics, details };
}

async function death(Kind, ctx) {
  const cfg = ctx.cfg.death;
  const s = await ctx.start(Kind);
  const before = [...(await poolPids(s, 'h5')), ...(await poolPids(s, 'nuomi'))];
  const daemon = s.daemonPid();
  if (s.disconnect) s.disconnect();
  s.killDaemon();
  await procs.waitGone([daemon], 5000);
  await procs.sleep(cfg.wait * 1000);
  const aliveAfterKill = before.filter(procs.alive);
  const ports = async () => ({
    vhost: await statusOf(s.url('vhost', H5_PAGE)),
    h5: await statusOf(s.url('h5', H5_PAGE)),
    nuomi: await statusOf(s.url('nuomi', NUOMI_COMPONENT)),
  });
  const afterKill = await ports();
  let restart;
  let restartError = null;
  try {
    restart = Kind.name === 'Corral' ? await s.start() : await s.startPm2();
  } catch (e) {
    restartError = e.message;
    restart = { rc: 'failed', ms: 0, out: e.message, err: '' };
  }
  const oldAlive = before.filter(procs.alive);
  const afterRestart = await ports();
  const said = `${restart.out}\n${restart.err}`.replace(/\x1b\[[0-9;]*m/g, '');
  return {
    metrics: {
      workersBefore: before.length,
      aliveAfterKill: aliveAfterKill.length,
      portsAfterKill: `vhost ${afterKill.vhost}, h5 ${afterKill.h5}, nuomi ${afterKill.nuomi}`,
      restartRc: restart.rc,
      restartSec: sec(restart.ms),
      oldWorkersAliveAfterRestart: oldAlive.length,
      portsAfterRestart: `vhost ${afterRestart.vhost}, h5 ${afterRestart.h5}, nuomi ${afterRestart.nuomi}`,
    },
    details: { before, daemon, aliveAfterKill, oldAlive, restartSaid: said.slice(-3000), restartError },
  };
}

const SCENARIOS = {
  1: { key: 'steady', title: 'Steady state', run: steady },
  2: { key: 'reload', title: 'Reload under load', run: reload },
  3: { key: 'broken', title: 'A broken release', run: broken },
  4: { key: 'crash', title: 'Crash (kill -9 of one h5 instance)', run: crash },
  5: { key: 'noisy', title: 'Noisy neighbour', run: noisy },
  6: { key: 'memory', title: 'Memory', run: memory },
  7: { key: 'death', title: 'Daemon death (kill -9)', run: death },
};

module.exports = { SCENARIOS, settings, H5_PAGE, NUOMI_COMPONENT };
