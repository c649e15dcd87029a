/**
 * The operating system seen from the supervisor: the one place that reads {@code /proc}
 * ({@link corral.workers.proc.ProcFs} for one process, {@link corral.workers.proc.ProcTable} for
 * all of them in one pass, {@link corral.workers.proc.PortHolder} for who holds a port) and the one
 * place that signals processes and ends process trees ({@link corral.workers.proc.ProcessTree}).
 *
 * <p>Must not: keep state or decide anything; every method answers "nothing" for a process that
 * is gone rather than throwing.
 */
package corral.workers.proc;
