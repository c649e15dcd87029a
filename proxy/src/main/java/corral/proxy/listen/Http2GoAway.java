package corral.proxy.listen;

import io.undertow.protocols.http2.Http2Channel;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import java.lang.reflect.Field;

/**
 * How an idle HTTP/2 connection is closed to make room: as nginx's
 * {@code ngx_http_v2_finalize_connection}, a GOAWAY with NO_ERROR and the last stream it took,
 * then the close ({@link Http2Channel#sendGoAway} flushes it and closes). Undertow's only way to
 * its {@link Http2Channel} from a request is a private field of {@link Http2ServerConnection}
 * (Undertow 2.4); should it move, the connection is closed without the GOAWAY (its client sees
 * the connection end and opens another, as after a lost connection).
 */
final class Http2GoAway {

    private static final Field CHANNEL = channelField();

    private Http2GoAway() {
    }

    /** The GOAWAY-and-close of the stream's connection, or null if Undertow hides it. */
    static Runnable of(Http2ServerConnection stream) {
        if (CHANNEL == null) {
            return null;
        }
        try {
            Http2Channel channel = (Http2Channel) CHANNEL.get(stream);
            return () -> channel.sendGoAway(Http2Channel.ERROR_NO_ERROR);
        } catch (IllegalAccessException | ClassCastException e) {
            return null;
        }
    }

    private static Field channelField() {
        try {
            Field f = Http2ServerConnection.class.getDeclaredField("channel");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
