module.exports = {
  apps: [
    {
      name: 'koa-api',
      script: 'app.js',
      cwd: __dirname,
      instances: 2,
      exec_mode: 'cluster',
      shutdown_with_message: true,
      kill_timeout: 3000,
      merge_logs: true,
      env: {
        PORT: process.env.KOA_API_PORT || 4000,
      },
    },
  ],
};
