package corral.proxy.rules;

import corral.proxy.rules.Template.ArgsStart;
import corral.proxy.rules.Template.Capture;
import corral.proxy.rules.Template.Literal;
import corral.proxy.rules.Template.Part;
import corral.proxy.rules.Template.Var;
import corral.proxy.rules.Variables.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a value with variables as nginx's {@code ngx_http_script_compile} does: {@code $1} to
 * {@code $9} are captures (one digit only), {@code $name} and {@code ${name}} variables (names
 * of letters, digits and {@code _}, any case), everything else literal. For a rewrite that does
 * not redirect, the first literal {@code ?} starts the arguments.
 */
final class TemplateParser {

    /** Finds the variable of a lower-cased name; null when there is none. */
    @FunctionalInterface
    interface Resolver {
        Variable resolve(String name);
    }

    /** The value cannot be compiled; the message says why. */
    static final class TemplateException extends Exception {

        private static final long serialVersionUID = 1L;

        TemplateException(String message) {
            super(message);
        }
    }

    private TemplateParser() {
    }

    static Template parse(String source, boolean splitArgs, Resolver resolver)
            throws TemplateException {
        List<Part> parts = new ArrayList<>();
        boolean questionMark = false;
        boolean argsStarted = false;
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '?') {
                questionMark = true;
                if (splitArgs && !argsStarted) {
                    flush(literal, parts);
                    parts.add(new ArgsStart());
                    argsStarted = true;
                    i++;
                    continue;
                }
            }
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            flush(literal, parts);
            i = variable(source, i + 1, parts, resolver);
        }
        flush(literal, parts);
        return new Template(source, parts, questionMark);
    }

    /** Reads the variable after a {@code $} at {@code i}; returns the index after it. */
    private static int variable(String source, int i, List<Part> parts, Resolver resolver)
            throws TemplateException {
        if (i == source.length()) {
            throw new TemplateException("invalid variable name: \"$\" at the end of \""
                    + source + "\"");
        }
        char first = source.charAt(i);
        if (first >= '1' && first <= '9') {
            parts.add(new Capture(first - '0'));
            return i + 1;
        }
        boolean bracket = first == '{';
        if (bracket) {
            i++;
        }
        int start = i;
        while (i < source.length() && isNameChar(source.charAt(i))) {
            i++;
        }
        String name = source.substring(start, i);
        if (bracket) {
            if (i == source.length() || source.charAt(i) != '}') {
                throw new TemplateException("the closing bracket in \"" + name
                        + "\" variable is missing in \"" + source + "\"");
            }
            i++;
        }
        if (name.isEmpty()) {
            throw new TemplateException("invalid variable name in \"" + source + "\"");
        }
        String lower = HostHeader.lowerAscii(name);
        Variable v = resolver.resolve(lower);
        if (v == null) {
            throw new TemplateException("unknown variable \"$" + name + "\" (Corral knows: "
                    + Variables.known() + ")");
        }
        parts.add(new Var(lower, v));
        return i;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_';
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }
}
