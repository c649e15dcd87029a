package corral.proxy.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the chaos test does to a running Corral, from two threads: a killer that {@code kill -9}s
 * a random ready instance every 1.5 to 3.5 s, and an operator that runs, in random order, each of
 * {@code reload h5}, {@code scale nuomi} up, {@code scale nuomi} down and {@code reload-conf}
 * (with a changed pm2.json) once per round, 1 to 3 s apart. Every action is logged with its start
 * and end time, to {@code chaos-actions.log} in the home too, so that each failed request can be
 * matched with the kill that caused it.
 */
final class ChaosDriver {

    /** One action: a kill (pid set) or a command (exit set), with when it ran. */
    record Action(Instant start, Instant end, String what, long pid, int exit, String detail) {
        boolean isKill() {
            return pid != 0;
        }

        boolean overlaps(Instant from, Instant to) {
            return !end.isBefore(from) && !start.isAfter(to);
        }

        @Override
        public String toString() {
            return start + " .. " + end + "  " + what + (isKill() ? "" : " -> exit " + exit)
                    + (detail.isEmpty() ? "" : "  " + detail.replace("\n", " | "));
        }
    }

    static final int H5_INSTANCES = 4;
    static final int NUOMI_INSTANCES = 3;

    private final CorralInstall corral;
    private final Random killerRandom;
    private final Random operatorRandom;
    private final Path logFile;
    private final Queue<Action> actions = new ConcurrentLinkedQueue<>();
    private final Set<Long> seenPids = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> crashes = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;
    private int release;

    ChaosDriver(CorralInstall corral, long seed) {
        this.corral = corral;
        this.killerRandom = new Random(seed);
        this.operatorRandom = new Random(seed + 1);
        this.logFile = corral.home.path().resolve("chaos-actions.log");
    }

    void start() {
        threads.add(thread("chaos-killer", this::killLoop));
        threads.add(thread("chaos-operator", this::operatorLoop));
        threads.forEach(Thread::start);
    }

    /** Stops both loops; the operator's command in progress runs to its end first. */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(3).toMillis());
        }
    }

    List<Action> actions() {
        return actions.stream().sorted((a, b) -> a.start().compareTo(b.start())).toList();
    }

    List<Action> kills() {
        return actions().stream().filter(Action::isKill).toList();
    }

    /** Every instance pid a status showed while the driver ran. */
    Set<Long> seenPids() {
        return Set.copyOf(seenPids);
    }

    /** What made a loop stop early (its thread's exception), if anything. */
    List<Throwable> crashes() {
        return List.copyOf(crashes);
    }

    /** Puts the configuration and the pools back: the original pm2.json, reload-conf, scale nuomi. */
    List<Action> restore() throws IOException, InterruptedException {
        List<Action> done = new ArrayList<>();
        corral.writeGoodConfig(NUOMI_INSTANCES, H5_INSTANCES, "");
        done.add(command("restore: reload-conf with the original pm2.json", "reload-conf"));
        done.add(command("restore: scale nuomi " + NUOMI_INSTANCES, "scale", "nuomi", Integer.toString(NUOMI_INSTANCES)));
        return done;
    }

    // ---- the killer --------------------------------------------------------------------------

    private void killLoop() {
        while (pause(killerRandom, 1500, 3500)) {
            try {
                killOne();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** An instance the killer may pick. */
    private record Candidate(String app, int index, long pid) {
    }

    /** SIGKILL to a random instance that is ready and has been up for a second (a crash, not a crash loop). */
    private void killOne() throws IOException, InterruptedException {
        List<Candidate> ready = new ArrayList<>();
        for (JsonNode app : corral.adminStatus().path("apps")) {
            for (JsonNode i : app.path("instances")) {
                if (i.path("pid").asLong() > 0) {
                    seenPids.add(i.path("pid").asLong());
                }
                if (i.path("state").asText().equals("ready") && i.path("uptimeMs").asLong() > 1000) {
                    ready.add(new Candidate(app.path("name").asText(), i.path("index").asInt(), i.path("pid").asLong()));
                }
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Candidate victim = ready.get(killerRandom.nextInt(ready.size()));
        Instant start = Instant.now();
        boolean sent = ProcessHandle.of(victim.pid()).map(ProcessHandle::destroyForcibly).orElse(false);
        log(new Action(start, Instant.now(), "kill -9 " + victim.app() + "[" + victim.index() + "] pid " + victim.pid(),
                victim.pid(), 0, sent ? "" : "(already gone)"));
    }

    // ---- the operator ------------------------------------------------------------------------

    private void operatorLoop() {
        List<String> round = new ArrayList<>(List.of("reload", "scale-up", "scale-down", "reload-conf"));
        try {
            while (!stopped) {
                Collections.shuffle(round, operatorRandom);
                for (String step : round) {
                    if (!pause(operatorRandom, 1000, 3000)) {
                        return;
                    }
                    operate(step);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void operate(String step) throws IOException, InterruptedException {
        switch (step) {
            case "reload" -> command("reload h5", "reload", "h5");
            case "scale-up" -> {
                int n = NUOMI_INSTANCES + 1 + operatorRandom.nextInt(2);
                command("scale nuomi " + n, "scale", "nuomi", Integer.toString(n));
            }
            case "scale-down" -> {
                int n = 2;
                command("scale nuomi " + n, "scale", "nuomi", Integer.toString(n));
            }
            default -> {
                // Either a new instance count for nuomi (a scale) or a new env for h5 (a rolling reload).
                boolean scale = operatorRandom.nextBoolean();
                int nuomi = scale ? 2 + operatorRandom.nextInt(3) : NUOMI_INSTANCES;
                String h5Env = scale ? "" : ", \"RELEASE\": \"" + ++release + "\"";
                corral.writeGoodConfig(nuomi, H5_INSTANCES, h5Env);
                command("reload-conf (pm2.json: nuomi " + nuomi + " instances, h5 env" + (h5Env.isEmpty() ? " as shipped"
                        : " RELEASE=" + release) + ")", "reload-conf");
            }
        }
    }

    private Action command(String what, String... args) throws IOException, InterruptedException {
        Instant start = Instant.now();
        CorralInstall.Result r = corral.control(args);
        String said = r.exit() == 0 ? lastLine(r.out()) : r.err().strip();
        return log(new Action(start, Instant.now(), what, 0, r.exit(), said));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Action log(Action action) {
        actions.add(action);
        try {
            Files.writeString(logFile, action + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return action;
    }

    /** Sleeps a random time in [min, max) ms; false when stopped meanwhile. */
    private boolean pause(Random random, int minMs, int maxMs) {
        long until = System.currentTimeMillis() + minMs + random.nextInt(maxMs - minMs);
        while (!stopped && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopped;
    }

    private Thread thread(String name, Runnable loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                crashes.add(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
