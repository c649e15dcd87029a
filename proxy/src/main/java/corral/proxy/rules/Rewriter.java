package corral.proxy.rules;

import corral.proxy.rules.RouteDecision.Close;
import corral.proxy.rules.RouteDecision.Redirect;
import corral.proxy.rules.ScriptOp.Flag;
import corral.proxy.rules.ScriptOp.Return;
import corral.proxy.rules.ScriptOp.Rewrite;
import corral.proxy.rules.Template.ArgsStart;
import corral.proxy.rules.Template.Capture;
import corral.proxy.rules.Template.Literal;
import corral.proxy.rules.Template.Part;
import corral.proxy.rules.Template.Var;

import java.util.List;

/**
 * Runs a list of {@code rewrite}, {@code return}, {@code set}, {@code break} and {@code if}
 * directives on a request, as nginx's rewrite module runs its compiled script: in order (an
 * {@code if}'s block inlined after it), until one returns, redirects, or stops with
 * {@code last} or {@code break}.
 */
final class Rewriter {

    private Rewriter() {
    }

    /**
     * Runs {@code script}. Returns the decision when a directive answered the request; null when
     * the request goes on (with {@code ctx.uri}, {@code ctx.args} and the flags maybe changed).
     */
    static RouteDecision run(List<ScriptOp> script, RequestContext ctx) {
        for (int i = 0; i < script.size(); i++) {
            ScriptOp op = script.get(i);
            if (op instanceof ScriptOp.If f) {
                if (!f.condition().test(ctx)) {
                    i += f.skip();
                } else if (f.inLocation()) {
                    // nginx's ngx_http_script_if_code: the block becomes the location's config
                    ctx.ifProxy = f.proxy();
                }
                continue;
            }
            if (op instanceof Return r) {
                return answer(r, ctx);
            }
            if (op instanceof ScriptOp.Set s) {
                ctx.setVariable(s.name(), s.value().render(ctx));
                continue;
            }
            if (op instanceof ScriptOp.Break) {
                // nginx's ngx_http_script_break_code: a changed URI is not searched again
                if (ctx.uriChanged) {
                    ctx.validLocation = false;
                    ctx.uriChanged = false;
                }
                return null;
            }
            Rewrite rw = (Rewrite) op;
            String[] groups = rw.regex().exec(ctx.uri);
            if (groups == null) {
                ctx.forgetCaptures();
                continue;
            }
            ctx.matched(rw.regex(), groups);
            if (rw.flag() == Flag.REDIRECT) {
                return redirect(rw, ctx);
            }
            RouteDecision failed = changeUri(rw, ctx);
            if (failed != null) {
                return failed;
            }
            if (rw.flag() == Flag.LAST || rw.flag() == Flag.BREAK) {
                return null;
            }
        }
        return null;
    }

    /** {@code return}: a redirect, a body, an error page, or a closed connection. */
    private static RouteDecision answer(Return r, RequestContext ctx) {
        int status = r.status();
        if ((r.text() == null || r.text().source().isEmpty()) && status >= 400) {
            return status == 444 ? new Close() : ErrorPages.of(status);
        }
        String text = r.text() == null ? "" : r.text().render(ctx);
        if (isRedirect(status)) {
            return new Redirect(status, absolute(text, ctx));
        }
        return new RouteDecision.Respond(status, text, ErrorPages.TEXT);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * A rewrite that redirects: captures escaped when the request had escapes, the result
     * half-decoded, the request's args added (after "&" when the replacement has a "?").
     */
    private static RouteDecision redirect(Rewrite rw, RequestContext ctx) {
        StringBuilder out = new StringBuilder();
        boolean escape = ctx.target.quotedUri() || ctx.target.plusInUri();
        for (Part part : rw.replacement().parts()) {
            if (part instanceof Capture c) {
                String value = ctx.capture(c.n());
                out.append(escape ? UriEscaper.escapeArgs(value) : value);
            } else {
                appendPlain(out, part, ctx);
            }
        }
        String location = UriEscaper.unescapeRedirect(out.toString());
        if (rw.addArgs() && !ctx.args.isEmpty()) {
            location += (rw.replacement().literalQuestionMark() ? "&" : "?") + ctx.args;
        }
        return new Redirect(rw.status(), absolute(location, ctx));
    }

    /**
     * A rewrite that changes the URI (and maybe the args). Captures after the first "?" are
     * escaped when the request had escapes; those in the path are copied decoded.
     */
    private static RouteDecision changeUri(Rewrite rw, RequestContext ctx) {
        ctx.internal = true;
        ctx.validUnparsedUri = false;
        if (rw.flag() == Flag.BREAK) {
            ctx.validLocation = false;
            ctx.uriChanged = false;
        } else {
            ctx.uriChanged = true;
        }
        StringBuilder path = new StringBuilder();
        StringBuilder args = null;
        boolean escape = ctx.target.quotedUri() || ctx.target.plusInUri();
        for (Part part : rw.replacement().parts()) {
            StringBuilder into = args == null ? path : args;
            if (part instanceof ArgsStart) {
                args = new StringBuilder();
            } else if (part instanceof Capture c) {
                String value = ctx.capture(c.n());
                into.append(args != null && escape ? UriEscaper.escapeArgs(value) : value);
            } else {
                appendPlain(into, part, ctx);
            }
        }
        if (args != null) {
            if (rw.addArgs() && !ctx.args.isEmpty()) {
                args.append('&').append(ctx.args);
            }
            ctx.args = args.toString();
        } else if (!rw.addArgs()) {
            ctx.args = "";
        }
        ctx.uri = path.toString();
        return ctx.uri.isEmpty() ? ErrorPages.of(500) : null;
    }

    private static void appendPlain(StringBuilder out, Part part, RequestContext ctx) {
        if (part instanceof Literal l) {
            out.append(l.text());
        } else if (part instanceof Var v) {
            out.append(v.variable().value(ctx));
        }
    }

    /**
     * nginx's {@code absolute_redirect}: a Location starting with "/" gets the scheme, the Host
     * header's name (else the local address) and the port unless it is the scheme's default.
     */
    static String absolute(String location, RequestContext ctx) {
        if (location.isEmpty() || location.charAt(0) != '/') {
            return location;
        }
        RouteRequest req = ctx.request;
        boolean https = req.scheme().equalsIgnoreCase("https");
        String host = ctx.hostName.isEmpty() ? req.localAddr() : ctx.hostName;
        int port = req.listenPort();
        boolean defaultPort = port == (https ? 443 : 80);
        return (https ? "https" : "http") + "://" + host + (defaultPort ? "" : ":" + port)
                + location;
    }
}
