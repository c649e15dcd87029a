package corral.proxy.rules;

import corral.proxy.files.ContentTypes;
import corral.proxy.files.StaticFile.IfModifiedSince;

import java.util.List;

/**
 * The directives of nginx's core, index and try_files modules that pick and type a file, at one
 * level, inherited as nginx merges them: each unset field takes the parent's.
 *
 * @param root        {@code root} or {@code alias}: the directory (a relative one already put
 *                    under the prefix, unless it starts with a variable); null when unset
 * @param aliasLength 0 for {@code root}; for {@code alias} the length of the location's name
 *                    (that much of the URI is replaced), or {@link #WHOLE} in a regex location
 *                    (the alias is the whole path, as nginx's NGX_MAX_SIZE_T_VALUE)
 * @param index       {@code index}; null when unset (nginx's default: index.html)
 * @param tryFiles    {@code try_files} of this location (never inherited); null when none
 * @param types       {@code types}; null when unset
 * @param defaultType {@code default_type}; null when unset
 * @param etag        {@code etag}; null when unset (on)
 * @param ifModifiedSince {@code if_modified_since}; null when unset (exact)
 */
record FileSettings(Template root, int aliasLength, List<Template> index, TryFiles tryFiles,
                    ContentTypes types, String defaultType, Boolean etag, IfModifiedSince ifModifiedSince) {

    static final int WHOLE = Integer.MAX_VALUE;

    static final FileSettings UNSET = new FileSettings(null, 0, null, null, null, null, null, null);

    /**
     * {@code try_files}: the names to test (a name ending in "/" tests a directory, tested
     * without its "/"), then the fallback: a URI, a named location, or {@code =code}.
     */
    record TryFiles(List<Template> names, List<Boolean> directories, Template fallback, int code) {
    }

    /** These settings, each replaced by {@code inner}'s where it sets it; try_files is the inner's alone. */
    FileSettings under(FileSettings inner) {
        if (inner == UNSET) {
            return tryFiles == null ? this : new FileSettings(root, aliasLength, index, null, types,
                    defaultType, etag, ifModifiedSince);
        }
        boolean innerRoot = inner.root != null;
        return new FileSettings(innerRoot ? inner.root : root, innerRoot ? inner.aliasLength : aliasLength,
                inner.index != null ? inner.index : index, inner.tryFiles,
                inner.types != null ? inner.types : types,
                inner.defaultType != null ? inner.defaultType : defaultType,
                inner.etag != null ? inner.etag : etag,
                inner.ifModifiedSince != null ? inner.ifModifiedSince : ifModifiedSince);
    }

    boolean alias() {
        return aliasLength != 0;
    }

    /** The Content-Type of a file answered for {@code uri}. */
    String contentType(String uri) {
        ContentTypes t = types != null ? types : ContentTypes.NGINX;
        return t.withDefault(defaultType != null ? defaultType : t.defaultType()).typeOf(uri);
    }
}
