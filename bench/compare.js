#!/usr/bin/env node
'use strict';
/*
 * bench/compare.js: runs the scenarios for Corral and for PM2 + nginx, alternating the two
 * systems run after run, and writes the report. Started by bench/compare (which installs what is
 * missing first); see `bench/compare --help`.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const procs = require('./lib/procs');
const { Corral, Pm2Nginx, ROOT, NGINX } = require('./lib/systems');
const { SCENARIOS, settings } = require('./lib/scenarios');
const { NoiseMeter } = require('./lib/noise');
const report = require('./lib/report');

const USAGE = `usage: bench/compare [--scenarios 1,2,...] [--runs N] [--instances N] [--nuomi N] [--h5 N]
                     [--quick] [--docs | --no-docs] [--note TEXT] [--keep] [--render DIR]
  --scenarios   which of 1..7 to run (default all): 1 steady state, 2 reload under load,
                3 broken release, 4 crash, 5 noisy neighbour, 6 memory, 7 daemon death
  --runs        runs per scenario and system (default 3); figures are medians with min-max
  --instances   instances of both apps (default 2); --nuomi / --h5 set one app
  --quick       short loads, for trying the harness (not for figures)
  --docs        write docs/benchmarks.md even for a partial run (a run of all 7 writes it
                unless --no-docs); the report always goes to bench/results/<time>/
  --note        a sentence for the report about the machine (e.g. who else used it)
  --keep        keep the scratch directories (logs of every system) in the work dir
  --render DIR  only write the report again from bench/results/DIR (meta.json, raw.jsonl)`;

function parseArgs(argv) {
  const o = { scenarios: [1, 2, 3, 4, 5, 6, 7], runs: 3, instances: { nuomi: 2, h5: 2 }, quick: false, docs: null, note: '', keep: false, work: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    const count = (s) => { const n = Number(s); if (!Number.isInteger(n) || n < 1) die(`${a}: ${s} is not a count >= 1`); return n; };
    switch (a) {
      case '--scenarios':
        o.scenarios = v().split(',').map((x) => Number(x.trim()));
        if (o.scenarios.some((x) => !SCENARIOS[x])) die('--scenarios takes numbers from 1 to 7, e.g. 1,2');
        break;
      case '--runs': o.runs = count(v()); break;
      case '--instances': { const n = count(v()); o.instances = { nuomi: n, h5: n }; break; }
      case '--nuomi': o.instances.nuomi = count(v()); break;
      case '--h5': o.instances.h5 = count(v()); break;
      case '--quick': o.quick = true; break;
      case '--docs': o.docs = true; break;
      case '--no-docs': o.docs = false; break;
      case '--note': o.note = v(); break;
      case '--keep': o.keep = true; break;
      case '--work': o.work = v(); break;
      case '--render': o.render = v(); break;
      case '-h': case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: die(`unknown argument ${a}\n${USAGE}`);
    }
  }
  return o;
}

function die(msg) {
  process.stderr.write(`bench/compare: ${msg}\n`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** What the report says about the machine and the software. */
async function machine() {
  const v = async (cmd, args, re = /(.*)/) => {
    const r = await procs.run(cmd, args, { timeoutMs: 20000 });
    const m = re.exec(`${r.out}${r.err}`);
    return m ? m[1].trim() : '?';
  };
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  let pm2 = '?';
  try { pm2 = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'node_modules', 'pm2', 'package.json'), 'utf8')).version; } catch { /* missing */ }
  return {
    cpus: os.cpus().length,
    cpu: cpu ? cpu[1].trim() : '?',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    java: await v('java', ['-version'], /version "([^"]+)"/),
    nginx: await v(NGINX, ['-v'], /nginx\/(\S+)/),
    pm2,
    wrk: await v('wrk', ['-v'], /(wrk \S+)/),
    corralCommit: await v('git', ['-C', ROOT, 'log', '-1', '--format=%h (%cs)']),
    corralJavaOpts: process.env.CORRAL_JAVA_OPTS || 'the defaults of bin/control',
  };
}

