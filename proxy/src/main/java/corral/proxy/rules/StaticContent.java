package corral.proxy.rules;

import corral.proxy.files.FileLookup;
import corral.proxy.files.FileLookup.Found;
import corral.proxy.files.FileLookup.Kind;
import corral.proxy.files.StaticFile;
import corral.proxy.files.StaticFile.IfModifiedSince;
import corral.proxy.rules.FileSettings.TryFiles;
import corral.proxy.rules.RouteDecision.Redirect;

import java.util.List;

/**
 * What nginx 1.22 does for a request no {@code proxy_pass} takes: the try_files phase, then the
 * content phase's index and static handlers (index runs first and takes URIs ending in "/",
 * static the others), then 403 for a directory URI nothing answered. A file is looked up
 * when the rules run, as nginx stats and opens it in its phases; the answer's bytes are read
 * when it is sent. Index files and try_files' URI fallback are internal redirects
 * ({@link RouteEngine#internalRedirect}), its {@code @name} fallback a named location.
 */
final class StaticContent {

    private StaticContent() {
    }

    /** The answer nginx makes, after any internal redirects. */
    static RouteDecision answer(RequestContext ctx, ProxySettings settings) {
        FileSettings files = ctx.fileDefaults.under(settings.files());
        if (files.tryFiles() != null) { // a location's, or the server's where no location matched
            RouteDecision tried = tryFiles(ctx, files, files.tryFiles());
            if (tried != null) {
                return tried;
            }
        }
        String method = ctx.method; // GET once an error_page redirected the request
        boolean readsFiles = method.equals("GET") || method.equals("HEAD") || method.equals("POST");
        if (!readsFiles) {
            return ErrorPages.of(405); // index declines, static refuses the method
        }
        if (ctx.uri.endsWith("/")) {
            RouteDecision indexed = index(ctx, files);
            return indexed != null ? indexed : ErrorPages.of(403);
        }
        String path = path(ctx, files);
        if (path == null) {
            return ErrorPages.of(500);
        }
        Found found = FileLookup.open(path);
        return switch (found.kind()) {
            case MISSING, OTHER -> ErrorPages.of(404);
            case FORBIDDEN -> ErrorPages.of(403);
            case ERROR -> ErrorPages.of(500);
            case DIRECTORY -> {
                // the URI escaped as ngx_escape_uri(NGX_ESCAPE_URI) and a "/" added, args kept
                String location = UriEscaper.escapePath(ctx.uri) + "/" + (ctx.args.isEmpty() ? "" : "?" + ctx.args);
                yield new Redirect(301, Rewriter.absolute(location, ctx));
            }
            case FILE -> method.equals("POST") ? ErrorPages.of(405)
                    : new RouteDecision.File(new StaticFile(path, found.size(), found.modified(),
                            files.contentType(ctx.uri), files.etag() == null || files.etag(),
                            files.ifModifiedSince() == null ? IfModifiedSince.EXACT : files.ifModifiedSince()),
                            settings.gzip(), ResponseEdits.NONE);
        };
    }

    /**
     * ngx_http_map_uri_to_path: the root and the URI; for an alias, the URI without the
     * location's name, or (in a regex location) the alias alone. Null where nginx fails (an
     * alias after a {@code rewrite ... break}): a 500.
     */
    static String path(RequestContext ctx, FileSettings files) {
        String root = root(ctx, files);
        if (files.alias() && !ctx.validLocation) {
            return null;
        }
        if (files.aliasLength() == FileSettings.WHOLE) {
            return ctx.addUriToAlias ? root + ctx.uri : root;
        }
        return root + ctx.uri.substring(Math.min(files.aliasLength(), ctx.uri.length()));
    }

    /** {@code $request_filename}: the path the URI maps to in the level in use; "" where nginx fails. */
    static String requestFilename(RequestContext ctx) {
        String path = path(ctx, ctx.fileDefaults.under(settings(ctx).files()));
        return path == null ? "" : path;
    }

    /** {@code $document_root}: the root or alias of the level in use. */
    static String documentRoot(RequestContext ctx) {
        return root(ctx, ctx.fileDefaults.under(settings(ctx).files()));
    }

