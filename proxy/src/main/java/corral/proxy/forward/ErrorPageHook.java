package corral.proxy.forward;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * What the routing layer makes of an error the forwarder meets (nginx's {@code error_page}):
 * put on the exchange under {@link #KEY} by the vhost rules when error pages apply. The one place
 * the forwarder asks it: where the instance's status is known ({@code proxy_intercept_errors}),
 * and where the forwarder would send its own 502/503/504.
 */
public interface ErrorPageHook {

    AttachmentKey<ErrorPageHook> KEY = AttachmentKey.create(ErrorPageHook.class);

    /** Whether the instance's answer with {@code status} is dropped (with its connection) for an error page. */
    boolean intercepts(int status);

    /**
     * Takes the exchange over with the error page of {@code status} when there is one, and
     * returns true: the forwarder then sends nothing. False: the forwarder sends its own answer.
     * {@code fromInstance}: the status is an instance's answer that {@link #intercepts} took.
     */
    boolean answer(HttpServerExchange exchange, int status, boolean fromInstance);
}
