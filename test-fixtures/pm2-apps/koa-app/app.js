'use strict';
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

router.get('/', (ctx) => {
  ctx.body = { app: 'koa', worker: process.env.pm_id, instance: process.env.NODE_APP_INSTANCE };
});
router.get('/health', (ctx) => {
  ctx.body = 'ok';
});

app.use(async (ctx, next) => {
  const started = Date.now();
  await next();
  ctx.set('X-Response-Time', `${Date.now() - started}ms`);
});
app.use(router.routes()).use(router.allowedMethods());

const server = app.listen(process.env.PORT || 3000);

function shutdown(why) {
  console.log(`${why}: closing`);
  server.close(() => process.exit(0));
}
process.on('message', (msg) => {
  if (msg === 'shutdown') shutdown('shutdown message');
});
process.on('SIGINT', () => shutdown('SIGINT'));
