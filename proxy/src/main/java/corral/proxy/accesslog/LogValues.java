package corral.proxy.accesslog;

/** The variables of one finished request, as a log line reads them. */
@FunctionalInterface
public interface LogValues {

    /**
     * A variable's value as a byte string (one char per byte), or null when nginx would call it
     * "not found" (a header the request did not have, {@code $upstream_addr} of a request that
     * was not proxied).
     *
     * @param name the lower-cased name, without "$"
     */
    String value(String name);
}
