'use strict';
/*
 * The two systems under comparison, behind one shape:
 *   Corral        one daemon (bin/control, its own CORRAL_HOME): vhost listener + app listeners
 *   PM2 + nginx   a PM2 God daemon (its own PM2_HOME, cluster mode, app ports) + an nginx
 *                 (its own prefix and pid file) carrying the same vhost server block
 * Each instance lives in its own scratch directory with its own copy of app.js per app (so a
 * BROKEN_RELEASE marker touches nothing shared), its own free ports, and the same pm2.json: the
 * seed's conf/pm2.json with the ports, instance counts and script paths of this run.
 */
const fs = require('fs');
const path = require('path');
const procs = require('./procs');
const { request, freePort, waitServedBy } = require('./http');

const ROOT = path.resolve(__dirname, '..', '..');
const APP_JS = path.join(ROOT, 'test-fixtures', 'app', 'app.js');
const APPS = ['nuomi', 'h5'];
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const PM2_CLI = path.join(ROOT, 'bench', 'node_modules', 'pm2', 'bin', 'pm2');

/** The seed's pm2.json with this run's ports, instance counts, script paths and overrides. */
function ecosystem(dir, ports, o) {
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'conf', 'pm2.json'), 'utf8'));
  for (const app of seed.apps) {
    app.script = path.join(dir, app.name, 'app.js');
    app.cwd = path.join(dir, app.name);
    app.instances = String(o.instances[app.name]);
    if (o.maxMemory) app.max_memory_restart = o.maxMemory;
    app.env = { ...app.env, PORT: ports[app.name], ...(o.env && o.env[app.name]) };
    // Corral's isolation attributes (cpus, cpu_weight, ...): PM2 ignores keys it does not know.
    Object.assign(app, o.resources && o.resources[app.name]);
  }
  return seed;
}

/** conf/vhost/default.conf, listening on `port`; for nginx with its upstream keep-alive lines. */
function vhostServer(port, forNginx) {
  let text = fs.readFileSync(path.join(ROOT, 'conf', 'vhost', 'default.conf'), 'utf8');
  const listen = /listen 8080 default_server;/;
  if (!listen.test(text)) throw new Error('conf/vhost/default.conf: expected "listen 8080 default_server;"');
  const extra = forNginx ? '\n    proxy_http_version 1.1;\n    proxy_set_header Connection "";' : '';
  return text.replace(listen, `listen 127.0.0.1:${port} default_server;${extra}`);
}

class System {
  constructor(dir, o) {
    this.dir = dir;
    this.o = o;
    this.ports = null;
  }

  async prepare() {
    fs.mkdirSync(this.dir, { recursive: true });
    const ports = {};
    for (const k of ['vhost', ...APPS]) ports[k] = await freePort(Object.values(ports));
    this.ports = ports;
    for (const app of APPS) {
      fs.mkdirSync(path.join(this.dir, app), { recursive: true });
      fs.copyFileSync(APP_JS, path.join(this.dir, app, 'app.js'));
    }
    fs.writeFileSync(this.confFile, JSON.stringify(ecosystem(this.dir, ports, this.o), null, 2) + '\n');
  }

  get confFile() { return path.join(this.dir, 'pm2.json'); }

  /** `where` is 'vhost' or an app name (its public port). */
  url(where, p) { return `http://127.0.0.1:${this.ports[where]}${p}`; }

  breakRelease(app) { fs.writeFileSync(path.join(this.dir, app, 'BROKEN_RELEASE'), 'simulated broken release\n'); }
  fixRelease(app) { fs.rmSync(path.join(this.dir, app, 'BROKEN_RELEASE'), { force: true }); }

  /** Waits until the pool of `app` is complete and each instance has answered through the app port. */
  async waitFull(app, ms = 15000) {
    const until = Date.now() + ms;
    let pool;
    while (Date.now() < until) {
      pool = await this.pool(app);
      if (pool.ready === pool.configured) break;
      await procs.sleep(100);
    }
    const pids = pool.instances.filter((i) => i.ready).map((i) => i.pid);
    // /<app>/health is the app's own answer (with X-Worker-Pid); a bare /health is Corral's probe
    const seen = await waitServedBy(this.url(app, `/${app}/health`), pids, Math.max(1000, until - Date.now()));
    return { pool, served: seen };
  }

  /** Processes of this system still alive (by scratch dir in the command line, and descendants). */
  leftovers() { return procs.leftovers(null, [this.dir], [process.pid]); }

  /** Ends (SIGKILL) whatever is left, returns what was found first. */
  async sweep() {
    const left = this.leftovers();
    for (const p of left) procs.kill(p.pid);
    if (left.length) await procs.waitGone(left.map((p) => p.pid), 3000);
    return left;
  }
}

