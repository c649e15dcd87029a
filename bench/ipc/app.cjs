'use strict';
// The measured app: listens, says ready; MODE=burst sends N messages then exits at once.
const http = require('http');
const mode = process.env.MODE || 'ready';
if (mode === 'burst-sync') {
  for (let i = 0; i < 1000; i++) process.send({ n: i });
  process.exit(1);
}
if (mode === 'burst-throw') {
  for (let i = 0; i < 1000; i++) process.send({ n: i });
  throw new Error('crash');
}
if (mode === 'burst-later') {
  setTimeout(() => {
    for (let i = 0; i < 1000; i++) process.send({ n: i });
    process.exit(1);
  }, 200);
}
http.createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', () => {
  if (mode === 'burst-late') {
    for (let i = 0; i < 1000; i++) process.send({ n: i });
    process.exit(1);
  }
  if (mode === 'ready') process.send('ready');
});
