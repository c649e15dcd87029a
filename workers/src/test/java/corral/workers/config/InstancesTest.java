package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code instances} in every form PM2 accepts, resolved against 8 CPUs; and the typos PM2 does not catch. */
class InstancesTest extends EcosystemTest {

    private static String withInstances(String json) {
        return EcosystemFixture.appWith("instances", json);
    }

    @ParameterizedTest(name = "instances: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "4        | 4",
            "'\"4\"'  | 4",
            "'\"max\"'| 8",
            "0        | 8",
            "'\"0\"'  | 8",
            "-1       | 7",
            "'\"-2\"' | 6",
            "-8       | 1",
            "-20      | 1",
            "1        | 1",
            "4.0      | 4"})
    void resolvesEveryFormPm2Accepts(String json, int expected) throws ConfigException {
        assertEquals(expected, fixture.app(withInstances(json)).instances());
    }

    @Test
    void defaultsToOne() throws ConfigException {
        assertEquals(1, fixture.app("{apps: [{name: 'web', script: 'app.js'}]}").instances());
    }

    @Test
    void nullMeansNotGivenAsInPm2() throws ConfigException {
        assertEquals(1, fixture.app(withInstances("null")).instances());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"4abc\"", "\"MAX\"", "\"\""})
    void aStringThatIsNotACountIsAnErrorWherePm2WouldUseAllCpus(String json) {
        assertEquals(List.of(fixture.at(4) + "app 'web': instances: " + json
                        + " is not a number, \"max\" or a negative count (PM2 would silently use all CPUs)"),
                fixture.errors(withInstances(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5", "true", "[2]", "{}"})
    void aValueOfAnotherKindIsAnError(String json) {
        assertEquals(List.of(fixture.at(4) + "app 'web': instances: " + json
                        + " is not a number, \"max\" or a negative count"),
                fixture.errors(withInstances(json)));
    }
}
