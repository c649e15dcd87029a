package corral.proxy.rules;

import java.util.List;
import java.util.stream.Collectors;

/** The vhost rules cannot be used; holds every problem found, in file order. */
public final class RulesException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleProblem> problems;

    public RulesException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
