'use strict';
// Option B of issue 18, kept for the measurement only: a launcher that runs the app with Node's
// own IPC (child_process.fork) and relays its messages over the daemon's socket.
const net = require('net');
const { fork } = require('child_process');
const socket = net.createConnection(process.env.CORRAL_IPC_SOCKET);
socket.write(JSON.stringify({ corral: 'hello', id: process.env.CORRAL_IPC_ID }) + '\n');
const env = Object.assign({}, process.env);
delete env.CORRAL_IPC_SOCKET;
delete env.CORRAL_IPC_ID;
const child = fork(process.argv[2], process.argv.slice(3), { env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
child.on('message', (m) => socket.write(JSON.stringify(m) + '\n'));
let pending = '';
socket.setEncoding('utf8');
socket.on('data', (c) => {
  pending += c;
  let end;
  while ((end = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    if (line) child.send(JSON.parse(line));
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => socket.end(() => process.exit(code === null ? 128 : code)));
