package corral.proxy.rules;

import corral.proxy.rules.Variables.Variable;

import java.util.List;

/**
 * A value with variables, compiled once: a rewrite replacement, a {@code return} text, a
 * {@code proxy_set_header} value. Parsed by {@link TemplateParser} as nginx's script compiler
 * reads it.
 */
final class Template {

    sealed interface Part {
    }

    record Literal(String text) implements Part {
    }

    /** {@code $1}..{@code $9}. */
    record Capture(int n) implements Part {
    }

    record Var(String name, Variable variable) implements Part {
    }

    /** The first literal {@code ?} of a non-redirecting rewrite: the arguments start here. */
    record ArgsStart() implements Part {
    }

    private final String source;
    private final List<Part> parts;
    private final boolean literalQuestionMark;
    /** The value when every part is a literal (no variable, capture or args start); else null. */
    private final String constant;

    Template(String source, List<Part> parts, boolean literalQuestionMark) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.literalQuestionMark = literalQuestionMark;
        this.constant = this.parts.stream().allMatch(p -> p instanceof Literal) ? render(null) : null;
    }

    String source() {
        return source;
    }

    List<Part> parts() {
        return parts;
    }

    /** The source text has a {@code ?} outside variables (a redirect then adds args with &). */
    boolean literalQuestionMark() {
        return literalQuestionMark;
    }

    /** The value, captures and variables inserted as they are (no escaping). */
    String render(RequestContext ctx) {
        if (constant != null) {
            return constant; // made once, not per request (issue 12)
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof Capture c) {
                out.append(ctx.capture(c.n()));
            } else if (part instanceof Var v) {
                out.append(v.variable().value(ctx));
            } else {
                out.append('?');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
