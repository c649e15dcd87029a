package corral.proxy.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code error_page CODE... [=[CODE]] URI|@name}, {@code recursive_error_pages on|off} and
 * {@code proxy_intercept_errors on|off} at http, server and location level, checked as nginx
 * 1.22's {@code ngx_http_core_error_page} checks them (its messages).
 */
final class ErrorPageDirectives {

    /** A level's own directives while it is compiled. */
    static final class Draft {
        private List<ErrorPageRules.Page> pages;
        private Boolean recursive;
        private Boolean intercept;

        ErrorPageRules build() {
            return pages == null && recursive == null && intercept == null ? ErrorPageRules.UNSET
                    : new ErrorPageRules(pages, recursive, intercept);
        }
    }

    /** nginx's codes that a page without "=" answers as 400 (its own 494..497). */
    private static final List<Integer> ANSWERED_AS_400 = List.of(494, 495, 496, 497);

    private final Problems problems;
    private final ScriptCompiler scripts;

    ErrorPageDirectives(Problems problems, ScriptCompiler scripts) {
        this.problems = problems;
        this.scripts = scripts;
    }

    /** Compiles {@code d} into {@code draft} when it is one of these directives; false when not. */
    boolean compile(Directive d, Draft draft) {
        switch (d.name()) {
            case "error_page" -> errorPage(d, draft);
            case "recursive_error_pages" -> draft.recursive = flag(d, draft.recursive);
            case "proxy_intercept_errors" -> draft.intercept = flag(d, draft.intercept);
            default -> {
                return false;
            }
        }
        return true;
    }

    private Boolean flag(Directive d, Boolean before) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return before;
        }
        if (before != null) {
            problems.add(d, "\"" + d.name() + "\" directive is duplicate");
            return before;
        }
        return switch (d.arg(0)) {
            case "on" -> true;
            case "off" -> false;
            default -> {
                problems.add(d, "invalid value \"" + d.arg(0) + "\" in \"" + d.name()
                        + "\" directive, it must be \"on\" or \"off\"");
                yield before;
            }
        };
    }

    private void errorPage(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, Integer.MAX_VALUE)) {
            return;
        }
        List<String> args = d.args();
        int last = args.size() - 1;
        int overwrite = -1;
        int codes = last;
        String equals = args.get(last - 1);
        if (equals.startsWith("=")) {
            if (last - 1 == 0) {
                problems.add(d, "invalid value \"" + equals + "\"");
                return;
            }
            overwrite = equals.length() == 1 ? 0 : number(equals.substring(1));
            if (overwrite < 0) {
                problems.add(d, "invalid value \"" + equals + "\"");
                return;
            }
            codes = last - 1;
        }
        Template target = scripts.template(d, args.get(last), false);
        if (target == null) {
            return;
        }
        List<ErrorPageRules.Page> pages = new ArrayList<>();
        for (String code : args.subList(0, codes)) {
            int status = number(code);
            if (status < 0 || status == 499) {
                problems.add(d, "invalid value \"" + code + "\"");
                return;
            }
            if (status < 300 || status > 599) {
                problems.add(d, "value \"" + code + "\" must be between 300 and 599");
                return;
            }
            int own = overwrite == -1 && ANSWERED_AS_400.contains(status) ? 400 : overwrite;
            pages.add(new ErrorPageRules.Page(status, own, target));
        }
        if (draft.pages == null) {
            draft.pages = new ArrayList<>();
        }
        draft.pages.addAll(pages);
    }

    /** nginx's {@code ngx_atoi}: digits only; -1 otherwise. */
    private static int number(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(s);
    }
}
