package corral.workers.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How each instance of an app is started: in which directory, which program, through which
 * interpreter, with which arguments. All paths are absolute.
 */
record Launch(Path cwd, Path script, List<String> args, Optional<String> interpreter,
        List<String> interpreterArgs) {

    Launch {
        args = List.copyOf(args);
        interpreterArgs = List.copyOf(interpreterArgs);
    }
}
