package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Relative paths resolve against the file's directory (cwd) and against cwd (script, logs), so a
 * file means the same wherever the daemon was started; the command line is built as PM2 builds it.
 */
class PathsAndCommandTest extends EcosystemTest {

    @Test
    void scriptAndCwdDefaultToTheFilesDirectory() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'web', script: 'app.js'}]}");

        assertEquals(dir, app.cwd());
        assertEquals(dir.resolve("app.js"), app.script());
        assertEquals(fixture.file(), app.source());
    }

    @Test
    void aRelativeCwdResolvesAgainstTheFilesDirectoryAndTheScriptAgainstCwd() throws ConfigException {
        fixture.script("current/server/main.js");

        AppConfig app = fixture.app("{apps: [{name: 'web', cwd: 'current', script: 'server/main.js'}]}");

        assertEquals(dir.resolve("current"), app.cwd());
        assertEquals(dir.resolve("current/server/main.js"), app.script());
    }

    @Test
    void absolutePathsStayAsTheyAre() throws ConfigException {
        Path script = fixture.script("elsewhere/app.js");

        AppConfig app = fixture.app("{apps: [{name: 'web', cwd: '" + script.getParent() + "', script: '" + script + "'}]}");

        assertEquals(script.getParent(), app.cwd());
        assertEquals(script, app.script());
    }

    @Test
    void aScriptThatIsNotAFileIsLookedUpOnThePathAsPm2Does() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'shell', script: 'sh', args: ['-c', 'exit 0']}]}");

        assertEquals("sh", app.script().getFileName().toString());
        assertEquals(Optional.empty(), app.interpreter());
        assertEquals(List.of("-c", "exit 0"), app.args());
    }

    @Test
    void aScriptWithSpacesRunsThroughTheShellAsInPm2() throws ConfigException {
        Ecosystem ecosystem = fixture.load("{apps: [{script: 'npm run serve', name: 'serve', args: '--x'}]}");

        AppConfig app = ecosystem.apps().get(0);
        assertEquals(List.of("-c", "npm run serve"), app.args());
        assertEquals(Optional.empty(), app.interpreter());
        assertEquals(List.of(fixture.at(1) + "app 'serve': args: \"--x\" is ignored: a script with spaces is run as "
                + "bash -c '<script>', as in PM2"), ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void theInterpreterFollowsTheExtensionUnlessGiven() throws ConfigException {
        fixture.script("tool.sh");
        fixture.script("mod.mjs");
        fixture.script("bin/server");

        assertEquals(Optional.of("node"), fixture.app("{apps: [{name: 'a', script: 'app.js'}]}").interpreter());
        assertEquals(Optional.of("node"), fixture.app("{apps: [{name: 'a', script: 'mod.mjs'}]}").interpreter());
        assertEquals(Optional.of("bash"), fixture.app("{apps: [{name: 'a', script: 'tool.sh'}]}").interpreter());
        assertEquals(Optional.empty(), fixture.app("{apps: [{name: 'a', script: 'bin/server'}]}").interpreter());
        assertEquals(Optional.empty(),
                fixture.app("{apps: [{name: 'a', script: 'app.js', exec_interpreter: 'none'}]}").interpreter());
        assertEquals(Optional.of("/opt/node/bin/node"),
                fixture.app("{apps: [{name: 'a', script: 'app.js', interpreter: '/opt/node/bin/node'}]}").interpreter());
    }

    @Test
    void argumentsAreSplitLikeAShellWouldWithoutExpansion() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'a', script: 'app.js', args: '--port 80  --title \"my shop\" x=\\'a b\\'',"
                + " node_args: ['--inspect', 9229]}]}");

        assertEquals(List.of("--port", "80", "--title", "my shop", "x=a b"), app.args());
        assertEquals(List.of("--inspect", "9229"), app.interpreterArgs());
    }

    @Test
    void logPathsResolveAgainstCwdAndNullDiscards() throws IOException, ConfigException {
        Files.createDirectories(dir.resolve("srv"));
        fixture.script("srv/app.js");

        AppConfig app = fixture.app("{apps: [{name: 'a', cwd: 'srv', script: 'app.js', out_file: 'logs/out.log',"
                + " error_file: 'NULL'}]}");
        assertEquals(Optional.of(dir.resolve("srv/logs/out.log")), app.outFile());
        assertEquals(Optional.of(Path.of("/dev/null")), app.errorFile());

        AppConfig tilde = fixture.app("{apps: [{name: 'a', script: 'app.js', error_file: '~/logs/a.err', out_file: '/dev/null'}]}");
        assertEquals(Optional.of(Path.of(System.getProperty("user.home"), "logs/a.err")), tilde.errorFile());
        assertEquals(Optional.of(Path.of("/dev/null")), tilde.outFile());
    }

    @Test
    void disableLogsDiscardsBothStreams() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'a', script: 'app.js', out_file: 'out.log', disable_logs: true}]}");

        assertEquals(Optional.of(Path.of("/dev/null")), app.outFile());
        assertEquals(Optional.of(Path.of("/dev/null")), app.errorFile());
    }

    @Test
    void dotSegmentsAreNormalised() throws ConfigException {
        assertEquals(dir.resolve("app.js"), fixture.app("{apps: [{name: 'web', script: './x/../app.js'}]}").script());
    }
}
