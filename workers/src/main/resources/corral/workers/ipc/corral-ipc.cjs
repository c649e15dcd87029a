'use strict';
// Corral's IPC channel for a PM2 app (preloaded with `node --require`): gives the app the
// process.send / process.on('message') / process.connected / process.disconnect that a PM2
// cluster-mode instance has, over a Unix domain socket of the Corral daemon, one JSON message a
// line (the framing of Node's own 'json' IPC serialisation).
//
// It must not reach the app's own children: the two variables that name the channel are removed
// from process.env before the app runs, and this file from process.execArgv (which fork() and
// cluster.fork() pass on); a child that loads it anyway finds no variables and does nothing. A
// process that already has a channel (a child forked with 'ipc') keeps Node's own.
(function corralIpc() {
  const socketPath = process.env.CORRAL_IPC_SOCKET;
  const id = process.env.CORRAL_IPC_ID;
  delete process.env.CORRAL_IPC_SOCKET;
  delete process.env.CORRAL_IPC_ID;
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    if ((arg === '--require' || arg === '-r') && process.execArgv[i + 1] === __filename) {
      process.execArgv.splice(i, 2);
      break;
    }
    if (arg === '--require=' + __filename) {
      process.execArgv.splice(i, 1);
      break;
    }
  }
  if (!socketPath || !id || typeof process.send === 'function') {
    return;
  }
  const net = require('net');
  const socket = net.createConnection(socketPath);
  let connected = true;
  let listening = 0;
  socket.setEncoding('utf8');
  // As with Node's channel: it keeps the process alive only while someone listens for messages.
  socket.unref();
  socket.write(JSON.stringify({ corral: 'hello', id: id }) + '\n');

  function closed() {
    if (connected) {
      connected = false;
      process.connected = false;
      process.emit('disconnect');
    }
  }

  let pending = '';
  socket.on('data', (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.length > 0) {
        process.emit('message', JSON.parse(line));
      }
    }
  });
  socket.on('error', closed);
  socket.on('close', closed);

  process.on('newListener', (event) => {
    if (event === 'message' && listening++ === 0) {
      socket.ref();
    }
  });
  process.on('removeListener', (event) => {
    if (event === 'message' && --listening === 0) {
      socket.unref();
    }
  });

  // Messages of one tick go out as one write: a write per message fills the socket's send buffer
  // after a few hundred (each carries ~1 KB of kernel overhead), and what is still queued in the
  // process when it exits is lost. What is left at exit is written synchronously to the socket.
  let queue = [];
  let callbacks = [];
  function flush() {
    if (queue.length === 0) {
      return;
    }
    const data = queue.join('');
    const done = callbacks;
    queue = [];
    callbacks = [];
    socket.write(data, () => done.forEach((cb) => cb(null)));
  }
  process.on('exit', () => {
    const fd = socket._handle && socket._handle.fd;
    if (queue.length === 0 || socket.connecting || !connected || !(fd >= 0)) {
      return;
    }
    const data = Buffer.from(queue.join(''));
    queue = [];
    const fs = require('fs');
    const until = Date.now() + 1000;
    for (let off = 0; off < data.length && Date.now() < until;) {
      try {
        off += fs.writeSync(fd, data, off);
      } catch (e) {
        if (e.code !== 'EAGAIN') {
          return;
        }
      }
    }
  });

  function channelClosed() {
    const error = new Error('Channel closed');
    error.code = 'ERR_IPC_CHANNEL_CLOSED';
    return error;
  }

  process.send = function send(message, handle, options, callback) {
    const args = Array.prototype.slice.call(arguments, 1);
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    if (message === undefined) {
      const error = new TypeError('The "message" argument must be specified');
      error.code = 'ERR_MISSING_ARGS';
      throw error;
    }
    if (args[0] !== undefined && args[0] !== null) {
      throw new Error('Corral\'s IPC channel cannot send handles (sockets, servers)');
    }
    if (!connected) {
      const error = channelClosed();
      if (cb) {
        process.nextTick(cb, error);
      } else {
        process.nextTick(() => process.emit('error', error));
      }
      return false;
    }
    queue.push(JSON.stringify(message) + '\n');
    if (cb) {
      callbacks.push(cb);
    }
    if (queue.length === 1) {
      process.nextTick(flush);
    }
    return true;
  };
  process.connected = true;
  process.disconnect = function disconnect() {
    if (!connected) {
      const error = new Error('IPC channel is already disconnected');
      error.code = 'ERR_IPC_DISCONNECTED';
      throw error;
    }
    socket.end();
    process.nextTick(closed);
  };
})();
