module.exports = {
  apps: [{
    name: 'express-app',
    script: './server.js',
    instances: 2,
    exec_mode: 'cluster',
    max_memory_restart: '200M',
    env: {
      NODE_ENV: 'development',
      PORT: process.env.EXPRESS_APP_PORT || 3000,
    },
    env_production: {
      NODE_ENV: 'production',
    },
  }],
};
