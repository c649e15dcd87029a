package corral.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The outline comparison names the section a translation lacks, and ignores what is no heading. */
class OutlineTest {
    private static final String ENGLISH = String.join("\n",
        "# Operating Corral",
        "## Commands",
        "    # an indented comment is code",
        "```",
        "# a fenced comment is code",
        "```",
        "## Releasing with Corral (the seed's plan)",
        "### Step 1: replace PM2, keep nginx",
        "### Rollback",
        "## Logs",
        "");

    @Test
    void readsHeadingsOutsideCodeWithTheirGithubAnchors() {
        Outline outline = Outline.parse("en.md", ENGLISH);
        assertEquals(List.of(1, 2, 2, 3, 3, 2), outline.headings().stream().map(Heading::level).toList());
        assertEquals(List.of("operating-corral", "commands", "releasing-with-corral-the-seeds-plan",
            "step-1-replace-pm2-keep-nginx", "rollback", "logs"), outline.slugs());
    }

    @Test
    void aTranslationWithTheSameLevelsInOrderMatches() {
        Outline chinese = Outline.parse("zh.md", String.join("\n",
            "# 运维 Corral", "## 命令", "## 用 Corral 上线", "### 第一步", "### 回滚 <a id=\"rollback\"></a>", "## 日志"));
        assertNull(Outline.parse("en.md", ENGLISH).mismatchIn(chinese));
    }

    @Test
    void aMissingSubsectionIsNamedWithWhereItGoes() {
        Outline chinese = Outline.parse("zh.md", String.join("\n",
            "# 运维 Corral", "## 命令", "## 用 Corral 上线", "### 第一步", "## 日志"));
        String mismatch = Outline.parse("en.md", ENGLISH).mismatchIn(chinese);
        assertTrue(mismatch.startsWith("zh.md lacks a counterpart of en.md \"### Rollback\" (line 9): translate that section"),
            mismatch);
        assertTrue(mismatch.contains("after \"### 第一步\" (line 4) of zh.md"), mismatch);
    }

    @Test
    void anAnchorPinsASectionThatLevelsAloneCannotTellApart() {
        // Rollback missing, Step 1 present: levels alone would match "### 第一步" to Step 1 and then
        // miss nothing until "## Logs"; the anchor on the next heading shows where the gap is.
        Outline chinese = Outline.parse("zh.md", String.join("\n",
            "# 运维 Corral", "## 命令", "## 用 Corral 上线", "### 回滚 <a id=\"rollback\"></a>", "## 日志"));
        String mismatch = Outline.parse("en.md", ENGLISH).mismatchIn(chinese);
        assertTrue(mismatch.contains("lacks a counterpart of en.md \"### Step 1: replace PM2, keep nginx\" (line 8)"), mismatch);
        assertTrue(mismatch.contains("anchored as \"rollback\" instead of \"step-1-replace-pm2-keep-nginx\""), mismatch);
    }

    @Test
    void aSectionTheEnglishNoLongerHasIsNamed() {
        Outline chinese = Outline.parse("zh.md", String.join("\n",
            "# 运维 Corral", "## 命令", "## 用 Corral 上线", "### 第一步", "### 回滚", "## 日志", "## 旧的一节"));
        String mismatch = Outline.parse("en.md", ENGLISH).mismatchIn(chinese);
        assertTrue(mismatch.startsWith("zh.md has a heading \"## 旧的一节\" (line 7) that en.md does not have"), mismatch);
    }
}
