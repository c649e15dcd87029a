package corral.proxy.forward;

import corral.proxy.balance.PoolTable;
import corral.proxy.balance.Upstream;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientStatistics;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fate of one exchange on its way to a pool, in one place (as OkHttp's
 * {@code RetryAndFollowUpInterceptor}): which instances were tried, the one holding it now,
 * whether the current attempt reached the instance, how the last attempt failed and whether it
 * is tried again. Each {@link Attempt} only reports what happened ({@link #busy()},
 * {@link #connectFailed()}, {@link #failed(IOException)}, {@link #timedOut()},
 * {@link #dropsAnswer(int)}); the failure kind and the retry are decided here.
 * Touched by the exchange's IO thread only, except {@link #finish()}, which is idempotent.
 */
final class Forwarding {
    static final AttachmentKey<Forwarding> KEY = AttachmentKey.create(Forwarding.class);

    // RFC 9110 idempotent methods: what may be sent again after it reached an instance.
    private static final Set<HttpString> IDEMPOTENT = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS,
            Methods.TRACE, Methods.PUT, Methods.DELETE);
    // What proxy_next_upstream's non_idempotent lets through too (nginx's list; a method that is
    // neither stays on its first instance once sent: Corral does not guess about other methods).
    private static final Set<HttpString> NON_IDEMPOTENT = Set.of(Methods.POST, Methods.LOCK, Methods.PATCH);

    private final HttpServerExchange exchange;
    private final ForwardTarget target;
    private final UpstreamSettings settings;
    private final PoolTable table;
    private final Instant startedAt;
    private final long startNanos;
    private final String client;
    private final String host;
    private final String originalUri;
    private final List<Upstream> tried = new ArrayList<>(2);
    private Upstream.Lease lease;
    private boolean sent;
    private FailureKind failure;
    private FailureKind answered;
    private IdleWatchdog watchdog;
    private ClientConnection connection;
    private volatile Bulkhead.Slot slot;
    /** The servers of an upstream over several pools tried so far; null for one pool. */
    private final ServerAttempts servers;
    /** The instance's status that an error page intercepted; 0 when none. */
    private int intercepted;
    /** The intercepted 401's WWW-Authenticate lines, which nginx keeps for the page's answer. */
    private List<String> challenges = List.of();

    Forwarding(HttpServerExchange exchange, ForwardTarget target, UpstreamSettings settings, PoolTable table,
               Instant startedAt, ServerAttempts servers) {
        this.servers = servers;
        this.exchange = exchange;
        this.target = target;
        this.settings = settings;
        this.table = table;
        this.startedAt = startedAt;
        this.startNanos = System.nanoTime();
        this.client = ConnectionAddresses.of(exchange).remoteAddr();
        this.host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String query = exchange.getQueryString();
        // not uri + "": a concatenation with an empty string still copies the URI (issue 12)
        this.originalUri = query == null || query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
    }

    /**
     * The instance of the next attempt, leased to the exchange, or null when there is none: every
     * instance was tried, or the last attempt failed in a way that is not retried.
     */
    Upstream nextAttempt() {
        // Every retry passes here (a failed connect, a failure after the send, a dropped answer).
        if (!tried.isEmpty() && (!retryable() || !withinLimits() || !nextServer())) {
            return null;
        }
        Upstream.Lease next = table.pick(app(), tried);
        if (next == null) {
            return null;
        }
        assign(next);
        return next.upstream();
    }

    /**
     * Whether proxy_next_upstream_tries and _timeout let another attempt start. Passing over an
     * instance whose connections are all busy is not an attempt (nginx skips a server at
     * max_conns while it picks one).
     */
    private boolean withinLimits() {
        return failure == FailureKind.BUSY || target.nextUpstream().allowsAnother(tried.size(), elapsedNanos());
    }

    /** A new attempt on {@code next}: the previous one, if any, failed and lets go of its instance. */
    private void assign(Upstream.Lease next) {
        release();
        lease = next;
        tried.add(next.upstream());
        sent = false;
        // The previous attempt's connection: a send that fails before sending() must not judge
        // RESET against INVALID by the bytes that connection received.
        connection = null;
    }

    /**
     * The request was handed to a connection of the current instance: from now on it may have
     * reached it, and the read timeout runs ({@code onSilence} when it expires).
     */
    void sending(ClientConnection connection, Runnable onSilence) {
        stopWatchdog();
        sent = true;
        this.connection = connection;
        watchdog = IdleWatchdog.of(connection, exchange, settings.readTimeout(), onSilence);
        watchdog.start();
    }

    /** Every untried instance had all its connections busy: nothing was sent. */
    void busy() {
        failed(FailureKind.BUSY);
    }

    /** The instance did not accept a connection, or its process went away: nothing was sent. */
    void connectFailed() {
        failed(FailureKind.CONNECT);
    }

    /**
     * The current attempt failed with an I/O error before a whole response header arrived.
     * A header that does not parse cannot be told from one cut short: HttpClientConnection closes
     * the connection on a parse error before reporting it, so the attempt only ever sees "closed".
     * Bytes received before the close is what marks the response as invalid or incomplete.
     */
    void failed(IOException e) {
        failed(e.getCause() instanceof RuntimeException || bytesReceived() > 0 ? FailureKind.INVALID : FailureKind.RESET);
    }

    /** The instance stayed silent longer than the read timeout before a whole response header. */
    void timedOut() {
        failed(FailureKind.TIMEOUT);
    }

    /**
     * The instance answered with {@code status}: whether that answer is dropped for another
     * instance's (then the attempt failed). It is when the status is one {@code proxy_next_upstream}
     * lists, the method may be sent again, the tries and time limits allow another attempt, and an
     * instance not tried yet is there to ask (else the answer passes, as nginx passes the last).
     */
    boolean dropsAnswer(int status) {
        NextUpstream next = target.nextUpstream();
        if (next.statuses().contains(status) && resendable() && next.allowsAnother(tried.size(), elapsedNanos())
                && (servers != null ? servers.hasUntried() : table.hasUntried(target.app(), tried))) {
            failed(FailureKind.RETRY_STATUS);
            return true;
        }
        return false;
    }

    private void failed(FailureKind kind) {
        failure = kind;
        stopWatchdog();
    }

    /**
     * Whether the failed attempt may be repeated on another instance, as the location's
     * {@code proxy_next_upstream} says (nginx's default {@code error timeout}, see
     * {@link NextUpstream}): an instance at its connection limit is always skipped, as nginx skips
     * a server at {@code max_conns}; a failed connect counts as an error; once the request reached
     * the instance, only a method that may be sent twice is.
     */
    private boolean retryable() {
        if (intercepted > 0) {
            return false; // the answer goes to an error page, as nginx intercepts after its retries
        }
        if (failure == FailureKind.BUSY || failure == null) {
            return true;
        }
        if (sent && !resendable()) {
            return false;
        }
        return retries(target.nextUpstream(), failure);
    }

    /**
     * Before a retry: an upstream over several pools goes on to its next server (nginx never
     * asks one server twice); false when none is left. One pool retries among its instances.
     */
    private boolean nextServer() {
        if (servers == null) {
            return true;
        }
        if (!servers.next()) {
            return false;
        }
        exchange.putAttachment(ForwardTarget.KEY, exchange.getAttachment(ForwardTarget.KEY).withApp(servers.app()));
        return true;
    }

    /**
     * Whether the instance's answer with {@code status} goes to an error page instead
     * ({@link ErrorPageHook#intercepts}); asked once retries are ruled out, as nginx does.
     */
    boolean intercepts(int status, HeaderMap headers) {
        ErrorPageHook hook = exchange.getAttachment(ErrorPageHook.KEY);
        if (hook != null && hook.intercepts(status)) {
            intercepted = status;
            HeaderValues auth = headers.get(Headers.WWW_AUTHENTICATE);
            if (status == 401 && auth != null) {
                challenges = List.copyOf(auth);
            }
            stopWatchdog();
            return true;
        }
        return false;
    }

    /** The instance's status an error page intercepted; 0 when none. */
    int intercepted() {
        return intercepted;
    }

    /** The WWW-Authenticate lines of an intercepted 401; empty otherwise. */
    List<String> challenges() {
        return challenges;
    }

    /** Whether {@code next}'s conditions cover an attempt that failed as {@code kind}. */
    private static boolean retries(NextUpstream next, FailureKind kind) {
        return switch (kind) {
            case CONNECT, RESET -> next.error();
            case INVALID -> next.error() || next.invalidHeader();
            case TIMEOUT -> next.timeout();
            case RETRY_STATUS -> !next.statuses().isEmpty();
            default -> false;
        };
    }

    private boolean resendable() {
        HttpString method = exchange.getRequestMethod();
        return IDEMPOTENT.contains(method) || target.nextUpstream().nonIdempotent() && NON_IDEMPOTENT.contains(method);
    }

    // The pool resets a connection's statistics when an exchange ends, so this is this attempt's.
    private long bytesReceived() {
        ClientStatistics stats = connection == null ? null : connection.getStatistics();
        return stats == null ? 0 : stats.getRead();
    }

    /** Records the error response the proxy itself gave. */
    void answered(FailureKind kind) {
        answered = kind;
    }

    /** The exchange got a slot of its pool's bulkhead; {@link #finish()} gives it back. */
    void holding(Bulkhead.Slot granted) {
        slot = granted;
    }

    /** The exchange is over: stop timing, give the instance and the bulkhead slot back. Safe to call more than once. */
    void finish() {
        stopWatchdog();
        release();
        Bulkhead.Slot held = slot;
        if (held != null) {
            held.release();
        }
    }

    private void release() {
        Upstream.Lease current = lease;
        if (current != null) {
            current.release();
        }
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.stop();
        }
    }

    HttpServerExchange exchange() {
        return exchange;
    }

    /** The pool of the current attempt. */
    String app() {
        return servers != null ? servers.app() : target.app();
    }

    ForwardTarget target() {
        return target;
    }

    UpstreamSettings settings() {
        return settings;
    }

    List<Upstream> tried() {
        return tried;
    }

    /** The instance of the last attempt, or null if none was assigned. */
    Upstream upstream() {
        return lease == null ? null : lease.upstream();
    }

    int attempts() {
        return tried.size();
    }

    /**
     * What the proxy answers for the exchange when the forwarder gave up on it: the last attempt's
     * failure. None recorded means a body transfer failed that the attempt could not observe
     * (e.g. the instance reset the connection while the request body was streaming to it).
     */
    FailureKind failure() {
        return failure != null ? failure : FailureKind.RESET;
    }

    FailureKind answeredWith() {
        return answered;
    }

    Instant startedAt() {
        return startedAt;
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    String client() {
        return client;
    }

    /** The {@code Host} header as the client sent it, or null. */
    String host() {
        return host;
    }

    /** The URI as the client sent it (before routing rewrote it). */
    String originalUri() {
        return originalUri;
    }
}
