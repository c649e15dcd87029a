package corral.proxy.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void variablesAreNamedPlainOrBracedAndLiteralTextIsNeverEscaped() {
        LogFormat f = LogFormat.parse("f", LogEscape.DEFAULT, "\"$Status\"|${http_x}y|$nope|\\");
        Map<String, String> values = Map.of("status", "200", "http_x", "a\"b");
        assertEquals("\"200\"|a\\x22by|-|\\", f.render(values::get));
    }

    @Test
    void aDollarWithoutANameOrAnUnclosedBraceIsRefusedAsNginxSays() {
        assertEquals("invalid parameter \"$ x\"",
                assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("f", LogEscape.DEFAULT, "a $ x"))
                        .getMessage());
        assertEquals("the closing bracket in \"abc\" variable is missing",
                assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("f", LogEscape.DEFAULT, "${abc"))
                        .getMessage());
    }

    @Test
    void aConditionSkipsTheLineWhenEmptyOrZero() {
        AccessLogTarget t = new AccessLogTarget(java.nio.file.Path.of("/x"), LogFormat.COMBINED, 0,
                AccessLogTarget.UNBUFFERED_FLUSH, LogFormat.parse("if", LogEscape.NONE, "$arg_log"));
        assertEquals(true, t.wanted(Map.of("arg_log", "1")::get));
        assertEquals(false, t.wanted(Map.of("arg_log", "0")::get));
        assertEquals(false, t.wanted(Map.<String, String>of()::get));
    }
}
