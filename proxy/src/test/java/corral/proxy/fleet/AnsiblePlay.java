package corral.proxy.fleet;

import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the shipped playbooks of {@code deploy/ansible} with {@code ansible-playbook}, as an operator
 * runs them, against an inventory of {@link FleetHost}s on this machine ({@code ansible_connection=local}).
 * Ansible and what it starts carry the controller's {@code CORRAL_HOME}, so the leak check finds them.
 */
final class AnsiblePlay {

    /** What one play printed and returned. */
    record Result(int exit, String output, Duration elapsed) {
        @Override
        public String toString() {
            return "ansible-playbook exit " + exit + "\n" + output;
        }
    }

    private static final Duration LIMIT = Duration.ofMinutes(10);

    private final CorralHome controller;
    private final Path inventory;
    private int runs;

    AnsiblePlay(CorralHome controller, List<FleetHost> hosts) throws IOException {
        this.controller = controller;
        this.inventory = controller.path().resolve("inventory.ini");
        Files.writeString(inventory, "[corral]\n" + hosts.stream().map(FleetHost::inventoryLine)
                .collect(Collectors.joining("\n")) + "\n");
    }

    /** {@code ansible-playbook -i <inventory> <playbook> -e k=v ...}, from {@code deploy/ansible}. */
    Result run(String playbook, Map<String, String> extraVars) throws IOException, InterruptedException {
        Path dir = SampleApp.repoRoot().resolve("deploy/ansible");
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), playbook));
        extraVars.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
        Path tmp = Files.createDirectories(controller.path().resolve("ansible-tmp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        controller.applyTo(pb);
        pb.environment().putAll(Map.of(
                "LC_ALL", "C.UTF-8", // ansible-core refuses to run without a UTF-8 locale
                "ANSIBLE_NOCOLOR", "1",
                "ANSIBLE_HOME", tmp.resolve("home").toString(),
                "ANSIBLE_LOCAL_TEMP", tmp.resolve("local").toString(),
                "ANSIBLE_REMOTE_TMP", tmp.resolve("remote").toString(),
                "ANSIBLE_RETRY_FILES_ENABLED", "0",
                // Every line with its time: where a slow play spent it.
                "ANSIBLE_LOG_PATH", controller.path().resolve("ansible.log").toString()));
        Path out = controller.path().resolve("play-" + (++runs) + ".log");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(playbook + " did not finish in " + LIMIT + ":\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            if (p.isAlive()) {
                ProcessLeaks.killTree(p.pid());
            }
        }
    }
}
