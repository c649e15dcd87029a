package corral.proxy.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.SampleApp;
import corral.fixtures.StatusJson;
import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One Corral "host" of the fleet test: a {@link CorralInstall} (its own home and free ports) whose
 * apps run the release that {@code app/current} points at, as a host deployed by release
 * directories does: {@code app/releases/<name>/app.js}, and the symlink the Ansible role switches.
 */
final class FleetHost {

    final String name;
    final CorralInstall corral;
    final Path releases;
    final Path current;

    FleetHost(String name, CorralHome home) throws IOException {
        this.name = name;
        this.corral = new CorralInstall(home);
        Path app = home.path().resolve("app");
        this.releases = Files.createDirectories(app.resolve("releases"));
        this.current = app.resolve("current");
        addRelease("v1", false);
        Files.createSymbolicLink(current, releases.resolve("v1"));
        corral.writeConf(resource("pm2.json"));
        corral.writeVhost(List.of(resource("default.conf")));
    }

    /** A release directory holding the sample app; a broken one refuses to start, as a bad release does. */
    void addRelease(String release, boolean broken) throws IOException {
        Path dir = Files.createDirectories(releases.resolve(release));
        Files.copy(SampleApp.appJs(), dir.resolve("app.js"));
        if (broken) {
            Files.writeString(dir.resolve("BROKEN_RELEASE"), "the fleet test's broken release\n");
        }
    }

    void start() throws IOException, InterruptedException {
        CorralInstall.Result r = corral.control("start");
        if (r.exit() != 0) {
            throw new AssertionError(name + ": bin/control start failed: " + r);
        }
    }

    /** This host's line of an Ansible inventory, run on this machine (ansible_connection=local). */
    String inventoryLine() {
        return name + " ansible_connection=local ansible_python_interpreter=/usr/bin/python3"
                + " corral_root=" + SampleApp.repoRoot()
                + " corral_home=" + corral.home.path()
                + " corral_health_url=http://127.0.0.1:" + corral.vhostPort + "/health"
                + " corral_releases_dir=" + releases
                + " corral_current_link=" + current;
    }

    /** The release the link points at now. */
    String linkedRelease() throws IOException {
        return Files.readSymbolicLink(current).getFileName().toString();
    }

    /** Each ready h5 instance's pid and the release it runs (its working directory, symlink resolved at spawn). */
    Map<Long, String> h5Releases() throws IOException, InterruptedException {
        Map<Long, String> out = new TreeMap<>();
        for (long pid : StatusJson.readyPids(corral.adminStatus(), "h5")) {
            out.put(pid, Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).getFileName().toString());
        }
        return out;
    }

    /** The h5 instances' status entries, for the sampler: pid, state, uptime. */
    JsonNode h5Instances() throws IOException, InterruptedException {
        for (JsonNode a : corral.adminStatus().path("apps")) {
            if (a.path("name").asText().equals("h5")) {
                return a.path("instances");
            }
        }
        throw new AssertionError(name + ": no h5 in the status");
    }

    private static Path resource(String file) {
        try {
            return Path.of(Objects.requireNonNull(FleetHost.class.getResource("/fleet/" + file),
                    "test resource /fleet/" + file + " is missing").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
