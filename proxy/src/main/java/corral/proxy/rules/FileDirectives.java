package corral.proxy.rules;

import corral.proxy.files.ContentTypes;
import corral.proxy.files.StaticFile.IfModifiedSince;
import corral.proxy.rules.FileSettings.TryFiles;
import corral.proxy.rules.LocationBlock.Kind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code root}, {@code alias}, {@code index}, {@code try_files}, {@code types},
 * {@code default_type}, {@code etag} and {@code if_modified_since}, checked as nginx 1.22
 * checks them and compiled into a level's {@link FileSettings}.
 */
final class FileDirectives {

    /** A level's own file directives while it is compiled. */
    static final class Draft {
        private Template root;
        private int aliasLength;
        private List<Template> index;
        private TryFiles tryFiles;
        private ContentTypes types;
        private String defaultType;
        private Boolean etag;
        private IfModifiedSince ifModifiedSince;

        FileSettings build() {
            return root == null && index == null && tryFiles == null && types == null && defaultType == null
                    && etag == null && ifModifiedSince == null ? FileSettings.UNSET
                    : new FileSettings(root, aliasLength, index, tryFiles, types, defaultType, etag, ifModifiedSince);
        }

    }

    private final Problems problems;
    private final ScriptCompiler scripts;
    /** nginx's prefix: where a relative root is read from. */
    private final Path prefix;

    FileDirectives(Problems problems, ScriptCompiler scripts, Path prefix) {
        this.problems = problems;
        this.scripts = scripts;
        this.prefix = prefix;
    }

    /**
     * What applies where no level sets it: the root, "html" under the prefix, and the types,
     * nginx's own for a whole nginx.conf, else those of Debian's nginx.conf, into whose http
     * level a vhost file is included.
     */
    FileSettings defaults(boolean wholeConf) {
        String html = prefix.resolve("html").toString();
        ContentTypes types = wholeConf ? ContentTypes.NGINX : ContentTypes.DEBIAN;
        return new FileSettings(new Template(html, List.of(new Template.Literal(html)), false), 0, null, null,
                types, types.defaultType(), null, null);
    }

