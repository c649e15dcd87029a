package corral.proxy.listen;

import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The socket's read side of a plain client connection, with its read interest suspended lazily.
 * Undertow's {@code HttpReadListener} suspends a connection's reads once a request header is read
 * and resumes them when the exchange completes; the JDK's epoll selector turns the interest going
 * to none into {@code EPOLL_CTL_DEL} and back into {@code EPOLL_CTL_ADD}: two system calls per
 * request, and the selector's update queue, which nginx (edge-triggered, its interest kept) does
 * not pay (issue 12: 2.0 of Corral's ~8.9 system calls per proxied request, nginx's 5.1).
 *
 * <p>Here a suspension asked for on the I/O thread is only noted: the socket stays registered for
 * reads, and nothing comes while a keep-alive client waits for its answer. If bytes (a pipelined
 * request) or the end of the stream do come first, the selector reports them, and only then are
 * reads really suspended, without telling Undertow: the epoll interest being level-triggered, the
 * next {@code resumeReads} reports them again. A resumption is always passed on (XNIO does nothing
 * for reads already resumed); a suspension asked for from another thread is made at once. The note
 * is guarded by the conduit's lock: a resumption from another thread racing the really-suspend
 * would otherwise be undone by it, and the connection would hang. TLS connections keep their
 * conduit as it is: the SSL conduit reads for handshakes on its own terms.
 */
final class LazySuspendConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    /** Reads are suspended for Undertow but the socket's interest is still set. */
    private boolean suspended; // guarded by this

    LazySuspendConduit(StreamSourceConduit next) {
        super(next);
    }

    @Override
    public synchronized void suspendReads() {
        if (next.getReadThread() != Thread.currentThread()) {
            suspended = false;
            next.suspendReads();
        } else if (next.isReadResumed()) {
            suspended = true;
        }
    }

    @Override
    public synchronized void resumeReads() {
        suspended = false;
        next.resumeReads();
    }

    @Override
    public synchronized void wakeupReads() {
        suspended = false;
        next.wakeupReads();
    }

    @Override
    public synchronized boolean isReadResumed() {
        return !suspended && next.isReadResumed();
    }

    /** Whether a read event is Undertow's; if reads are suspended for it, suspends them for real. */
    private synchronized boolean passOn() {
        if (!suspended) {
            return true;
        }
        // something came while Undertow reads nothing: suspend for real now; level-triggered, the
        // selector reports it again once Undertow resumes
        suspended = false;
        next.suspendReads();
        return false;
    }

    @Override
    public void setReadReadyHandler(ReadReadyHandler handler) {
        next.setReadReadyHandler(handler == null ? null : new ReadReadyHandler() {
            @Override
            public void readReady() {
                if (passOn()) {
                    handler.readReady();
                }
            }

            @Override
            public void forceTermination() {
                handler.forceTermination();
            }

            @Override
            public void terminated() {
                handler.terminated();
            }
        });
    }
}
