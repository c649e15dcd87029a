package corral.proxy.control;

import corral.workers.home.HomeLayout;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code bin/control}: one command per run, one clear last line, an exit code a release script
 * can trust (0 done, 1 failed, 2 wrong usage). The command line is parsed by picocli from the
 * command tree under {@link ControlCommand}; a wrong one is a single line naming the command and
 * what is wrong, never a stack trace.
 */
public final class ControlMain {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Whole numbers with a message an operator reads ("'abc' is not a whole number"), for every int option. */
    private static final ITypeConverter<Integer> WHOLE_NUMBER = value -> {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    };

    private ControlMain() {
    }

    public static void main(String[] argv) {
        Path root = Path.of(System.getProperty("corral.root", ".")).toAbsolutePath().normalize();
        HomeLayout home = HomeLayout.fromEnvironment(System.getenv(), root);
        System.exit(run(argv, new ControlContext(System.out, System.err, root, home)));
    }

    static int run(String[] argv, ControlContext context) {
        return commandLine(context).execute(argv);
    }

    /** The command tree with the converters and the error handling every command shares. */
    static CommandLine commandLine(ControlContext context) {
        CommandLine cl = new CommandLine(new ControlCommand(context));
        cl.setOut(new PrintWriter(context.out, true));
        cl.setErr(new PrintWriter(context.err, true));
        cl.registerConverter(Integer.class, WHOLE_NUMBER);
        cl.registerConverter(int.class, WHOLE_NUMBER);
        cl.setParameterExceptionHandler((e, args) -> {
            context.err.println(usageError(e));
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getParent() == null ? "bin/control" : "bin/control " + command.getCommandName();
            context.err.println(name + ": " + reason(e));
            return e instanceof UsageException ? USAGE : FAILED;
        });
        return cl;
    }

    /** One line: {@code bin/control logs: invalid value for option '--lines': 'abc' is not a whole number (see ...)}. */
    static String usageError(ParameterException e) {
        CommandLine where = e.getCommandLine();
        boolean atRoot = where.getParent() == null;
        if (atRoot && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            List<String> near = u.getSuggestions();
            return "bin/control: unknown command '" + u.getUnmatched().get(0) + "'"
                    + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)")
                    + "; bin/control --help lists the commands";
        }
        String name = atRoot ? "bin/control" : "bin/control " + where.getCommandName();
        String message = e.getMessage();
        message = message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
        return name + ": " + message.replace('\n', ' ').strip() + " (see " + name + " --help)";
    }

    private static String reason(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }
}
