package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The seed's pm2.json (test resources, byte for byte the mission's) loads unchanged: promise 1. */
class SeedEcosystemTest {

    private static final Path SEED = seed();

    private static Ecosystem load(Optional<String> env) throws ConfigException {
        return EcosystemLoader.load(SEED, env, 32);
    }

    @Test
    void loadsTwoAppsWithTheirInstanceCountsAndPublicPorts() throws ConfigException {
        Ecosystem ecosystem = load(Optional.empty());

        assertEquals(List.of("nuomi", "h5"), ecosystem.apps().stream().map(AppConfig::name).toList());
        AppConfig nuomi = ecosystem.app("nuomi").orElseThrow();
        AppConfig h5 = ecosystem.app("h5").orElseThrow();
        assertEquals(14, nuomi.instances());
        assertEquals(10, h5.instances());
        assertEquals(OptionalInt.of(8197), nuomi.publicPort());
        assertEquals(OptionalInt.of(8198), h5.publicPort());
    }

    @Test
    void takesTheGraceFromPm2GracefulTimeoutAndSaysItIsDeprecated() throws ConfigException {
        Ecosystem ecosystem = load(Optional.empty());

        for (AppConfig app : ecosystem.apps()) {
            assertEquals(Duration.ofMillis(1000), app.killTimeout(), app.name());
        }
        assertEquals(List.of(
                SEED + ":13: app 'nuomi': env.PM2_GRACEFUL_TIMEOUT: 1000 is deprecated in PM2 and has no effect "
                        + "there; Corral uses it as kill_timeout (the grace between SIGINT and SIGKILL): 1000 ms",
                SEED + ":35: app 'h5': env.PM2_GRACEFUL_TIMEOUT: 1000 is deprecated in PM2 and has no effect "
                        + "there; Corral uses it as kill_timeout (the grace between SIGINT and SIGKILL): 1000 ms"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void readsEveryOtherAttributeWithPm2Meaning() throws ConfigException {
        AppConfig nuomi = load(Optional.empty()).app("nuomi").orElseThrow();

        assertEquals(524_288_000L, nuomi.maxMemoryBytes());
        assertEquals(false, nuomi.mergeLogs());
        assertEquals(Optional.of("node"), nuomi.interpreter());
        assertEquals(SEED.getParent().resolve("app.js"), nuomi.script());
        assertEquals(SEED.getParent(), nuomi.cwd());
        assertEquals(List.of("node", SEED.getParent().resolve("app.js").toString()), nuomi.command());
        assertEquals(Map.of("NODE_ENV", "production", "PM2_GRACEFUL_TIMEOUT", "1000", "PORT", "8197",
                "DEBUG", "true"), nuomi.env());
        assertEquals(Duration.ofMillis(3000), nuomi.listenTimeout());
        assertEquals(Duration.ofMillis(1000), nuomi.minUptime());
        assertEquals(16, nuomi.maxRestarts());
        assertTrue(nuomi.autorestart());
        assertEquals("NODE_APP_INSTANCE", nuomi.instanceVar());
        assertEquals(SEED, nuomi.source());
    }

    @Test
    void envDevOverlaysEnv() throws ConfigException {
        Ecosystem ecosystem = load(Optional.of("dev"));

        for (AppConfig app : ecosystem.apps()) {
            assertEquals("development", app.env().get("NODE_ENV"), app.name());
            assertEquals("true", app.env().get("DEBUG"), app.name());
        }
        assertEquals("8197", ecosystem.app("nuomi").orElseThrow().env().get("PORT"));
        assertEquals(2, ecosystem.warnings().size());
    }

    @Test
    void envTestOverlaysEnvAndKeepsWhatItDoesNotSet() throws ConfigException {
        AppConfig h5 = load(Optional.of("test")).app("h5").orElseThrow();

        assertEquals(Map.of("NODE_ENV", "qa", "PM2_GRACEFUL_TIMEOUT", "1000", "PORT", "8198", "DEBUG", "true"),
                h5.env());
    }

    @Test
    void anEnvNoAppDefinesIsAnError() {
        ConfigException failure = assertThrows(ConfigException.class, () -> load(Optional.of("prod")));

        assertEquals(List.of(SEED + ": --env prod: no app has env_prod (the file defines env_dev, env_test)"),
                failure.errors().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void checkReportListsBothAppsThenTheWarningsThenOk() throws ConfigException {
        List<String> report = EcosystemReport.render(load(Optional.empty()));

        assertEquals(List.of(
                "nuomi: 14 instances, public port 8197, node app.js, kill_timeout 1000 ms, "
                        + "listen_timeout 3000 ms, max memory 500M, merge_logs false",
                "h5: 10 instances, public port 8198, node app.js, kill_timeout 1000 ms, "
                        + "listen_timeout 3000 ms, max memory 500M, merge_logs false"),
                report.subList(0, 2));
        assertTrue(report.get(2).startsWith("warning: " + SEED + ":13: app 'nuomi': env.PM2_GRACEFUL_TIMEOUT"));
        assertTrue(report.get(3).startsWith("warning: " + SEED + ":35: app 'h5': env.PM2_GRACEFUL_TIMEOUT"));
        assertEquals("OK", report.get(4));
        assertEquals(5, report.size());
    }

    private static Path seed() {
        try {
            return Path.of(SeedEcosystemTest.class.getResource("/config/seed/pm2.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
