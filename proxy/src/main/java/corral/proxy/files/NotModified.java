package corral.proxy.files;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * nginx 1.22's not-modified filter on a file's 200: If-Unmodified-Since and If-Match fail with
 * 412; If-Modified-Since ({@code if_modified_since}: exact by default, so only the same second
 * is "not modified") and If-None-Match (weak comparison) give 304 when every one present says so.
 */
final class NotModified {

    private NotModified() {
    }

    /** 412, 304, or null to send the file. */
    static Integer check(HeaderMap in, StaticFile file, String etag) {
        String ius = in.getFirst(Headers.IF_UNMODIFIED_SINCE);
        if (ius != null && HttpTime.parse(ius) < file.modified()) {
            return 412;
        }
        String ifMatch = in.getFirst(Headers.IF_MATCH);
        if (ifMatch != null && !matches(ifMatch, etag, false)) {
            return 412;
        }
        String ims = in.getFirst(Headers.IF_MODIFIED_SINCE);
        String inm = in.getFirst(Headers.IF_NONE_MATCH);
        if (ims == null && inm == null) {
            return null;
        }
        if (ims != null && modified(ims, file)) {
            return null;
        }
        if (inm != null && !matches(inm, etag, true)) {
            return null;
        }
        return 304;
    }

    /** ngx_http_test_if_modified. */
    private static boolean modified(String ims, StaticFile file) {
        if (file.ifModifiedSince() == StaticFile.IfModifiedSince.OFF) {
            return true;
        }
        long since = HttpTime.parse(ims);
        if (since == file.modified()) {
            return false;
        }
        return file.ifModifiedSince() == StaticFile.IfModifiedSince.EXACT || since < file.modified();
    }

    /** ngx_http_test_if_match: "*", or the ETag among the list (W/ ignored when weak). */
    static boolean matches(String list, String etag, boolean weak) {
        if (list.equals("*")) {
            return true;
        }
        if (etag == null) {
            return false;
        }
        String tag = weak && etag.length() > 2 && etag.startsWith("W/") ? etag.substring(2) : etag;
        int start = 0;
        int end = list.length();
        while (start < end) {
            if (weak && end - start > 2 && list.startsWith("W/", start)) {
                start += 2;
            }
            if (tag.length() > end - start) {
                return false;
            }
            if (list.startsWith(tag, start)) {
                start += tag.length();
                while (start < end && (list.charAt(start) == ' ' || list.charAt(start) == '\t')) {
                    start++;
                }
                if (start == end || list.charAt(start) == ',') {
                    return true;
                }
            }
            while (start < end && list.charAt(start) != ',') {
                start++;
            }
            while (start < end && (list.charAt(start) == ' ' || list.charAt(start) == '\t' || list.charAt(start) == ',')) {
                start++;
            }
        }
        return false;
    }
}
