package corral.proxy.forward;

/**
 * Where one line per forwarded request goes. Called on an IO thread when the exchange completes:
 * an implementation must not block (queue the record, write it elsewhere).
 */
@FunctionalInterface
public interface AccessLog {

    void log(AccessRecord record);

    /** Logs nothing. */
    AccessLog NONE = record -> { };
}
