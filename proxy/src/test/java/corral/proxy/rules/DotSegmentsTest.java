package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What an app port and the strict front door make of a path: resolved only when it must be. */
class DotSegmentsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/h5/page/x", "/h5/page/a%20b", "/a%2Fb", "/.well-known/x", "/a//b", "/a/...", "/a/.b", "/%252e%252e/x"})
    void aPathWithoutADotSegmentIsSentAsReceived(String path) {
        assertSame(path, DotSegments.resolve(path), path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/h5/page/../page/x, /h5/page/x",
        "/h5/./page/x, /h5/page/x",
        "/h5/page/%2e%2e/page/x, /h5/page/x",
        "/h5/page/x/..%2fy, /h5/page/y",
        "/h5/x/%2E%2E%2Fpage/y, /h5/page/y",
        "/h5/page/x/., /h5/page/x/",
        "/h5/%25/../x%3f, /h5/x%3F"})
    void aDotSegmentIsResolvedAndThePathReEncoded(String path, String expected) {
        assertEquals(expected, DotSegments.resolve(path));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/..", "/h5/../../x", "/%2e%2e/", "/h5/..%2f..%2fx", "/h5/x%00", "/h5/%zz", "/h5/x%2"})
    void aPathAboveTheRootOrWithABadEscapeIsRefused(String path) {
        assertNull(DotSegments.resolve(path), path);
    }
}
