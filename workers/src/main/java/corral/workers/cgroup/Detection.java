package corral.workers.cgroup;

/** What looking for one kind of cgroup file system found: one Corral can use, or why not. */
sealed interface Detection {

    record Usable(Hierarchy hierarchy) implements Detection {
    }

    record Unusable(String reason) implements Detection {
    }
}
