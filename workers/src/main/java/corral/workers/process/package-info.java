/**
 * One worker process's life: how it is launched (in its own session, so its tree can be ended),
 * its explicit state machine, and the immutable view of it that others see.
 */
package corral.workers.process;
