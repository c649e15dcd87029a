package corral.proxy.control;

import corral.workers.config.AppSelection;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a daemon for a home when none answers: the same Java and class path as this client, in
 * its own session (so closing the terminal does not stop it), output appended to
 * {@code log/corral-daemon.out}. Waits until its admin API answers, or reports why it died. The
 * daemon's JVM options are the ones {@code bin/control} chose ({@code CORRAL_JAVA_OPTS} or its
 * defaults, in {@value #JAVA_OPTS}), so {@code start} and {@code daemon} run the same JVM.
 */
final class DaemonLauncher {

    private static final long START_TIMEOUT_MS = 60_000;

    /** The system property through which {@code bin/control} hands over the daemon's JVM options. */
    static final String JAVA_OPTS = "corral.daemon.java.opts";

    /**
     * A shell started under nohup passes SIGHUP on as ignored (a script's background job: SIGINT
     * too), and HotSpot keeps a shutdown signal ignored at start ignored: never seen, never logged.
     * The daemon would not reload on {@code kill -HUP}, as nginx does even under nohup. GNU env
     * (coreutils 8.31+) resets it; where env cannot, the daemon starts as it is and says so.
     */
    private static final List<String> HANGUP_RESET = hangupReset();

    private DaemonLauncher() {
    }

    private static List<String> hangupReset() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=HUP,INT,TERM", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor() == 0 ? List.of("env", "--default-signal=HUP,INT,TERM") : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Starts the daemon and returns what it printed while starting (e.g. residual workers it ended). */
    static String launch(HomeLayout home, Path conf, Path vhost, Optional<String> envName, AppSelection only,
            AdminClient admin)
            throws IOException, InterruptedException {
        home.create();
        Path out = home.logDir().resolve("corral-daemon.out");
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(HANGUP_RESET);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A client not started by bin/control (a test's own JVM): the operator's options alone.
        String opts = System.getProperty(JAVA_OPTS, System.getenv().getOrDefault("CORRAL_JAVA_OPTS", ""));
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("corral.proxy.daemon.DaemonMain");
        cmd.add("--home");
        cmd.add(home.root().toString());
        cmd.add("--conf");
        cmd.add(conf.toString());
        cmd.add("--vhost");
        cmd.add(vhost.toString());
        envName.ifPresent(e -> {
            cmd.add("--env");
            cmd.add(e);
        });
        if (!only.all()) {
            cmd.add("--only");
            cmd.add(only.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.environment().put(HomeLayout.ENV, home.root().toString());
        long offset = Files.exists(out) ? Files.size(out) : 0;
        Process daemon = pb.start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (admin.daemonAnswers()) {
                return newOutput(out, offset, "");
            }
            if (!daemon.isAlive()) {
                throw new IOException("the daemon exited with code " + daemon.exitValue() + " while starting:\n"
                        + newOutput(out, offset, "  (no output; see " + out + ")"));
            }
            Thread.sleep(100);
        }
        throw new IOException("the daemon did not answer within " + START_TIMEOUT_MS / 1000 + " s; see " + out);
    }

    private static String newOutput(Path out, long offset, String ifNone) throws IOException {
        byte[] all = Files.readAllBytes(out);
        String text = new String(all, (int) Math.min(offset, all.length), (int) (all.length - Math.min(offset, all.length)),
                java.nio.charset.StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? ifNone : "  " + text.replace("\n", "\n  ");
    }
}
