package corral.proxy.forward;

import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The proxy's own error responses: a status and a one-line text body naming the pool. The
 * {@link Forwarder} ends a failed exchange with 503 (no instance left, or a failure it will not
 * retry) or 500 (a broken body transfer) and no body; as a {@link DefaultResponseListener} this
 * replaces that, while nothing was sent to the client yet, with what the attempt's
 * {@link FailureKind} calls for: 502 when instances failed, 504 on a read timeout.
 */
final class ErrorResponses implements DefaultResponseListener {
    static final ErrorResponses INSTANCE = new ErrorResponses();

    private ErrorResponses() {
    }

    @Override
    public boolean handleDefaultResponse(HttpServerExchange exchange) {
        Forwarding forwarding = exchange.getAttachment(Forwarding.KEY);
        if (forwarding == null || exchange.isResponseStarted()) {
            return false;
        }
        if (forwarding.intercepted() > 0) {
            return answerPage(exchange, forwarding, forwarding.intercepted(), true);
        }
        send(exchange, forwarding, forwarding.failure());
        return true;
    }

    /** The rules' error page for {@code status} takes the exchange over, when they have one. */
    private static boolean answerPage(HttpServerExchange exchange, Forwarding forwarding, int status,
                                      boolean fromInstance) {
        ErrorPageHook hook = exchange.getAttachment(ErrorPageHook.KEY);
        if (hook == null) {
            return false;
        }
        exchange.removeAttachment(ErrorPageHook.KEY); // the page attaches its own if it proxies
        exchange.getResponseHeaders().clear();
        if (fromInstance && forwarding != null) {
            exchange.getResponseHeaders().addAll(Headers.WWW_AUTHENTICATE, forwarding.challenges());
        }
        if (!hook.answer(exchange, status, fromInstance)) {
            return false;
        }
        if (forwarding != null) {
            forwarding.finish(); // the instance and the pool's slot are not needed for the page
        }
        return true;
    }

    static void send(HttpServerExchange exchange, Forwarding forwarding, FailureKind kind) {
        String app = forwarding == null ? "-" : forwarding.app();
        if (forwarding != null) {
            forwarding.answered(kind);
        }
        if (answerPage(exchange, forwarding, kind.status(), false)) {
            return;
        }
        // Headers copied from a response that could not be passed on must not reach the client.
        exchange.getResponseHeaders().clear();
        exchange.setStatusCode(kind.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(kind.body(app));
    }
}
