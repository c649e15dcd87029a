package corral.proxy.forward;

import java.util.concurrent.ConcurrentHashMap;

/** The bulkhead of each pool, by app name, made when the pool is first forwarded to. */
final class Bulkheads {
    private final ConcurrentHashMap<String, Bulkhead> byApp = new ConcurrentHashMap<>();

    Bulkhead of(String app) {
        return byApp.computeIfAbsent(app, a -> new Bulkhead());
    }

    BulkheadFigures figures(String app) {
        Bulkhead bulkhead = byApp.get(app);
        return bulkhead == null ? new BulkheadFigures(0, 0) : new BulkheadFigures(bulkhead.inFlight(), bulkhead.queued());
    }
}
