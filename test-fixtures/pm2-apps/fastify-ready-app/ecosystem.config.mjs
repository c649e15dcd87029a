export default {
  apps: [
    {
      name: 'fastify-ready',
      script: './index.js',
      instances: 2,
      exec_mode: 'cluster',
      wait_ready: true,
      listen_timeout: 10000,
      kill_timeout: 3000,
      env: {
        PORT: process.env.FASTIFY_READY_PORT || 5000,
      },
    },
  ],
};
