'use strict';
/*
 * A worker written for PM2's graceful start and stop, as PM2's docs teach: listen on PORT, then
 * process.send('ready') (for wait_ready); on the message 'shutdown' (shutdown_with_message) or
 * SIGINT, close and exit 0. Plain `http`, no npm dependencies.
 *
 * Routes:
 *   GET /env      JSON: PM2's variables as this instance sees them (pm_id, name, instances, ...)
 *   GET /ipc      JSON: typeof process.send, process.connected, execArgv, the CORRAL_IPC_* variables
 *                 left in its env, and what a node child it starts (with its execArgv) sees
 *   GET /send?m=X process.send({type: 'process:msg', data: X}); answers "sent"
 *   GET /crash    process.send({last: 'words'}), then exit(3) at once
 *   other         200 "pid <pid>"
 * Environment:
 *   READY=never        never send 'ready'
 *   READY_DELAY_MS=N   send 'ready' N ms after listening
 * stdout gets one line per event: "listening", "ready sent", "message <json>", "shutdown message",
 * "SIGINT".
 */
const http = require('http');
const { spawnSync } = require('child_process');

const PM2_VARS = ['pm_id', 'name', 'instances', 'exec_mode', 'pm_exec_path', 'pm_out_log_path',
  'pm_err_log_path', 'unique_id', 'NODE_APP_INSTANCE', 'PM2_HOME'];

function ipcReport() {
  const probe = 'JSON.stringify({send: typeof process.send, vars: Object.keys(process.env)'
    + '.filter((k) => k.startsWith("CORRAL_IPC")), execArgv: process.execArgv})';
  const child = spawnSync(process.execPath, [...process.execArgv, '-p', probe], { encoding: 'utf8' });
  return {
    send: typeof process.send,
    connected: process.connected,
    execArgv: process.execArgv,
    vars: Object.keys(process.env).filter((k) => k.startsWith('CORRAL_IPC')),
    child: JSON.parse(child.stdout),
  };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/env') {
    const env = {};
    for (const name of PM2_VARS) env[name] = process.env[name] === undefined ? null : process.env[name];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(env));
  } else if (url.pathname === '/ipc') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(ipcReport()));
  } else if (url.pathname === '/send') {
    process.send({ type: 'process:msg', data: url.searchParams.get('m') });
    res.end('sent');
  } else if (url.pathname === '/crash') {
    process.send({ last: 'words' });
    process.exit(3);
  } else {
    res.end('pid ' + process.pid);
  }
});

function stop(why) {
  console.log(why);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
}

process.on('message', (message) => {
  console.log('message ' + JSON.stringify(message));
  if (message === 'shutdown') stop('shutdown message');
});
process.on('SIGINT', () => stop('SIGINT'));

server.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => {
  console.log('listening');
  if (process.env.READY === 'never') return;
  setTimeout(() => {
    process.send('ready');
    console.log('ready sent');
  }, Number(process.env.READY_DELAY_MS || 0));
});
