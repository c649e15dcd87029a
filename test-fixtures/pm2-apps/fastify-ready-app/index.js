import Fastify from 'fastify';

const fastify = Fastify({ logger: false });

// Some warm-up before the service may take traffic (e.g. a cache to fill).
const warmUp = () => new Promise((resolve) => setTimeout(resolve, 300));

fastify.get('/', async () => ({ app: 'fastify', pid: process.pid }));
fastify.get('/items/:id', async (request) => ({ id: request.params.id }));

await warmUp();
await fastify.listen({ port: Number(process.env.PORT || 5000), host: '127.0.0.1' });
console.log('listening, telling PM2 we are ready');
process.send('ready');

process.on('SIGINT', async () => {
  console.log('SIGINT: closing');
  await fastify.close();
  process.exit(0);
});
