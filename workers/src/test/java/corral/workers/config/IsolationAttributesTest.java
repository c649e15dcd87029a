package corral.workers.config;

import static corral.workers.config.EcosystemFixture.appWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Corral's isolation extensions of an app: its CPU set, CPU quota, CPU weight and memory ceiling, and its
 * bulkhead and read timeout in the proxy. Read with the other attributes, checked against this
 * machine ({@link EcosystemFixture#CPUS} CPUs), every mistake named with file, line and field.
 */
class IsolationAttributesTest extends EcosystemTest {

    @Test
    void aPlainPm2AppIsNeitherPinnedNorLimitedAndGetsTheProxysDefaults() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'web', script: 'app.js'}]}");

        assertEquals(ResourceLimits.NONE, app.resources());
        assertEquals(ProxyLimits.DEFAULTS, app.proxy());
        assertEquals(new ProxyLimits(Duration.ofSeconds(60), 1000, 100), ProxyLimits.DEFAULTS);
    }

    @Test
    void everyExtensionIsReadWithItsMeaning() throws ConfigException {
        AppConfig app = fixture.app("""
                {apps: [{name: 'web', script: 'app.js', max_memory_restart: '200M',
                  cpus: '0-3', cpu_quota: '250%', cpu_weight: 30, memory_max: '1G',
                  proxy_read_timeout: '5s', proxy_max_in_flight: 64, proxy_max_queued: '16'}]}""");

        assertEquals(new ResourceLimits(Optional.of(CpuSet.parse("0-3")), OptionalInt.of(250), OptionalInt.of(30), 1L << 30),
                app.resources());
        assertEquals(new ProxyLimits(Duration.ofSeconds(5), 64, 16), app.proxy());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "cpus               | 5          | 5",
            "cpus               | \"1,3-4\"  | 1,3-4",
            "cpu_quota          | 50         | 50",
            "cpu_quota          | \"150%\"   | 150",
            "cpu_weight         | 1          | 1",
            "cpu_weight         | \"10000\"  | 10000",
            "cpuWeight          | 250        | 250",
            "memory_max         | \"512M\"   | 536870912",
            "memory_max         | 1048576    | 1048576",
            "proxy_read_timeout | 2500       | 2500",
            "proxy_read_timeout | \"2m\"     | 120000",
            "proxy_max_queued   | 0          | 0",
            "cpuQuota           | \"80%\"    | 80",
            "memoryMax          | \"1G\"     | 1073741824",
            "proxyMaxInFlight   | 8          | 8",
    })
    void valuesInEveryAcceptedForm(String attribute, String json, String expected) throws ConfigException {
        AppConfig app = fixture.app(appWith(attribute, json));

        String actual = switch (attribute) {
            case "cpus" -> app.resources().cpus().orElseThrow().toString();
            case "cpu_quota", "cpuQuota" -> Integer.toString(app.resources().cpuQuotaPercent().orElseThrow());
            case "cpu_weight", "cpuWeight" -> Integer.toString(app.resources().cpuWeight().orElseThrow());
            case "memory_max", "memoryMax" -> Long.toString(app.resources().memoryMaxBytes());
            case "proxy_read_timeout" -> Long.toString(app.proxy().readTimeout().toMillis());
            case "proxy_max_queued" -> Integer.toString(app.proxy().maxQueued());
            default -> Integer.toString(app.proxy().maxInFlight());
        };
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "cpus                | \"12-15\"  | names no CPU of this machine (it has 0-7): no instance could run",
            "cpus                | \"3-1\"    | has a range that runs backwards (3-1)",
            "cpus                | \"0-3:2\"  | is not a CPU list: " + CpuSet.ACCEPTED,
            "cpus                | true       | is not a CPU list: " + CpuSet.ACCEPTED,
            "cpus                | -1         | is not a CPU list: " + CpuSet.ACCEPTED,
            "cpu_quota           | \"0%\"     | is not a CPU quota: " + ResourceReader.QUOTA_ACCEPTED,
            "cpu_quota           | 1.5        | is not a CPU quota: " + ResourceReader.QUOTA_ACCEPTED,
            "cpu_quota           | \"1.5 CPUs\" | is not a CPU quota: " + ResourceReader.QUOTA_ACCEPTED,
            "cpu_weight          | 0          | is not a CPU weight: " + ResourceReader.WEIGHT_ACCEPTED,
            "cpu_weight          | 10001      | is not a CPU weight: " + ResourceReader.WEIGHT_ACCEPTED,
            "cpu_weight          | 0.5        | is not a CPU weight: " + ResourceReader.WEIGHT_ACCEPTED,
            "cpu_weight          | \"low\"    | is not a CPU weight: " + ResourceReader.WEIGHT_ACCEPTED,
            "memory_max          | \"2g\"     | is not a size: " + ByteSize.ACCEPTED,
            "memory_max          | 0          | is no ceiling at all; leave memory_max out for none",
            "proxy_read_timeout  | 0          | is no time at all; give at least 1 ms (nginx's default is \"60s\")",
            "proxy_read_timeout  | \"soon\"   | is not a time: give milliseconds, or a whole number followed by h, m or s, e.g. \"5s\"",
            "proxy_max_in_flight | 0          | is not a whole number, 1 or more",
            "proxy_max_in_flight | \"many\"   | is not a whole number, 1 or more",
            "proxy_max_queued    | -1         | is not a whole number, 0 or more",
    })
    void aBadValueIsAnErrorNamingFileLineAppAndField(String attribute, String json, String explanation) {
        assertEquals(List.of(fixture.at(4) + "app 'web': " + attribute + ": " + json + " " + explanation),
                fixture.errors(appWith(attribute, json)));
    }

    @Test
    void aCpuSetPartlyOutsideThisMachineIsAWarningAndRunsOnTheCpusThatExist() throws ConfigException {
        String file = appWith("cpus", "\"0-13\"");

        assertEquals(List.of(fixture.at(4) + "app 'web': cpus: \"0-13\" names CPUs 8-13 this machine does not "
                + "have (it has 0-7); instances run on 0-7"), fixture.warnings(file));
        assertEquals("0-13", fixture.app(file).resources().cpus().orElseThrow().toString());
    }

    @Test
    void poolsPinnedToOverlappingCpusAreWarnedAbout() throws ConfigException {
        List<String> warnings = fixture.warnings("""
                {apps: [
                  {name: 'nuomi', script: 'app.js', cpus: '0-4'},
                  {name: 'h5', script: 'app.js', cpus: '4-7'},
                  {name: 'free', script: 'app.js'}
                ]}""");

        assertEquals(List.of(fixture.at(3) + "app 'h5': cpus: \"4-7\" shares CPUs 4 with app 'nuomi' at line 2: "
                + "the two pools compete for them"), warnings);
    }

    @Test
    void withoutCpuWeightAPoolWeighsAsManyBusyProcessesAsItHasInstances() throws ConfigException {
        ResourceLimits plain = fixture.app(appWith("instances", "14")).resources();
        ResourceLimits light = fixture.app(appWith("cpu_weight", "5")).resources();

        assertEquals(1400, plain.cpuWeightFor(14));
        assertEquals(ResourceLimits.MAX_WEIGHT, plain.cpuWeightFor(500), "capped where cgroup v2 caps it");
        assertEquals(ResourceLimits.MAX_WEIGHT, plain.cpuWeightFor(Integer.MAX_VALUE), "no overflow");
        assertEquals(5, light.cpuWeightFor(14), "cpu_weight is the whole pool's, whatever its instances");
    }

    @Test
    void aQuotaAboveWhatThePoolsCpusCanUseIsAWarning() throws ConfigException {
        assertEquals(List.of(fixture.at(2) + "app 'web': cpu_quota: \"300%\" is more than the pool's 2 CPU(s) "
                        + "can use (200%): it limits nothing"),
                fixture.warnings("{apps: [{name: 'web', script: 'app.js',\n cpu_quota: '300%', cpus: '0-1'}]}"));
    }

    @Test
    void aCeilingNotAboveOneInstancesRestartThresholdIsAWarning() throws ConfigException {
        assertEquals(List.of(fixture.at(2) + "app 'web': memory_max: \"500M\" is not above max_memory_restart "
                        + "(500M, per instance): the kernel will kill instances of the pool before Corral can "
                        + "replace them gracefully"),
                fixture.warnings("{apps: [{name: 'web', script: 'app.js', max_memory_restart: '500M',\n"
                        + " memory_max: '500M'}]}"));
    }

    @Test
    void checkShowsTheExtensionsAnAppSets() throws ConfigException {
        AppConfig app = fixture.app("""
                {apps: [{name: 'nuomi', script: 'app.js', instances: 2, cpus: '0-3', cpu_quota: '300%',
                  cpu_weight: 50, memory_max: '2G', proxy_read_timeout: '10s', proxy_max_in_flight: 200, proxy_max_queued: 50}]}""");

        assertEquals("nuomi: 2 instances, no public port, node app.js, kill_timeout 1600 ms, listen_timeout 3000 ms, "
                + "max memory unlimited, merge_logs false, cpus 0-3, cpu_quota 300%, cpu_weight 50, memory_max 2G, "
                + "proxy: read timeout 10000 ms, 200 in flight, 50 queued", EcosystemReport.describe(app));
    }
}
