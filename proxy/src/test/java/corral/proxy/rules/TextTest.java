package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import corral.proxy.rules.ConfigLexer.Kind;
import corral.proxy.rules.ConfigLexer.Token;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** The small text rules: tokens, escaping, host headers, PCRE translation. */
class TextTest {

    private static List<String> words(String text) throws Exception {
        return ConfigLexer.tokenize(text).stream().map(Token::text).toList();
    }

    @Test
    void lexerSplitsLikeNginx() throws Exception {
        assertEquals(List.of("a", "b c", "d\"e", "x${y}", "{", "}", ";", ""),
                words("a 'b c' \"d\\\"e\" x${y}{ } ;"));
        assertEquals(List.of("x#y", ";", ""), words("# comment\nx#y; # tail"));
        assertEquals(List.of("^/a\\.b", "\t", ";", ""), words("^/a\\.b \"\\t\";"));
        assertEquals(Kind.END, ConfigLexer.tokenize("").get(0).kind());
    }

    @Test
    void lexerRefusesAWordGluedToAClosingQuote() {
        assertThrows(ConfigLexer.SyntaxError.class, () -> ConfigLexer.tokenize("\"a\"b;"));
    }

    @Test
    void escapingUsesNginxTables() {
        assertEquals("/a%20b%3F%23%25/%E4;&+", UriEscaper.escapePath("/a b?#%/\u00e4;&+"));
        assertEquals("a%26b=c%2B%3B", UriEscaper.escapeArgs("a&b=c+;"));
    }

    @Test
    void redirectUnescapingDecodesPrintableBytesUpToTheQuery() {
        assertEquals("/a b%20/~?x=%41", UriEscaper.unescapeRedirect("/a b%20/%7e?x=%41"));
        assertEquals("/x?rest%41", UriEscaper.unescapeRedirect("/x%3frest%41"));
        assertEquals("/zz/", UriEscaper.unescapeRedirect("/%zz/%2q"));
    }

    @Test
    void hostHeaderIsCutAndChecked() {
        assertEquals("example.test", HostHeader.validate("Example.TEST.:8080"));
        assertEquals("[::1]", HostHeader.validate("[::1]:80"));
        assertNull(HostHeader.validate("a..b"));
        assertNull(HostHeader.validate(""));
        assertNull(HostHeader.validate("a/b"));
    }

    @Test
    void pcreSpellingsAreTranslated() {
        NginxRegex r = NginxRegex.compile("^/(?P<first_name>[[:alpha:]]+)/(?'n'\\d{2,})/[[]x{$",
                false);
        String[] groups = r.exec("/abc/123/[x{");
        assertArrayEquals(new String[] {"/abc/123/[x{", "abc", "123"}, groups);
        assertEquals(1, r.names().get("first_name"));
        assertEquals(2, r.names().get("n"));
        assertNull(r.exec("/abc/1/[x{"));
    }

    @Test
    void dotMatchesEveryByteButNewline() {
        assertArrayEquals(new String[] {"a\u0085b"}, NginxRegex.compile("a.b", false).exec("a\u0085b"));
        assertNull(NginxRegex.compile("a.b", false).exec("a\nb"));
    }

    @Test
    void caselessFoldsOnlyAscii() {
        assertArrayEquals(new String[] {"ABC"}, NginxRegex.compile("abc", true).exec("ABC"));
        assertNull(NginxRegex.compile("\u00e4", true).exec("\u00c4"));
    }

    @Test
    void invalidPatternsThrowWithAReason() {
        assertThrows(PatternSyntaxException.class, () -> NginxRegex.compile("(a", false));
        assertThrows(PatternSyntaxException.class, () -> NginxRegex.compile("(?P>x)", false));
    }
}
