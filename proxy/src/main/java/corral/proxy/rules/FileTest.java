package corral.proxy.rules;

import corral.proxy.files.FileLookup;
import corral.proxy.files.FileLookup.Found;
import corral.proxy.files.FileLookup.Kind;
import corral.proxy.rules.IfCondition.Op;

import java.nio.file.Files;
import java.util.List;

/**
 * The file tests of nginx's {@code if} ({@code -f}, {@code -d}, {@code -e}, {@code -x} and their
 * "!" forms), as ngx_http_script_file_code runs them: a stat following symlinks; a path that
 * cannot be looked up (missing, not a directory on the way, forbidden) fails every positive
 * test and passes every negative one.
 */
final class FileTest {

    private FileTest() {
    }

    /** {@code (-f value)}: the value may hold variables ({@code $request_filename}). */
    static IfCondition condition(Directive d, List<String> args, Problems problems, ScriptCompiler scripts) {
        if (args.size() != 2) {
            problems.add(d, "invalid condition \"" + args.get(0) + "\" (expected (-f value), -d, -e or -x,"
                    + " with or without \"!\")");
            return null;
        }
        Template value = scripts.template(d, args.get(1), false);
        if (value == null) {
            return null;
        }
        Op op = switch (args.get(0)) {
            case "-f" -> Op.FILE;
            case "!-f" -> Op.NOT_FILE;
            case "-d" -> Op.DIR;
            case "!-d" -> Op.NOT_DIR;
            case "-e" -> Op.EXISTS;
            case "!-e" -> Op.NOT_EXISTS;
            case "-x" -> Op.EXEC;
            default -> Op.NOT_EXEC;
        };
        return new IfCondition(null, op, value, null);
    }

    static boolean test(Op op, String path) {
        Found found = FileLookup.test(path);
        Kind kind = found.kind();
        boolean looked = kind == Kind.FILE || kind == Kind.DIRECTORY || kind == Kind.OTHER;
        return switch (op) {
            case FILE -> kind == Kind.FILE;
            case NOT_FILE -> kind != Kind.FILE;
            case DIR -> kind == Kind.DIRECTORY;
            case NOT_DIR -> kind != Kind.DIRECTORY;
            case EXISTS -> looked;
            case NOT_EXISTS -> !looked;
            case EXEC -> looked && Files.isExecutable(FileLookup.path(path));
            case NOT_EXEC -> !(looked && Files.isExecutable(FileLookup.path(path)));
            default -> throw new IllegalArgumentException(op.toString());
        };
    }
}
