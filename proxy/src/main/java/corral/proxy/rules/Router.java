package corral.proxy.rules;

/** Decides what happens to one request; pure, thread-safe, never blocks. */
@FunctionalInterface
public interface Router {

    RouteDecision route(RouteRequest request);
}
