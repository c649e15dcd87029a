'use strict';
// bench/proxy's fast upstream: the least a node worker can do per request (a 2-byte "ok", no
// access line, no routing), so that what a proxy costs is not hidden behind its upstream's cost
// (issue 12). The sample app (test-fixtures/app/app.js) is bench/proxy's second upstream kind.
// Listens on PORT (HOST, default 127.0.0.1) as Corral and PM2 start it; SIGINT/SIGTERM: exit.
const http = require('http');

const server = http.createServer((req, res) => {
  req.resume(); // a body, if any, is read and dropped
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
  res.end('ok');
});
server.listen(Number(process.env.PORT || 3000), process.env.HOST || '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { server.close(() => process.exit(0)); server.closeIdleConnections(); });
}
