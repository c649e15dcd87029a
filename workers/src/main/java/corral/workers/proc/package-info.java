/**
 * The operating system seen from the supervisor: the one place that reads {@code /proc}
 * ({@link corral.workers.proc.ProcFs}) and the one place that signals processes and ends process
 * trees ({@link corral.workers.proc.ProcessTree}).
 */
package corral.workers.proc;
