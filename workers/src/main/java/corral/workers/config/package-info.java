/**
 * The PM2 ecosystem file ({@code pm2.json}, or an {@code ecosystem.config.js}/{@code .cjs}/{@code
 * .mjs} that node evaluates first) read into validated, immutable app configurations.
 *
 * <p>This is where promise 1 of the design lives: a PM2 file loads unchanged, every PM2 app
 * attribute is either honoured with PM2's meaning or reported as not supported, and every
 * mistake is found at load, all of them at once, each naming the file, line, app and attribute.
 * {@link corral.workers.config.EcosystemLoader} is the only way in; it yields an
 * {@link corral.workers.config.Ecosystem} of {@link corral.workers.config.AppConfig}s or a
 * {@link corral.workers.config.ConfigException} listing every
 * {@link corral.workers.config.ConfigProblem}. Nothing downstream re-checks or guesses:
 * paths are absolute, durations are {@link java.time.Duration}s, the environment is merged.
 * {@link corral.workers.config.EcosystemReport} renders a load for {@code bin/control check}.
 *
 * <p>The rest of the package is internal: the lenient JSON reading that matches PM2's
 * JavaScript evaluation of the file, the catalogue of PM2 attributes and their aliases, and one
 * small reader per kind of value.
 *
 * <p>It reads files and knows nothing of processes, pools or the proxy: nothing else in
 * {@code workers} is imported here.
 */
package corral.workers.config;
