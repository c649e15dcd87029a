package corral.proxy.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file names an {@code include} means, as glob(3) finds them for nginx: {@code *}, {@code ?}
 * and {@code [...]} in any path component, a leading dot matched only by a dot, results sorted
 * by name. A name without wildcards must exist; a glob may match nothing.
 */
final class Glob {

    private Glob() {
    }

    static List<Path> expand(Path base, String pattern) throws IOException {
        Path path = base.resolve(pattern);
        if (!hasWildcard(pattern)) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such file");
            }
            return List.of(path);
        }
        Path root = path.getRoot() == null ? Path.of("") : path.getRoot();
        List<Path> found = List.of(root);
        for (Path part : path) {
            found = step(found, part.toString());
        }
        return found;
    }

    private static List<Path> step(List<Path> dirs, String component) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!hasWildcard(component)) {
            for (Path dir : dirs) {
                Path p = dir.resolve(component);
                if (Files.exists(p)) {
                    out.add(p);
                }
            }
            return out;
        }
        Pattern regex = toRegex(component);
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> matches(regex, component, p.getFileName().toString()))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    private static boolean matches(Pattern regex, String component, String name) {
        if (name.startsWith(".") && !component.startsWith(".")) {
            return false;
        }
        return regex.matcher(name).matches();
    }

    static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String set = glob.substring(i + 1, end);
                boolean negate = set.startsWith("!") || set.startsWith("^");
                re.append(negate ? "[^" : "[");
                for (char s : (negate ? set.substring(1) : set).toCharArray()) {
                    re.append(s == '-' ? "-" : escapeInClass(s));
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static String escapeInClass(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }
}
