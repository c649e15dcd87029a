/** Where a daemon keeps everything it writes: one home directory, so two homes never meet. */
package corral.workers.home;
