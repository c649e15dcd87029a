package corral.proxy.badinput;

import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus of broken configuration files ({@code badinput/config/pm2} and {@code .../vhost}) with
 * what each one's error must say, read from the {@code .expect} file beside it (see the corpus's
 * README.md).
 */
final class ConfigCorpus {

    /** Which file a case breaks. */
    enum Kind { PM2, VHOST }

    /**
     * One broken configuration.
     *
     * @param name     the case's name, e.g. {@code p21-memory-lower-case-unit}
     * @param kind     whether it replaces pm2.json or the vhost rules
     * @param source   its file, or its directory of files (vhost cases with includes)
     * @param why      what is wrong with it, in words
     * @param expected texts the error output must hold: the place first, then the reason
     */
    record Case(String name, Kind kind, Path source, String why, List<String> expected) {

        /** Puts the broken file(s) in place of the installation's pm2.json or vhost rules. */
        void install(CorralInstall corral) throws IOException {
            if (kind == Kind.PM2) {
                corral.writeConf(source);
            } else if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.list(source)) {
                    corral.writeVhost(files.sorted().toList());
                }
            } else {
                corral.writeVhost(List.of(source));
            }
        }

        /** The texts that {@code output} lacks (empty when it says everything it must). */
        List<String> missingFrom(String output) {
            return expected.stream().filter(text -> !output.contains(text)).toList();
        }

        @Override
        public String toString() {
            return name + " (" + why + ")";
        }
    }

    private ConfigCorpus() {
    }

    /** Every case, pm2.json ones first, each kind in name order. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(readDir(Kind.PM2, CorralInstall.CONFIG.resolve("pm2")));
        cases.addAll(readDir(Kind.VHOST, CorralInstall.CONFIG.resolve("vhost")));
        return cases;
    }

    /** The cases with these names, in this order. */
    static List<Case> named(String... names) {
        List<Case> all = all();
        List<Case> picked = new ArrayList<>();
        for (String name : names) {
            picked.add(all.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no corpus case named " + name)));
        }
        return picked;
    }

    private static List<Case> readDir(Kind kind, Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Case> cases = new ArrayList<>();
            for (Path expect : entries.filter(p -> p.toString().endsWith(".expect"))
                    .sorted(Comparator.comparing(Path::toString)).toList()) {
                cases.add(readCase(kind, expect));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case readCase(Kind kind, Path expect) throws IOException {
        String name = expect.getFileName().toString().replaceFirst("\\.expect$", "");
        Path source = Stream.of(name + ".json", name + ".conf", name)
                .map(expect::resolveSibling).filter(Files::exists).findFirst()
                .orElseThrow(() -> new IllegalStateException(expect + " has no case file beside it"));
        List<String> lines = Files.readAllLines(expect);
        if (lines.size() < 2 || !lines.get(0).startsWith("# ")) {
            throw new IllegalStateException(expect + ": expected '# <what is wrong>' and at least one text to find");
        }
        List<String> expected = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        return new Case(name, kind, source, lines.get(0).substring(2), expected);
    }
}
