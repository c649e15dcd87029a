package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CPU lists as taskset -c and Cpus_allowed_list write them. */
class CpuSetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0-13        | 0-13",
            "14-23       | 14-23",
            "0,2,4-7     | 0,2,4-7",
            "3,1,2       | 1-3",
            "0-3, 2-5    | 0-5",
            "7           | 7",
    })
    void aListIsReadAndWrittenInTheCanonicalForm(String text, String canonical) {
        assertEquals(canonical, CpuSet.parse(text).toString());
        assertEquals(CpuSet.parse(canonical), CpuSet.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\" {1}")
    @CsvSource(delimiter = '|', value = {
            "''      | is empty",
            "0-      | is not a CPU list",
            "a       | is not a CPU list",
            "1,,2    | is not a CPU list",
            "0-3:2   | is not a CPU list",
            "5-2     | has a range that runs backwards (5-2)",
            "0-9000  | names CPU 9000",
    })
    void aBadListSaysWhatIsWrong(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(text));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void setArithmeticForTheMachinesCpus() {
        CpuSet machine = CpuSet.firstN(2);
        CpuSet wanted = CpuSet.parse("0-13");
        assertEquals("0-1", machine.toString());
        assertEquals("2-13", wanted.minus(machine).toString());
        assertEquals("0-1", wanted.intersect(machine).toString());
        assertTrue(CpuSet.parse("14-23").intersect(machine).isEmpty());
        assertEquals(14, wanted.size());
        assertEquals(List.of(0, 2, 3), CpuSet.parse("0,2-3").cpus());
        assertTrue(machine.contains(1));
        assertFalse(machine.contains(2));
    }
}
