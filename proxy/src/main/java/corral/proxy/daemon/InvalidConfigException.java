package corral.proxy.daemon;

import java.util.List;

/** The configuration does not load: every problem of every file, one line each. */
public final class InvalidConfigException extends Exception {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
