'use strict';
const express = require('express');

const app = express();
const port = process.env.PORT || 3000;

app.get('/', (req, res) => {
  res.json({ app: 'express', instance: process.env.NODE_APP_INSTANCE, pid: process.pid });
});
app.get('/users/:id', (req, res) => {
  res.json({ id: req.params.id, name: `user ${req.params.id}` });
});

const server = app.listen(port, () => {
  console.log(`Example app listening on port ${port}`);
});

process.on('SIGINT', () => {
  console.log('SIGINT received: closing the server');
  server.close(() => process.exit(0));
});
