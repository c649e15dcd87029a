/**
 * One worker process's life: how it is launched (in its own session, so its tree can be ended),
 * its explicit state machine, and the immutable view of it that others see.
 * It does not decide when a worker starts, restarts or is replaced (the pool and
 * {@code restart} do) and knows no HTTP.
 */
package corral.workers.process;
