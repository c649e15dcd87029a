package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.fixtures.Pm2Corpus;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Node apps written for PM2 (test-fixtures/pm2-apps, npm dependencies from the registry),
 * each run by {@code bin/control} with its own ecosystem file unchanged: it starts, serves,
 * reloads under load without one failed request, and stops with its own graceful-stop code. And
 * {@code cron_restart}, switched on by {@code reload-conf} of an {@code ecosystem.config.js}: a
 * rolling reload on schedule, under load, without one failed request.
 */
class RealPm2AppsIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "express-app,       ecosystem.config.js,  express-app,   EXPRESS_APP_PORT,   /users/7, SIGINT received: closing the server",
        "koa-app,           ecosystem.config.js,  koa-api,       KOA_API_PORT,       /health,  shutdown message: closing",
        "fastify-ready-app, ecosystem.config.mjs, fastify-ready, FASTIFY_READY_PORT, /items/7, SIGINT: closing"})
    void startsServesReloadsWithoutAFailedRequestAndStopsCleanly(String dirName, String file, String app,
            String portVariable, String path, String stopLine) throws Exception {
        CorralInstall corral = new CorralInstall(HOME, Pm2Corpus.installed(dirName).resolve(file));
        int port = FreePorts.pick(1)[0];
        corral.extraEnv.put(portVariable, Integer.toString(port));
        try {
            corral.ok("start");
            assertEquals(200, CorralInstall.get(port, path).statusCode());
            Set<Long> before = corral.readyPids(app);
            assertEquals(2, before.size(), before.toString());

            LoadResult load = underLoad(port, path, () -> {
                corral.ok("reload", app);
            });

            assertEquals(0, load.failed(), load.summary());
            Set<Long> after = corral.readyPids(app);
            assertEquals(2, after.size(), after.toString());
            assertTrue(Collections.disjoint(before, after), before + " then " + after);
        } finally {
            corral.ok("kill");
        }
        assertTrue(outLogs(app).contains(stopLine), "the app stopped through its own code: " + outLogs(app));
    }

    /**
     * PM2's own cluster-mode sample ({@code pm2 boilerplate}'s http-server, from the pm2 package on
     * the registry, file unchanged): {@code instances: 4} with no {@code exec_mode} and no
     * {@code PORT}, so it is reached through a vhost rule, as nginx reached it in front of PM2.
     */
    @Test
    void pm2sOwnSampleAppRunsUnchangedBehindAVhostRule() throws Exception {
        Path conf = Pm2Corpus.installed("pm2-sample-apps").resolve(Pm2Corpus.PM2_HTTP_SERVER).resolve("ecosystem.config.js");
        Path vhost = Files.createDirectories(HOME.path().resolve("vhost-pm2-sample"));
        int port = FreePorts.pick(1)[0];
        Files.writeString(vhost.resolve("api.conf"),
                "server {\n    listen " + port + ";\n    location / { proxy_pass http://API; }\n}\n");
        CorralInstall corral = new CorralInstall(HOME, conf, vhost);
        try {
            corral.ok("start");
            assertEquals("hey", CorralInstall.get(port, "/").body());
            Set<Long> before = corral.readyPids("API");
            assertEquals(4, before.size(), before.toString());

            LoadResult load = underLoad(port, "/", () -> {
                corral.ok("reload", "API");
            });

            assertEquals(0, load.failed(), load.summary());
            assertTrue(Collections.disjoint(before, corral.readyPids("API")));
        } finally {
            corral.ok("kill");
        }
        assertTrue(ProcessLeaks.find(HOME.path().toString()).isEmpty(), "no residual process");
        assertTrue(outLogs("API").contains("App listening on port"), outLogs("API"));
    }

    @Test
    void cronRestartSwitchedOnByReloadConfReloadsOnScheduleWithoutAFailedRequest() throws Exception {
        Path dir = Files.createDirectories(HOME.path().resolve("cron-app"));
        Files.copy(SampleApp.pm2AppJs(), dir.resolve("pm2-app.js"));
        Path conf = dir.resolve("ecosystem.config.js");
        Files.writeString(conf, ecosystem(""));
        CorralInstall corral = new CorralInstall(HOME, conf);
        int port = FreePorts.pick(1)[0];
        corral.extraEnv.put("CRON_APP_PORT", Integer.toString(port));
        try {
            assertEquals(0, corral.control("start").exit());
            Files.writeString(conf, ecosystem("cron_restart: '*/6 * * * * *',"));

            LoadResult load = underLoad(port, "/", () -> {
                corral.ok("reload-conf");
                Set<Long> configured = corral.readyPids("cron-app");
                await("cron_restart replaced every instance", () -> Collections.disjoint(configured, readyPids(corral)),
                        Duration.ofSeconds(60));
            });

            assertEquals(0, load.failed(), load.summary());
        } finally {
            assertEquals(0, corral.control("kill").exit());
        }
    }

    private static String ecosystem(String extra) {
        return """
                module.exports = {
                  apps: [{
                    name: 'cron-app', script: 'pm2-app.js', instances: 2, wait_ready: true, %s
                    env: { PORT: process.env.CRON_APP_PORT },
                  }],
                };
                """.formatted(extra);
    }

    /** Runs {@code during} while GETs of {@code path} run on 6 connections, bounded in count and time. */
    private static LoadResult underLoad(int port, String path, ThrowingRunnable during) throws Exception {
        LoadGenerator load = LoadGenerator.builder()
                .get("http://127.0.0.1:" + port + path)
                .concurrency(6)
                .requests(200_000)
                .duration(Duration.ofSeconds(120))
                .timeout(Duration.ofSeconds(20))
                .check(LoadGenerator.is2xx())
                .build();
        CompletableFuture<LoadResult> running = load.start();
        await("load is flowing", () -> load.issued() >= 200, Duration.ofSeconds(30));
        try {
            during.run();
            long now = load.issued();
            await("load flows after", () -> load.issued() >= now + 200, Duration.ofSeconds(30));
        } finally {
            load.stop();
        }
        return running.get();
    }

    private static Set<Long> readyPids(CorralInstall corral) {
        try {
            return corral.readyPids("cron-app");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String outLogs(String app) throws IOException {
        var text = new StringBuilder();
        try (Stream<Path> files = Files.list(HOME.path().resolve("log"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(app + "-out")).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private static void await(String what, BooleanSupplier condition, Duration max) {
        Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