    /** Compiles {@code d} when it is one of the directives of any level; false when it is none. */
    boolean compile(Directive d, Draft draft) {
        switch (d.name()) {
            case "root" -> root(d, draft, null, null);
            case "index" -> index(d, draft);
            case "types" -> types(d, draft);
            case "default_type" -> {
                if (problems.expectNoBlock(d) && problems.expectArgs(d, 1, 1)) {
                    draft.defaultType = d.arg(0);
                }
            }
            case "etag" -> {
                Boolean on = onOff(d);
                if (on != null) {
                    draft.etag = on;
                }
            }
            case "if_modified_since" -> {
                if (problems.expectNoBlock(d) && problems.expectArgs(d, 1, 1)) {
                    switch (d.arg(0)) {
                        case "off" -> draft.ifModifiedSince = IfModifiedSince.OFF;
                        case "exact" -> draft.ifModifiedSince = IfModifiedSince.EXACT;
                        case "before" -> draft.ifModifiedSince = IfModifiedSince.BEFORE;
                        default -> problems.add(d, "invalid value \"" + d.arg(0) + "\" (expected off, exact or before)");
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code root} (kind null: any level) or {@code alias} (in a location of {@code kind} and
     * {@code name}): nginx refuses a second one, $document_root in it, and alias in a named
     * location; it drops a root's final "/" and puts a relative one under the prefix.
     */
    void root(Directive d, Draft draft, Kind kind, String name) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        boolean alias = d.name().equals("alias");
        if (draft.root != null) {
            boolean wasAlias = draft.aliasLength != 0;
            problems.add(d, wasAlias == alias ? "\"" + d.name() + "\" directive is duplicate"
                    : "\"" + d.name() + "\" directive is duplicate, \"" + (wasAlias ? "alias" : "root")
                    + "\" directive was specified earlier");
            return;
        }
        String value = d.arg(0);
        if (value.contains("$document_root") || value.contains("${document_root}")
                || value.contains("$realpath_root") || value.contains("${realpath_root}")) {
            problems.add(d, "the $document_root and $realpath_root variables cannot be used in the \""
                    + d.name() + "\" directive");
            return;
        }
        if (!alias && value.length() > 1 && value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        if (!value.startsWith("/") && !value.startsWith("$")) {
            value = prefix.resolve(value).toString();
        }
        Template t = scripts.template(d, value, false);
        if (t == null) {
            return;
        }
        draft.root = t;
        draft.aliasLength = !alias ? 0 : kind == Kind.REGEX ? FileSettings.WHOLE : Math.max(1, name.length());
    }

    private void index(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
            return;
        }
        List<Template> names = draft.index != null ? draft.index : new ArrayList<>();
        for (int i = 0; i < d.args().size(); i++) {
            String name = d.arg(i);
            if (name.isEmpty()) {
                problems.add(d, "index \"\" in \"index\" directive is invalid");
                return;
            }
            if (name.startsWith("/") && i != d.args().size() - 1) {
                problems.add(d, "only the last index in \"index\" directive should be absolute");
                return;
            }
            Template t = scripts.template(d, name, false);
            if (t == null) {
                return;
            }
            names.add(t);
        }
        draft.index = names;
    }

    /**
     * {@code try_files file ... uri|=code|@name}: in a location, or in a server for the requests
     * no location takes (never inherited; RulesCompiler sees to where).
     */
    void tryFiles(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, Integer.MAX_VALUE)) {
            return;
        }
        if (draft.tryFiles != null) {
            problems.add(d, "\"try_files\" directive is duplicate");
            return;
        }
        List<Template> names = new ArrayList<>();
        List<Boolean> dirs = new ArrayList<>();
        int last = d.args().size() - 1;
        for (int i = 0; i < last; i++) {
            String name = d.arg(i);
            boolean dir = name.endsWith("/"); // tested without its "/", as nginx's
            Template t = scripts.template(d, dir ? name.substring(0, name.length() - 1) : name, false);
            if (t == null) {
                return;
            }
            names.add(t);
            dirs.add(dir);
        }
        String fallback = d.arg(last);
        int code = -1;
        Template uri = null;
        if (fallback.startsWith("=")) {
            try {
                code = Integer.parseInt(fallback.substring(1));
            } catch (NumberFormatException e) {
                code = 1000;
            }
            if (code < 0 || code > 999) {
                problems.add(d, "invalid code \"" + fallback + "\"");
                return;
            }
        } else {
            uri = scripts.template(d, fallback, false);
            if (uri == null) {
                return;
            }
        }
        draft.tryFiles = new TryFiles(List.copyOf(names), List.copyOf(dirs), uri, code);
    }

    /** {@code types { type ext ...; }}: the block replaces the level's types, as nginx's does. */
    private void types(Directive d, Draft draft) {
        if (!problems.expectBlock(d) || !problems.expectArgs(d, 0, 0)) {
            return;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Directive line : d.block()) {
            if (line.block() != null) {
                problems.add(line, "unexpected \"{\" in types");
                continue;
            }
            if (line.args().isEmpty()) {
                problems.add(line, "invalid number of arguments in types (expected a type and extensions)");
                continue;
            }
            for (String ext : line.args()) {
                map.put(HostHeader.lowerAscii(ext), line.name());
            }
        }
        draft.types = new ContentTypes(map, "text/plain");
    }

    private Boolean onOff(Directive d) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return null;
        }
        return switch (d.arg(0)) {
            case "on" -> true;
            case "off" -> false;
            default -> {
                problems.add(d, "invalid value \"" + d.arg(0) + "\" in \"" + d.name() + "\" directive, it must be \"on\" or \"off\"");
                yield null;
            }
        };
    }
}
