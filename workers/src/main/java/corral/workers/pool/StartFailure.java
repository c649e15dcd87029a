package corral.workers.pool;

/** An instance that did not become ready: why, with the last lines it wrote to stderr. */
public final class StartFailure extends RuntimeException {

    public StartFailure(String message) {
        super(message, null, false, false);
    }
}
