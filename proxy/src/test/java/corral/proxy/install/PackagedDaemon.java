package corral.proxy.install;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only against the packaged daemon, the jar that {@code bin/control} starts.
 * Failsafe runs {@code *IT} classes after {@code package}, with that jar on the class path; a
 * surefire run that selects them too ({@code -Dtest='corral.proxy.badinput.**'}) comes before
 * {@code package}, when {@code bin/control} would still run the previous build's jar: there the
 * class is skipped, saying why.
 */
public final class PackagedDaemon implements ExecutionCondition {

    private static final String JAR = "corral-proxy.jar";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean packaged = Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .anyMatch(entry -> entry.endsWith(File.separator + JAR));
        return packaged
                ? ConditionEvaluationResult.enabled("the packaged daemon (" + JAR + ") is under test")
                : ConditionEvaluationResult.disabled("drives the packaged daemon through bin/control: runs as a"
                        + " failsafe *IT after package (mvn verify), not from target/classes before it");
    }
}
