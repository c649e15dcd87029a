package corral.proxy.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one configuration file into tokens the way nginx's {@code ngx_conf_read_token} does,
 * so that a file means the same to Corral as to nginx: words end at blanks, {@code ;} or
 * {@code {} (but {@code ${} stays inside a word, for {@code ${var}}); {@code #} starts a comment
 * only where a word could start; quotes and backslashes escape; after a closing quote only a
 * blank, {@code ;}, {@code {} or {@code )} may follow (the {@code )} then starts the next word,
 * so that {@code if ($a = "x")} ends with a word ")" as in nginx).
 */
final class ConfigLexer {

    enum Kind { WORD, SEMICOLON, OPEN, CLOSE, END }

    /** A token and the line it starts on. */
    record Token(Kind kind, String text, int line) {
    }

    /** The file is not well-formed; it cannot be read any further. */
    static final class SyntaxError extends Exception {

        private static final long serialVersionUID = 1L;

        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    private ConfigLexer(String text) {
        this.text = text;
    }

    /** All tokens of {@code text}, ending with one {@link Kind#END}. */
    static List<Token> tokenize(String text) throws SyntaxError {
        ConfigLexer lexer = new ConfigLexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private Token next() throws SyntaxError {
        skipBlanksAndComments();
        if (pos == text.length()) {
            return new Token(Kind.END, "", line);
        }
        char c = text.charAt(pos);
        switch (c) {
            case ';':
                pos++;
                return new Token(Kind.SEMICOLON, ";", line);
            case '{':
                pos++;
                return new Token(Kind.OPEN, "{", line);
            case '}':
                pos++;
                return new Token(Kind.CLOSE, "}", line);
            case '"':
            case '\'':
                return quotedWord(c);
            default:
                return plainWord();
        }
    }

    private void skipBlanksAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (isBlank(c)) {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else {
                return;
            }
        }
    }

    private Token quotedWord(char quote) throws SyntaxError {
        int startLine = line;
        int start = ++pos;
        while (pos < text.length() && text.charAt(pos) != quote) {
            pos += advanceOne();
        }
        if (pos == text.length()) {
            throw new SyntaxError(startLine, "unexpected end of file, the " + quote
                    + " that starts on this line is never closed");
        }
        String word = unescape(text.substring(start, pos));
        pos++;
        if (pos < text.length()) {
            char after = text.charAt(pos);
            if (!isBlank(after) && after != ';' && after != '{' && after != ')') {
                throw new SyntaxError(line, "unexpected \"" + after + "\" after the closing "
                        + quote + " (a blank, \";\", \"{\" or \")\" must follow it)");
            }
        }
        return new Token(Kind.WORD, word, startLine);
    }

    private Token plainWord() {
        int startLine = line;
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isBlank(c) || c == ';' || (c == '{' && !afterDollar())) {
                break;
            }
            pos += advanceOne();
        }
        return new Token(Kind.WORD, unescape(text.substring(start, pos)), startLine);
    }

    /** {@code ${} is the start of a variable name, not of a block. */
    private boolean afterDollar() {
        return pos > 0 && text.charAt(pos - 1) == '$';
    }

    /** Steps over one char, or over a backslash and the char it escapes; counts lines. */
    private int advanceOne() {
        int step = text.charAt(pos) == '\\' && pos + 1 < text.length() ? 2 : 1;
        for (int i = pos; i < pos + step; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return step;
    }

    /** nginx keeps a backslash unless it escapes a quote, a backslash, or is \t, \r or \n. */
    static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(i + 1);
                switch (n) {
                    case '"', '\'', '\\' -> { out.append(n); i++; continue; }
                    case 't' -> { out.append('\t'); i++; continue; }
                    case 'r' -> { out.append('\r'); i++; continue; }
                    case 'n' -> { out.append('\n'); i++; continue; }
                    default -> { }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
