package corral.proxy.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches a fleet while a play runs: every few hundred ms, what HAProxy thinks of each host (its
 * stats socket) and each host's h5 instances (pid, state, start time, from the host's status).
 * The questions the test asks afterwards (when did a host's new instances start, was the host out
 * of the VIP then) are answered from these samples, never from the play's own account.
 */
final class FleetWatch implements AutoCloseable {

    private static final Duration PERIOD = Duration.ofMillis(200);

    /** What HAProxy said of every server at one moment. */
    record VipSample(Instant at, Map<String, String> servers) {
    }

    /** One h5 instance as one host's status showed it. */
    record InstanceSample(Instant at, String host, long pid, String state, Instant started) {
    }

    private final HaproxyVip vip;
    private final List<FleetHost> hosts;
    private final List<VipSample> vipSamples = new CopyOnWriteArrayList<>();
    private final List<InstanceSample> instanceSamples = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    FleetWatch(HaproxyVip vip, List<FleetHost> hosts) {
        this.vip = vip;
        this.hosts = List.copyOf(hosts);
        this.thread = new Thread(this::loop, "fleet-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            try {
                vipSamples.add(new VipSample(Instant.now(), vip.servers()));
                for (FleetHost host : hosts) {
                    JsonNode instances = host.h5Instances();
                    Instant at = Instant.now();
                    for (JsonNode i : instances) {
                        instanceSamples.add(new InstanceSample(at, host.name, i.path("pid").asLong(),
                                i.path("state").asText(), at.minusMillis(i.path("uptimeMs").asLong())));
                    }
                }
                vipSamples.add(new VipSample(Instant.now(), vip.servers()));
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (stop) {
                    return; // close() interrupted a read (ClosedByInterruptException): not a fleet error
                }
                errors.add(Instant.now() + " " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(10_000);
    }

    /** Sampling errors (a status or stats read that failed): a healthy fleet has none. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** The earliest start of any of {@code pids} on {@code host}, as its status reported it. */
    Optional<Instant> firstStart(String host, Set<Long> pids) {
        return instanceSamples.stream()
                .filter(s -> s.host().equals(host) && pids.contains(s.pid()))
                .map(InstanceSample::started).min(Instant::compareTo);
    }

    /** The last moment one of {@code pids} was seen ready on {@code host}. */
    Optional<Instant> lastReady(String host, Set<Long> pids) {
        return instanceSamples.stream()
                .filter(s -> s.host().equals(host) && pids.contains(s.pid()) && s.state().equals("ready"))
                .map(InstanceSample::at).max(Instant::compareTo);
    }

    /** HAProxy's last sample before {@code t}. */
    Optional<VipSample> lastBefore(Instant t) {
        VipSample last = null;
        for (VipSample s : vipSamples) {
            if (s.at().isBefore(t)) {
                last = s;
            }
        }
        return Optional.ofNullable(last);
    }

    /** HAProxy's samples from {@code from} to {@code to}, both included. */
    List<VipSample> between(Instant from, Instant to) {
        List<VipSample> out = new ArrayList<>();
        for (VipSample s : vipSamples) {
            if (!s.at().isBefore(from) && !s.at().isAfter(to)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every status HAProxy gave {@code server} while watched. */
    List<String> statuses(String server) {
        return vipSamples.stream().map(s -> s.servers().get(server)).toList();
    }
}
