package corral.proxy.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The expected lines are what nginx 1.22 wrote for {@code '[$http_x_v][$http_x_none]'} when sent
 * {@code X-V: a"b\c<TAB>d<0x01>e<0x7F>f<0xC3><0x08><0x0C>} (and {@code a<0x1B>b} for json's hex case).
 */
class LogEscapeTest {

    private static final String VALUE = "a\"b\\c\td\u0001e\u007Ff\u00C3\b\f";

    private static String line(LogEscape escape, String value) {
        StringBuilder out = new StringBuilder("[");
        escape.write(out, value);
        out.append("][");
        escape.write(out, null);
        return out.append(']').toString();
    }

    @Test
    void defaultEscapesQuoteBackslashControlAndHighBytesAsUpperHex() {
        assertEquals("[a\\x22b\\x5Cc\\x09d\\x01e\\x7Ff\\xC3\\x08\\x0C][-]", line(LogEscape.DEFAULT, VALUE));
    }

    @Test
    void jsonUsesShortFormsAndUpperHexAndLeavesHighBytes() {
        assertEquals("[a\\\"b\\\\c\\td\\u0001e\u007Ff\u00C3\\b\\f][]", line(LogEscape.JSON, VALUE));
        assertEquals("[a\\u001Bb][]", line(LogEscape.JSON, "a\u001Bb"));
    }

    @Test
    void noneWritesBytesAsTheyAreAndMissingAsNothing() {
        assertEquals("[" + VALUE + "][]", line(LogEscape.NONE, VALUE));
    }

    @Test
    void onlyNginxsThreeNamesAreKnown() {
        assertEquals(LogEscape.JSON, LogEscape.named("json"));
        assertEquals(LogEscape.DEFAULT, LogEscape.named("default"));
        assertEquals(LogEscape.NONE, LogEscape.named("none"));
        assertNull(LogEscape.named("JSON"));
    }
}
