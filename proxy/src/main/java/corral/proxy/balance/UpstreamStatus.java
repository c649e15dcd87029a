package corral.proxy.balance;

/**
 * What status shows of one upstream: figures per instance that must never become metric names.
 *
 * @param index    the instance index
 * @param id       the worker id
 * @param pid      its pid
 * @param port     its loopback port
 * @param routable whether it takes new requests
 * @param down     whether a recent connect failure keeps it at the back of the queue
 * @param inFlight requests in flight on it now
 * @param requests requests ever assigned to it
 */
public record UpstreamStatus(int index, long id, long pid, int port, boolean routable, boolean down,
                             int inFlight, long requests) {
}
