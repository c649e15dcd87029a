package corral.proxy.control;

/** The command line is wrong: the message says how, and the exit code is 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message, null, false, false);
    }
}
