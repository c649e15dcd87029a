package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --only a,b}, as PM2's {@code pm2 start ecosystem.config.js --only a}: only the named apps
 * are loaded and checked; the others are read for their name alone.
 */
class OnlySelectionTest extends EcosystemTest {

    /** Two apps on one port, the second with a script that does not exist: as starter kits ship prod and dev. */
    private static final String PROD_AND_DEV = """
            {apps: [
              {name: 'prod', script: 'app.js', instances: 2, env: {PORT: 3000}},
              {name: 'dev', script: 'src/missing.ts', watch: ['src'], env: {PORT: 3000}},
              {script: 'worker.js'}
            ]}""";

    @BeforeEach
    void addTheWorkerScript() {
        fixture.script("worker.js");
    }

    @Test
    void onlyTheNamedAppsLoadAndTheOthersErrorsDoNotCount() throws ConfigException {
        Ecosystem eco = fixture.load(PROD_AND_DEV, Optional.empty(), AppSelection.parse("prod"));

        assertEquals(List.of("prod"), eco.apps().stream().map(AppConfig::name).toList());
        assertEquals(2, eco.apps().get(0).instances());
    }

    @Test
    void withoutOnlyTheSameFileIsRefused() {
        List<String> errors = fixture.errors(PROD_AND_DEV);

        assertEquals(2, errors.size(), errors.toString()); // dev's script, and the shared port
    }

    @Test
    void namesAreSplitOnCommasAndBlanksAsPm2DoesAndMatchTheScriptsDefaultName() throws ConfigException {
        Ecosystem eco = fixture.load(PROD_AND_DEV, Optional.empty(), AppSelection.parse("worker, prod"));

        assertEquals(List.of("prod", "worker"), eco.apps().stream().map(AppConfig::name).toList());
    }

    @Test
    void aNameNoAppHasIsAnErrorListingTheFilesApps() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> fixture.load(PROD_AND_DEV, Optional.empty(), AppSelection.parse("prod,api")));

        assertEquals(List.of(fixture.file() + ": --only api: no app of the file is named 'api' (its apps: prod, dev, worker)"),
                e.errors().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void theNameMatchedIsTheFilesBeforeAppendEnvToName() throws ConfigException {
        Ecosystem eco = fixture.load("""
                {apps: [{name: 'api', script: 'app.js', append_env_to_name: true, env_production: {A: 1}}]}""",
                Optional.of("production"), AppSelection.parse("api"));

        assertEquals(List.of("api-production"), eco.apps().stream().map(AppConfig::name).toList());
    }

    @Test
    void anEmptyOnlyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppSelection.parse(" , "));

        assertEquals("--only ' , ' names no app: give app names separated by commas", e.getMessage());
    }

    @Test
    void selectionsAddUpAndAllAbsorbsAny() {
        assertEquals("a,b", AppSelection.parse("a").and(AppSelection.parse("b,a")).toString());
        assertEquals("all", AppSelection.ALL.and(AppSelection.parse("b")).toString());
    }
}