    private static ProxySettings settings(RequestContext ctx) {
        return ctx.location != null ? ctx.location.settings() : ctx.server.settings();
    }

    /** The root or alias as rendered (the top level's default: "html" under the prefix). */
    private static String root(RequestContext ctx, FileSettings files) {
        return files.root() == null ? "html" : files.root().render(ctx);
    }

    /**
     * The index module: the first index name that exists (a stat: a directory counts) is an
     * internal redirect to the URI plus the name; an absolute last name is one without test.
     * A missing directory is a 404, a forbidden one 403; none found: null (then a 403).
     */
    private static RouteDecision index(RequestContext ctx, FileSettings files) {
        String dir = path(ctx, files);
        if (dir == null) {
            return ErrorPages.of(500);
        }
        boolean dirTested = false;
        for (Template t : files.index() != null ? files.index() : List.of(DEFAULT_INDEX)) {
            String name = t.render(ctx);
            if (name.startsWith("/")) {
                return redirect(ctx, name, ctx.args);
            }
            Found found = FileLookup.test(dir + name);
            if (found.kind() == Kind.FORBIDDEN) {
                return ErrorPages.of(403);
            }
            if (found.kind() == Kind.ERROR) {
                return ErrorPages.of(500);
            }
            if (found.kind() == Kind.MISSING) {
                if (!dirTested) {
                    Found d = FileLookup.test(dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
                    if (d.kind() == Kind.MISSING) {
                        return ErrorPages.of(404);
                    }
                    if (d.kind() != Kind.DIRECTORY && d.kind() != Kind.FORBIDDEN) {
                        return ErrorPages.of(d.kind() == Kind.FILE ? 404 : 500);
                    }
                    dirTested = true;
                }
                continue;
            }
            return redirect(ctx, ctx.uri + name, ctx.args);
        }
        return null;
    }

    private static final Template DEFAULT_INDEX = new Template("index.html",
            List.of(new Template.Literal("index.html")), false);

    /**
     * The try_files phase: the first name that exists as a file (or, ending in "/", as a
     * directory) becomes the URI and the content phase goes on in this location; else the last
     * parameter: a code, a named location, or an internal redirect to the URI (its "?"
     * starts the args). Null when a file was found.
     */
    private static RouteDecision tryFiles(RequestContext ctx, FileSettings files, TryFiles tf) {
        String base = root(ctx, files);
        if (files.alias() && !ctx.validLocation) {
            return ErrorPages.of(500);
        }
        int alias = files.aliasLength();
        for (int i = 0; i < tf.names().size(); i++) {
            String name = tf.names().get(i).render(ctx);
            boolean dir = tf.directories().get(i);
            if (alias != 0 && alias != FileSettings.WHOLE && tf.names().get(i).parts().stream()
                    .anyMatch(p -> !(p instanceof Template.Literal)) && name.startsWith(ctx.uri.substring(0, Math.min(alias, ctx.uri.length())))
                    && name.length() >= alias) {
                name = name.substring(alias); // nginx cuts the location's name off a value with variables
            }
            Found found = FileLookup.test(base + name);
            if (found.kind() != (dir ? Kind.DIRECTORY : Kind.FILE) && !(found.kind() == Kind.OTHER && !dir)) {
                continue;
            }
            if (alias == 0) {
                ctx.uri = name;
            } else if (alias == FileSettings.WHOLE) {
                if (!dir) {
                    ctx.uri = name;
                    ctx.addUriToAlias = true;
                }
            } else {
                ctx.uri = ctx.uri.substring(0, Math.min(alias, ctx.uri.length())) + name;
            }
            return null;
        }
        if (tf.fallback() == null) {
            return ErrorPages.of(tf.code());
        }
        String target = tf.fallback().render(ctx);
        if (target.startsWith("@")) {
            return RouteEngine.namedLocation(ctx, target);
        }
        int q = target.indexOf('?');
        return redirect(ctx, q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1));
    }

    private static RouteDecision redirect(RequestContext ctx, String uri, String args) {
        ctx.addUriToAlias = false;
        return RouteEngine.internalRedirect(ctx, uri, args);
    }
}