class Corral extends System {
  constructor(dir, o) {
    super(dir, o);
    this.key = 'corral';
    this.label = 'Corral';
  }

  get home() { return path.join(this.dir, 'home'); }
  get env() { return { ...process.env, CORRAL_HOME: this.home }; }

  async prepare() {
    await super.prepare();
    fs.mkdirSync(path.join(this.dir, 'vhost'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'vhost', 'default.conf'), vhostServer(this.ports.vhost, false));
  }

  control(...args) {
    return procs.run(path.join(ROOT, 'bin', 'control'), args, { env: this.env, timeoutMs: 90000 });
  }

  startCommand() { return `CORRAL_HOME=${this.home} bin/control start --conf ${this.confFile} --vhost ${this.dir}/vhost`; }

  async start(waitApps = APPS) {
    const r = await this.control('start', '--conf', this.confFile, '--vhost', path.join(this.dir, 'vhost'));
    if (r.rc !== 0) throw new Error(`corral start failed (rc ${r.rc}): ${r.out}${r.err}`);
    for (const app of waitApps) await this.waitFull(app);
    return r;
  }

  /** `bin/control reload <app>`: {rc, ms, out, err}. */
  reload(app) { return this.control('reload', app); }
  reloadCommand(app) { return `bin/control reload ${app}`; }

  daemonPid() {
    try { return Number(fs.readFileSync(path.join(this.home, 'run', 'daemon.pid'), 'utf8').trim()); } catch { return null; }
  }

  /** The processes that are "the supervisor and the proxy" (for memory): the daemon alone. */
  proxyPids() { return { daemon: [this.daemonPid()].filter(Boolean) }; }

  async status() {
    const admin = JSON.parse(fs.readFileSync(path.join(this.home, 'run', 'admin.json'), 'utf8'));
    const token = fs.readFileSync(path.join(this.home, 'run', 'token'), 'utf8').trim();
    const r = await request(`http://127.0.0.1:${admin.port}/v1/status`, { headers: { 'X-Corral-Token': token }, timeoutMs: 3000 });
    if (r.status !== 200) throw new Error(`corral status: ${r.status || r.error} ${r.body || ''}`);
    return JSON.parse(r.body);
  }

  /** What limits the pools: Corral's cgroup line, as `check`, `start` and `status` print it. */
  async limits() {
    const line = ((await this.status()).cgroups || {}).summary || '?';
    return line.replace(/ at [^:]*:/, ':'); // the paths name this run's scratch home
  }

  async pool(app) {
    const a = (await this.status()).apps.find((x) => x.name === app);
    return {
      configured: a.configured,
      ready: a.ready,
      instances: a.instances.map((i) => ({ pid: i.pid, state: i.state, ready: i.state === 'ready', restarts: i.restarts, rssMb: Math.round(i.rss / 1048576) })),
    };
  }

  async stop() {
    const r = await this.control('kill');
    const pid = this.daemonPid();
    if (pid) await procs.waitGone([pid], 10000);
    return r;
  }

  killDaemon() { procs.kill(this.daemonPid(), 'SIGKILL'); }
}

class Pm2Nginx extends System {
  constructor(dir, o) {
    super(dir, o);
    this.key = 'pm2';
    this.label = 'PM2 + nginx';
    this.client = null;
  }

  get pm2Home() { return path.join(this.dir, 'pm2home'); }
  get nginxDir() { return path.join(this.dir, 'nginx'); }
  get env() { return { ...process.env, PM2_HOME: this.pm2Home }; }

  async prepare() {
    await super.prepare();
    fs.mkdirSync(path.join(this.nginxDir, 'temp'), { recursive: true });
    const upstream = (app) => `    upstream ${app} {\n        server 127.0.0.1:${this.ports[app]};\n        keepalive 64;\n    }\n`;
    fs.writeFileSync(path.join(this.nginxDir, 'vhost.conf'), vhostServer(this.ports.vhost, true));
    const t = path.join(this.nginxDir, 'temp');
    fs.writeFileSync(path.join(this.nginxDir, 'nginx.conf'), `# generated by bench/compare
worker_processes auto;
pid ${this.nginxDir}/nginx.pid;
error_log ${this.nginxDir}/error.log;
events { worker_connections 4096; }
http {
    access_log ${this.nginxDir}/access.log combined buffer=64k flush=1s;
    client_body_temp_path ${t}/body;
    proxy_temp_path ${t}/proxy;
    fastcgi_temp_path ${t}/fastcgi;
    uwsgi_temp_path ${t}/uwsgi;
    scgi_temp_path ${t}/scgi;
${APPS.map(upstream).join('')}    include ${this.nginxDir}/vhost.conf;
}
`);
  }

