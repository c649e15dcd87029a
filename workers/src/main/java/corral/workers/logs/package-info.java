/**
 * Worker log capture: each instance's stdout and stderr are read line by line and appended whole
 * to their files ({@code merge_logs} false: one file per instance; true: one per app), with an
 * optional timestamp per line. Files can be reopened on command, for logrotate.
 */
package corral.workers.logs;
