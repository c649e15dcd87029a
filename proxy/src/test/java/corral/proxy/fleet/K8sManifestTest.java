package corral.proxy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import corral.fixtures.SampleApp;
import corral.workers.config.AppConfig;
import corral.workers.config.EcosystemLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of {@code deploy/k8s/corral.yaml}, checked against the shipped configuration:
 * no Kubernetes schema checker runs offline here (kubectl needs a cluster even for a dry run), so
 * this test reads the manifest as YAML and holds it to what the stop sequence needs.
 */
class K8sManifestTest {

    /** What `bin/control offline` may take before the preStop sleep starts (a JVM start). */
    static final int OFFLINE_SECONDS = 2;

    static JsonNode container;
    static JsonNode podSpec;

    @BeforeAll
    static void read() throws Exception {
        Path file = SampleApp.repoRoot().resolve("deploy/k8s/corral.yaml");
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(Files.readString(file))) {
            for (JsonNode doc : docs.readAll()) {
                if (doc.path("kind").asText().equals("Deployment")) {
                    podSpec = doc.path("spec").path("template").path("spec");
                    container = podSpec.path("containers").get(0);
                }
            }
        }
        assertTrue(container != null && !container.isMissingNode(), "a Deployment with a container in " + file);
    }

    @Test
    void readinessIsTheVipProbeOnTheVhostPortAndLivenessIsAPathOfflineDoesNotFail() throws Exception {
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        JsonNode liveness = container.path("livenessProbe").path("httpGet");
        assertEquals("/health", readiness.path("path").asText());
        assertEquals("vhost", readiness.path("port").asText());
        assertNotEquals("/health", liveness.path("path").asText(), "offline turns /health to 503: liveness must not kill a drained pod");
        String vhost = Files.readString(SampleApp.repoRoot().resolve("conf/vhost/default.conf"));
        assertTrue(vhost.contains("location = " + liveness.path("path").asText() + " {"),
                "the liveness path is one Corral's own rules answer: " + liveness);
    }

    @Test
    void preStopTakesThePodOutAndSleepsPastTheReadinessChecks() {
        String command = container.path("lifecycle").path("preStop").path("exec").path("command").toString();
        assertTrue(command.contains("bin/control offline"), command);
        JsonNode readiness = container.path("readinessProbe");
        int noticed = readiness.path("periodSeconds").asInt() * readiness.path("failureThreshold").asInt();
        assertTrue(preStopSleep() > noticed, "the preStop sleep (" + preStopSleep() + " s) outlasts the readiness checks ("
                + noticed + " s)");
    }

    @Test
    void theGracePeriodCoversPreStopAndTheLongestKillTimeout() throws Exception {
        Duration longest = EcosystemLoader.load(SampleApp.repoRoot().resolve("conf/pm2.json"), Optional.empty(), 2)
                .apps().stream().map(AppConfig::killTimeout).max(Duration::compareTo).orElseThrow();
        int needed = OFFLINE_SECONDS + preStopSleep() + (int) Math.ceil(longest.toMillis() / 1000.0);
        int grace = podSpec.path("terminationGracePeriodSeconds").asInt();
        assertTrue(grace >= needed, "terminationGracePeriodSeconds " + grace + " < offline " + OFFLINE_SECONDS
                + " + preStop sleep " + preStopSleep() + " + longest kill_timeout " + longest);
    }

    private static int preStopSleep() {
        Matcher m = Pattern.compile("sleep (\\d+)").matcher(container.path("lifecycle").path("preStop").toString());
        assertTrue(m.find(), "a sleep in preStop: " + container.path("lifecycle"));
        return Integer.parseInt(m.group(1));
    }
}