  pm2(...args) {
    return procs.run(process.execPath, [PM2_CLI, ...args], { env: this.env, timeoutMs: 90000 });
  }

  startCommand() {
    return `PM2_HOME=${this.pm2Home} pm2 start ${this.confFile} && nginx -p ${this.nginxDir} -c ${this.nginxDir}/nginx.conf`;
  }

  async startPm2(waitApps = APPS) {
    const r = await this.pm2('start', this.confFile);
    if (r.rc !== 0) throw new Error(`pm2 start failed (rc ${r.rc}): ${r.out}${r.err}`);
    await this.connect();
    for (const app of waitApps) await this.waitFull(app);
    return r;
  }

  async start(waitApps = APPS) {
    const r = await this.startPm2(waitApps);
    const n = await procs.run(NGINX, ['-p', this.nginxDir, '-e', `${this.nginxDir}/error.log`, '-c', `${this.nginxDir}/nginx.conf`]);
    if (n.rc !== 0) throw new Error(`nginx failed to start: ${n.err}`);
    const until = Date.now() + 5000;
    while (Date.now() < until && (await request(this.url('vhost', '/ngx-ok'))).status !== 200) await procs.sleep(50);
    return r;
  }

  /** A client of this PM2_HOME's God daemon (pm2's own API), for fast pool polling. */
  async connect() {
    this.disconnect();
    // require('pm2') builds a default client for $PM2_HOME (~/.pm2 when unset) and creates its
    // directories: point it at this run's home while it loads, so nothing outside /tmp is touched.
    const saved = process.env.PM2_HOME;
    process.env.PM2_HOME = this.pm2Home;
    const API = require(path.join(ROOT, 'bench', 'node_modules', 'pm2')).custom;
    if (saved === undefined) delete process.env.PM2_HOME; else process.env.PM2_HOME = saved;
    delete process.env.PM2_PROGRAMMATIC; // set by require('pm2'); must not reach the pm2 CLI runs
    const client = new API({ pm2_home: this.pm2Home });
    await new Promise((resolve, reject) => client.connect((e) => (e ? reject(e) : resolve())));
    this.client = client;
  }

  disconnect() {
    if (!this.client) return;
    const c = this.client;
    this.client = null;
    try { c.disconnect(() => {}); } catch { /* already gone */ }
  }

  list() {
    return new Promise((resolve, reject) => {
      // 10 s: with the seed's 24 instances, God answered later than 3 s while one of them was
      // replaced (scenario 6, --nuomi 14 --h5 10: two of three runs lost).
      const timer = setTimeout(() => reject(new Error('pm2 list: no answer in 10 s')), 10000);
      this.client.list((e, l) => { clearTimeout(timer); e ? reject(e) : resolve(l); });
    });
  }

  /** PM2 has no per-pool limits. */
  async limits() { return 'none (PM2 cluster mode, unpinned)'; }

  async pool(app) {
    const mine = (await this.list()).filter((p) => p.name === app);
    const instances = mine.map((p) => ({ pid: p.pid, state: p.pm2_env.status, ready: p.pm2_env.status === 'online',
      restarts: p.pm2_env.restart_time, rssMb: p.monit ? Math.round(p.monit.memory / 1048576) : null }));
    return { configured: this.o.instances[app], ready: instances.filter((i) => i.ready).length, instances };
  }

  reload(app) { return this.pm2('reload', app); }
  reloadCommand(app) { return `pm2 reload ${app}`; }

  daemonPid() {
    try { return Number(fs.readFileSync(path.join(this.pm2Home, 'pm2.pid'), 'utf8').trim()); } catch { return null; }
  }

  nginxPid() {
    try { return Number(fs.readFileSync(path.join(this.nginxDir, 'nginx.pid'), 'utf8').trim()); } catch { return null; }
  }

  proxyPids() {
    const master = this.nginxPid();
    return {
      daemon: [this.daemonPid()].filter(Boolean),
      nginx: master ? procs.tree(master) : [],
    };
  }

  async stop() {
    this.disconnect();
    const god = this.daemonPid();
    const r = procs.alive(god) ? await this.pm2('kill') : { rc: 0, out: '(no PM2 daemon alive)', err: '', ms: 0 };
    if (god) await procs.waitGone([god], 10000);
    const master = this.nginxPid();
    if (procs.alive(master)) {
      const tree = procs.tree(master);
      procs.kill(master, 'SIGQUIT');
      await procs.waitGone(tree, 10000);
    }
    return r;
  }

  killDaemon() { procs.kill(this.daemonPid(), 'SIGKILL'); }
}

module.exports = { Corral, Pm2Nginx, APPS, ROOT, NGINX, PM2_CLI };
