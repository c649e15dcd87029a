package corral.workers.pool;

import corral.workers.process.InstanceView;
import java.util.List;

/**
 * An immutable picture of a pool: what the proxy routes on and what status shows.
 *
 * @param app        the app name
 * @param configured how many instances the app asks for
 * @param instances  every instance with a process, plus empty slots (stopped, errored, waiting)
 */
public record PoolView(String app, int configured, List<InstanceView> instances) {

    public PoolView {
        instances = List.copyOf(instances);
    }

    /** The instances that may get new requests. */
    public List<InstanceView> routable() {
        return instances.stream().filter(i -> i.state().routable()).toList();
    }
}
