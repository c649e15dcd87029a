package corral;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the two modules, as a test (docs/architecture.md draws it). The production
 * classes of both modules are on this module's class path: workers is a dependency of proxy.
 */
class LayeringTest {

    private static JavaClasses corral;

    @BeforeAll
    static void importProductionClasses() {
        corral = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("corral.proxy", "corral.workers");
    }

    /** The supervisor knows nothing of the proxy, nor of an HTTP server. */
    @Test
    void workersImportNoProxyAndNoHttpServer() {
        noClasses().that().resideInAPackage("corral.workers..")
                .should().dependOnClassesThat().resideInAnyPackage("corral.proxy..", "io.undertow..",
                        "org.xnio..")
                .check(corral);
    }

    /**
     * Processes are started by the supervisor (instances, process trees, ecosystem files evaluated
     * by node) and by the operator's client (the daemon itself, systemd-analyze, the terminal for
     * monit); never on the request path.
     */
    @Test
    void onlyTheSupervisorAndTheControlClientStartProcesses() {
        noClasses().that().resideOutsideOfPackages("corral.workers..", "corral.proxy.control..")
                .should().dependOnClassesThat().haveFullyQualifiedName(ProcessBuilder.class.getName())
                .check(corral);
    }

    /**
     * Rules are nginx's language and its meaning, balancing and request limits are counting: no
     * Undertow type reaches them.
     */
    @Test
    void rulesBalancingAndLimitsKnowNothingOfUndertow() {
        noClasses().that().resideInAnyPackage("corral.proxy.rules..", "corral.proxy.balance..",
                        "corral.proxy.limit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..")
                .check(corral);
    }

    /** Only the daemon wires the supervisor to the listeners. */
    @Test
    void onlyTheDaemonWiresSupervisorAndListeners() {
        classes().that().resideInAPackage("corral.workers.supervisor..")
                .should().onlyHaveDependentClassesThat()
                .resideInAnyPackage("corral.workers..", "corral.proxy.daemon..")
                .check(corral);
    }

    @Test
    void noPackageCycles() {
        slices().matching("corral.(*).(*)..").should().beFreeOfCycles().check(corral);
    }
}
