package corral.proxy.admin;

/** A command that cannot be done as asked: the HTTP status and one clear line for the operator. */
public final class CommandException extends RuntimeException {

    private final int status;

    public CommandException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