/**
 * docs/benchmarks.md: this run's report, then what the page had from its keep marker on (the
 * sections of bench/proxy and bench/isolation, written from their own runs).
 */
function writeDocs(md) {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const at = old.indexOf(report.KEEP_MARKER);
  if (at < 0 && old) log(`docs/benchmarks.md has no line "${report.KEEP_MARKER}": overwriting all of it`);
  fs.writeFileSync(file, at >= 0 ? `${md.trimEnd()}\n\n${old.slice(at)}` : md);
}

/** Writes the report of an earlier run again (after a change to the report's layout). */
function rerender(o) {
  const dir = path.isAbsolute(o.render) ? o.render : path.join(ROOT, 'bench', 'results', o.render);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  const records = fs.readFileSync(path.join(dir, 'raw.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const scenarios = [...new Set(records.map((r) => r.scenario))].sort();
  const md = report.render(meta, records, scenarios);
  fs.writeFileSync(path.join(dir, 'benchmarks.md'), md);
  if (o.docs === true || (o.docs === null && scenarios.length === 7)) writeDocs(md);
  log(`rendered ${path.join(dir, 'benchmarks.md')}${o.docs !== false && scenarios.length === 7 ? ' and docs/benchmarks.md' : ''}`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.render) return rerender(o);
  const runId = process.env[procs.MARK] || `r${process.pid}${Date.now().toString(36)}`;
  process.env[procs.MARK] = runId; // every process started from here on carries it
  const work = o.work || fs.mkdtempSync('/tmp/corral-bench.');
  fs.mkdirSync(work, { recursive: true });
  const self = [process.pid, process.ppid];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const resultsDir = path.join(ROOT, 'bench', 'results', stamp);
  fs.mkdirSync(resultsDir, { recursive: true });
  const rawFile = path.join(resultsDir, 'raw.jsonl');

  // whatever happens, nothing this run started outlives it
  const sweepAll = () => {
    const left = procs.leftovers(runId, [work], self);
    for (const p of left) procs.kill(p.pid);
    return left;
  };
  process.on('exit', sweepAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { log(`${sig}: ending every process of this run`); sweepAll(); process.exit(130); });
  }

  const cfg = settings(o.quick);
  const quote = (a) => (/^[\w.,/=:-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  const command = `bench/compare ${process.argv.slice(2).filter((a, i, all) => a !== '--work' && all[i - 1] !== '--work').map(quote).join(' ')}`.trim();
  const meta = { command, argv: process.argv.slice(2), started: new Date().toISOString(), runs: o.runs, instances: o.instances, quick: o.quick, note: o.note, cfg, machine: await machine() };
  log(`${command}: scenarios ${o.scenarios.join(',')}, ${o.runs} run(s), instances nuomi ${o.instances.nuomi} h5 ${o.instances.h5}; work dir ${work}; results ${resultsDir}`);
  const noise = new NoiseMeter(runId, self, work);
  noise.start();

  const records = [];
  let slot = 0;
  for (const n of o.scenarios) {
    const sc = SCENARIOS[n];
    for (let run = 1; run <= o.runs; run++) {
      const order = slot++ % 2 === 0 ? [Corral, Pm2Nginx] : [Pm2Nginx, Corral]; // A B, then B A: noise hits both
      for (const Kind of order) {
        noise.lap();
        records.push(await runOne({ n, sc, run, Kind, o, cfg, work, rawFile, noise, resultsDir }));
      }
    }
  }
  meta.finished = new Date().toISOString();
  meta.noise = noise.stop();
  const left = procs.leftovers(runId, [work], self);
  meta.leftAtEnd = left;
  if (left.length) log(`processes left at the end (ending them): ${JSON.stringify(left)}`);
  sweepAll();
  if (!o.keep) fs.rmSync(work, { recursive: true, force: true });

  fs.writeFileSync(path.join(resultsDir, 'meta.json'), JSON.stringify(meta, null, 2));
  const md = report.render(meta, records, o.scenarios);
  fs.writeFileSync(path.join(resultsDir, 'benchmarks.md'), md);
  const complete = o.scenarios.length === 7;
  if (o.docs === true || (o.docs === null && complete)) {
    writeDocs(md);
    log('wrote docs/benchmarks.md');
  }
  log(`report: ${path.join(resultsDir, 'benchmarks.md')}`);
  const broken = records.filter((r) => r.error);
  process.stdout.write(report.summary(meta, records, o.scenarios), () => process.exit(broken.length ? 1 : 0));
}

/** One scenario run of one system: run it, then stop what it started and check what is left. */
async function runOne({ n, sc, run, Kind, o, cfg, work, rawFile, noise, resultsDir }) {
  const started = [];
  let seq = 0;
  const ctx = {
    cfg,
    log,
    start: async (K, extra = {}) => {
      const dir = path.join(work, `${n}-${sc.key}-r${run}-${K === Corral ? 'corral' : 'pm2'}-${seq++}`);
      const s = new K(dir, { instances: o.instances, ...extra });
      await s.prepare();
      started.push(s);
      await s.start(extra.waitApps);
      return s;
    },
    stop: (s) => stopAndCheck(s),
  };
  const label = `${n}. ${sc.title}, run ${run}, ${Kind === Corral ? 'Corral' : 'PM2 + nginx'}`;
  log(`${label}: start`);
  const t = Date.now();
  let result;
  try {
    result = await sc.run(Kind, ctx);
  } catch (e) {
    log(`${label}: FAILED: ${e.stack || e.message}`);
    result = { metrics: {}, details: {}, error: e.message };
  }
  const residual = [];
  for (const s of started) {
    if (!s.checked) residual.push(...(await stopAndCheck(s)));
  }
  for (const s of started) residual.push(...(s.residual || []).filter((p) => !residual.includes(p)));
  result.metrics.residual = residual.length;
  result.foreignCpuPct = noise.lap();
  result.details.residual = residual;
  const failed = Object.entries(result.metrics).filter(([k, v]) => /failed$/.test(k) && v > 0).map(([k, v]) => `${k}=${v}`);
  if (Kind === Corral && (failed.length || residual.length || result.error)) keepCorralLogs(started, resultsDir, `${n}-${sc.key}-r${run}`);
  if (!o.keep) for (const s of started) fs.rmSync(s.dir, { recursive: true, force: true });
  const rec = { scenario: n, key: sc.key, system: Kind === Corral ? 'corral' : 'pm2', run, seconds: Math.round((Date.now() - t) / 100) / 10, ...result };
  fs.appendFileSync(rawFile, JSON.stringify(rec) + '\n');
  log(`${label}: done in ${rec.seconds} s${failed.length ? `; ${failed.join(' ')}` : ''}${residual.length ? `; ${residual.length} residual process(es)` : ''}${result.error ? `; error: ${result.error}` : ''}`);
  return rec;
}

/** Keeps the daemon's own log of a Corral run that failed requests, for whoever fixes it. */
function keepCorralLogs(started, resultsDir, name) {
  started.forEach((s, i) => {
    for (const f of ['corral.log', 'corral-daemon.out']) {
      const from = path.join(s.dir, 'home', 'log', f);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(resultsDir, `${name}-corral-${i}-${f}`));
    }
  });
}

/** Stops a system the way its operator would, then lists (and ends) what is still alive. */
async function stopAndCheck(s) {
  if (s.checked) return [];
  s.checked = true;
  try {
    const r = await s.stop();
    if (r.rc !== 0) log(`${s.label} stop: rc ${r.rc}: ${(r.out + r.err).trim().split('\n').pop()}`);
  } catch (e) {
    log(`${s.label} stop failed: ${e.message}`);
  }
  await procs.sleep(300);
  const left = await s.sweep();
  if (left.length) log(`${s.label}: ${left.length} process(es) left after stop, ended: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
  s.residual = left;
  return left;
}

main().catch((e) => { log(e.stack || e.message); process.exit(1); });
