'use strict';
// Measures the two IPC designs of issue 18 on this machine: time from spawn to the 'ready'
// message, RSS of the instance's processes once ready, and messages lost when the app exits
// right after sending 1000. Usage: node bench/ipc/measure.cjs [rounds]
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-ipc-'));
const sock = path.join(dir, 'ipc.sock');
const shim = path.resolve(__dirname, '../../workers/src/main/resources/corral/workers/ipc/corral-ipc.cjs');
const app = path.join(__dirname, 'app.cjs');
const launcher = path.join(__dirname, 'launcher.cjs');
const rounds = Number(process.argv[2] || 10);
const waiting = new Map();
const server = net.createServer((c) => {
  let buf = '', id = null, count = 0;
  c.setEncoding('utf8');
  c.on('data', (d) => {
    buf += d;
    let e;
    while ((e = buf.indexOf('\n')) >= 0) {
      const m = JSON.parse(buf.slice(0, e));
      buf = buf.slice(e + 1);
      if (id === null) { id = m.id; continue; }
      if (m === 'ready') waiting.get(id).ready();
      else count++;
    }
  });
  c.on('close', () => waiting.get(id) && waiting.get(id).closed(count));
});
function rssOf(pid) {
  let total = 0;
  const kids = [pid];
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(p));
    } catch (e) { /* gone */ }
  }
  for (const k of kids) {
    try { total += Number(fs.readFileSync(`/proc/${k}/statm`, 'utf8').split(' ')[1]) * 4096; } catch (e) { /* gone */ }
  }
  return total;
}
let seq = 0;
function run(design, mode) {
  return new Promise((resolve) => {
    const id = String(++seq);
    const args = design === 'A' ? ['--require', shim, app] : [launcher, app];
    const begun = process.hrtime.bigint();
    const child = spawn('node', args, { env: Object.assign({}, process.env, { CORRAL_IPC_SOCKET: sock, CORRAL_IPC_ID: id, MODE: mode }), stdio: 'ignore', detached: true });
    const result = {};
    waiting.set(id, {
      ready() { result.ms = Number(process.hrtime.bigint() - begun) / 1e6; result.rss = rssOf(child.pid); process.kill(-child.pid, 'SIGKILL'); },
      closed(count) { result.received = count; resolve(result); },
    });
    // The daemon's side closes once it has read everything; a channel never opened counts as 0.
    // The whole group: option B's launcher has the app as its child.
    child.on('exit', () => { try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* gone */ } setTimeout(() => resolve(result), 2000); });
  });
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
server.listen(sock, async () => {
  for (const design of ['A', 'B']) {
    const ms = [], rss = [];
    for (let i = 0; i < rounds; i++) { const r = await run(design, 'ready'); ms.push(r.ms); rss.push(r.rss); }
    const lost = {};
    for (const mode of ['burst-sync', 'burst-throw', 'burst-late', 'burst-later']) lost[mode] = 1000 - ((await run(design, mode)).received || 0);
    console.log(`option ${design}: start to ready median ${median(ms).toFixed(0)} ms, RSS median ${(median(rss) / 1048576).toFixed(1)} MB; of 1000 messages sent then exit, lost: ${JSON.stringify(lost)}`);
  }
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
