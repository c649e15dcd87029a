/** The supervisor: the set of pools of one daemon, and the commands that act on them by app name. */
package corral.workers.supervisor;
