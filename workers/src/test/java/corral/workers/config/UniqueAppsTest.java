package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An app is found by its name and its public port: two apps may share neither. */
class UniqueAppsTest extends EcosystemTest {

    @Test
    void twoAppsWithOneNameAreAnError() {
        assertEquals(List.of(fixture.at(6) + "app 'web': name: 'web' is already the name of the app at line 2; "
                        + "names must be unique"),
                fixture.errors("""
                        {apps: [{
                          name: 'web',
                          script: 'app.js'
                        }, {
                          script: 'app.js',
                          name: 'web'
                        }]}"""));
    }

    @Test
    void aNameTakenFromTheScriptCountsToo() {
        assertEquals(List.of(fixture.at(3) + "app 'app': name: 'app' is already the name of the app at line 2; "
                        + "names must be unique"),
                fixture.errors("""
                        [
                          {script: 'app.js'},
                          {script: './app.js', instances: 2}
                        ]"""));
    }

    @Test
    void twoAppsWithOnePublicPortAreAnError() {
        assertEquals(List.of(fixture.at(3) + "app 'api': env.PORT: 8080 is already the public port of app 'web' "
                        + "at line 2; each app needs its own"),
                fixture.errors("""
                        [
                          {name: 'web', script: 'app.js', env: {PORT: 8080}},
                          {name: 'api', script: 'app.js', env: {PORT: '8080'}}
                        ]""").stream().map(message -> message.replace("\"8080\"", "8080")).toList());
    }

    @Test
    void aPortCollisionMadeByAnEnvOverlayIsFoundWithThatOverlay() {
        String json = """
                [
                  {name: 'web', script: 'app.js', env: {PORT: 8080}},
                  {name: 'api', script: 'app.js', env: {PORT: 8081},
                   env_dev: {PORT: 8080}}
                ]""";

        assertEquals(List.of(fixture.at(4) + "app 'api': env_dev.PORT: 8080 is already the public port of app 'web' "
                        + "at line 2; each app needs its own"),
                fixture.failure(json, Optional.of("dev")).errors().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void appsWithErrorsOfTheirOwnAreStillCheckedForClashes() {
        List<String> errors = fixture.errors("""
                [
                  {name: 'web', script: 'app.js', env: {PORT: 8080}},
                  {name: 'web', script: 'app.js', env: {PORT: 8080}, instances: 'many'}
                ]""");

        assertEquals(3, errors.size(), String.join("\n", errors));
    }
}
