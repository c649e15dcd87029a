/**
 * The channel between the daemon and each Node instance that PM2 apps expect: {@code
 * process.send(msg)}, {@code process.on('message')}, {@code process.connected}. One Unix domain
 * socket per home ({@code run/ipc.sock}, {@link ChannelServer}); a preload, {@code
 * corral-ipc.cjs} (started as {@code node --require <run/corral-ipc.cjs>}), connects each
 * instance to it and says which worker it is; {@link Channel} is one instance's end. Messages are
 * JSON, one a line, as in Node's own IPC. An instance's {@code 'ready'} marks the channel (the
 * {@code wait_ready} readiness check reads it); any other message is logged by {@code corral.ipc}.
 *
 * <p>Why a preload and not Node's own channel through a fork launcher: per instance it costs one
 * node process instead of two (43 MB RSS against 85 MB) and starts in about half the time, and a
 * message sent once the channel is up survives an immediate exit (bench/ipc/measure.cjs; the
 * figures are in docs/pm2-compatibility.md).
 * It imports nothing else of Corral: it carries messages and leaves what they mean to its
 * callers (readiness, the pool).
 */
package corral.workers.ipc;
