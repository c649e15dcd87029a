package corral.proxy.gzip;

import java.util.Locale;

/**
 * Whether an Accept-Encoding value lets nginx gzip: ngx_http_gzip_accept_encoding and
 * ngx_http_gzip_quantity of nginx 1.22, byte for byte. Only the first "gzip" (any case) counts;
 * it must start the value or follow "," or " ", and be followed by ",", ";q=..." or the end;
 * "q=0" (or anything nginx cannot read as a quantity) refuses. "x-gzip" is not gzip.
 */
final class AcceptEncoding {

    private AcceptEncoding() {
    }

    static boolean acceptsGzip(String value) {
        if (value == null || value.length() < 4) {
            return false;
        }
        if (value.startsWith("gzip,")) {
            return true;
        }
        int p = value.toLowerCase(Locale.ROOT).indexOf("gzip");
        if (p < 0 || p > 0 && value.charAt(p - 1) != ',' && value.charAt(p - 1) != ' ') {
            return false;
        }
        p += 4;
        int last = value.length();
        while (p < last) {
            char c = value.charAt(p++);
            if (c == ',') {
                return true;
            }
            if (c == ';') {
                return quantity(value, p);
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean quantity(String v, int p) {
        int last = v.length();
        while (p < last) {
            char c = v.charAt(p++);
            if (c == 'q' || c == 'Q') {
                if (p + 2 > last || v.charAt(p++) != '=') {
                    return false;
                }
                return q(v, p) != 0;
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** nginx's quantity: 0 also for anything it cannot read (its q is not a thousandth scale). */
    private static int q(String v, int p) {
        int last = v.length();
        char c = v.charAt(p++);
        if (c != '0' && c != '1') {
            return 0;
        }
        int q = (c - '0') * 100;
        if (p == last) {
            return q;
        }
        c = v.charAt(p++);
        if (c == ',' || c == ' ') {
            return q;
        }
        if (c != '.') {
            return 0;
        }
        int n = 0;
        while (p < last) {
            c = v.charAt(p++);
            if (c == ',' || c == ' ') {
                break;
            }
            if (c >= '0' && c <= '9') {
                q += c - '0';
                n++;
                continue;
            }
            return 0;
        }
        return q > 100 || n > 3 ? 0 : q;
    }

    /** nginx's "msie6" (ngx_http_process_user_agent): MSIE 4.x, 5.x, and 6.x without SV1. */
    static boolean msie6(String userAgent) {
        int msie = userAgent.indexOf("MSIE ");
        if (msie < 0 || msie + 7 >= userAgent.length() || userAgent.charAt(msie + 6) != '.') {
            return false;
        }
        char major = userAgent.charAt(msie + 5);
        return major == '4' || major == '5'
                || major == '6' && !userAgent.substring(msie + 8).contains("SV1");
    }
}
