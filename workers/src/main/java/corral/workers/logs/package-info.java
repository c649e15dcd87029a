/**
 * Worker log capture: each instance's stdout and stderr are read line by line and appended whole
 * to their files ({@code merge_logs} false: one file per instance; true: one per app), with an
 * optional timestamp per line. Files can be reopened on command, for logrotate. A file that cannot
 * be written (disk full) drops and counts its lines and resumes by itself; the daemon's access log
 * is written through the same {@link corral.workers.logs.LogFile}, and its times are formatted
 * once per second by {@link corral.workers.logs.SecondText}.
 * It knows nothing of processes or pools: it is handed streams and writes lines.
 */
package corral.workers.logs;
