package corral.proxy.rules;

import java.nio.file.Path;
import java.util.List;

/**
 * One directive as written, includes already spliced in: its name, arguments, block (null when
 * it ended with {@code ;}) and where it came from.
 */
record Directive(String name, List<String> args, List<Directive> block, Path file, int line,
                 int lastLine) {

    Directive {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    String arg(int i) {
        return args.get(i);
    }
}
