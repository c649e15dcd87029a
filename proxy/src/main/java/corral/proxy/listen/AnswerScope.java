package corral.proxy.listen;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.function.BooleanSupplier;

/**
 * Which answer of an exchange the response wrappers installed for it belong to. Undertow cannot
 * take a wrapper back; when an error page takes over an exchange after its wrappers were put in
 * (the first location's gzip, add_header...), those of the first answer must stop applying, as
 * nginx applies only the filters of the location the request ends in.
 */
final class AnswerScope {

    private static final AttachmentKey<Integer> KEY = AttachmentKey.create(Integer.class);

    private AnswerScope() {
    }

    /** True while the exchange is still on the answer it is on now. */
    static BooleanSupplier current(HttpServerExchange exchange) {
        Integer now = exchange.getAttachment(KEY);
        return () -> java.util.Objects.equals(now, exchange.getAttachment(KEY));
    }

    /** The exchange moves on to another answer: the wrappers installed so far no longer apply. */
    static void next(HttpServerExchange exchange) {
        Integer now = exchange.getAttachment(KEY);
        exchange.putAttachment(KEY, now == null ? 1 : now + 1);
    }
}
