package corral.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.SampleApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Chinese document renders its English one section for section: when an English document
 * gains a section, this fails naming it until the Chinese counterpart has it too.
 */
class TranslatedDocsTest {
    private static final Path ROOT = SampleApp.repoRoot();

    @ParameterizedTest(name = "{1} renders {0}")
    @CsvSource({
        "README.md, README.zh-CN.md",
        "docs/operations.md, docs/zh/operations.md",
    })
    void chineseDocumentHasEverySectionOfTheEnglishOne(String english, String chinese) throws IOException {
        String mismatch = Outline.read(ROOT, english).mismatchIn(Outline.read(ROOT, chinese));
        if (mismatch != null) {
            fail(mismatch);
        }
    }

    @Test
    void chineseReadmeStartsWithTheSameTwoCommandsAndTheEnglishOneLinksIt() throws IOException {
        List<String> english = Files.readAllLines(ROOT.resolve("README.md"));
        List<String> chinese = Files.readAllLines(ROOT.resolve("README.zh-CN.md"));
        assertEquals(english.get(2).strip().split("\\s+#")[0], chinese.get(2).strip().split("\\s+#")[0]);
        assertEquals(english.get(3).strip().split("\\s+#")[0], chinese.get(3).strip().split("\\s+#")[0]);
        assertTrue(english.stream().limit(12).anyMatch(line -> line.contains("(README.zh-CN.md)")),
            "README.md links README.zh-CN.md near its top");
        assertTrue(Files.isRegularFile(ROOT.resolve("docs/zh/migration.md")), "docs/zh/migration.md");
    }
}
