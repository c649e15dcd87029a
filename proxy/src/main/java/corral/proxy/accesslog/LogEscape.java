package corral.proxy.accesslog;

/**
 * {@code log_format}'s {@code escape=} parameter: how nginx 1.22 writes a variable's value into a
 * log line (ngx_http_log_module.c and ngx_escape_json in ngx_string.c). Literal text of the format is
 * never escaped; only variable values are.
 */
public enum LogEscape {

    /**
     * {@code escape=default}: {@code "}, {@code \}, bytes below 0x20 and from 0x7F up become
     * {@code \xXX} (upper-case hex). A variable that is not found is written as {@code -}.
     */
    DEFAULT {
        @Override
        void append(StringBuilder out, String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                    out.append("\\x").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                } else {
                    out.append(c);
                }
            }
        }
    },

    /**
     * {@code escape=json}: {@code "} and {@code \} get a backslash, {@code \n \r \t \b \f} their
     * short forms, other bytes below 0x20 backslash, u, 00 and two upper-case hex digits (nginx
     * 1.22 checked); bytes from 0x7F up pass through. A variable that is not found is written as nothing (not {@code -}).
     */
    JSON {
        @Override
        void append(StringBuilder out, String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"', '\\' -> out.append('\\').append(c);
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }

        @Override
        String notFound() {
            return "";
        }
    },

    /**
     * {@code escape=none}: the value as it is. A variable that is not found is written as nothing
     * (nginx 1.22 checked: not {@code -}, unlike the default mode).
     */
    NONE {
        @Override
        void append(StringBuilder out, String value) {
            out.append(value);
        }

        @Override
        String notFound() {
            return "";
        }
    };

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Appends a variable's value, escaped; {@code null} means the variable is not found.
     *
     * @param out   the line being built
     * @param value the value as a byte string, or null
     */
    public void write(StringBuilder out, String value) {
        if (value == null) {
            out.append(notFound());
        } else {
            append(out, value);
        }
    }

    abstract void append(StringBuilder out, String value);

    String notFound() {
        return "-";
    }

    /**
     * The mode an {@code escape=} parameter names.
     *
     * @param name the text after {@code escape=}
     * @return the mode, or null if nginx does not know it ("unknown log format escaping")
     */
    public static LogEscape named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "json" -> JSON;
            case "none" -> NONE;
            default -> null;
        };
    }
}
