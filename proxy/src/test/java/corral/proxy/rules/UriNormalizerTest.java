package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a request target becomes the URI that locations match. */
class UriNormalizerTest {

    private static String uri(String raw) {
        return UriNormalizer.parse(raw).uri();
    }

    @Test
    void plainPathIsUnchanged() {
        assertEquals("/a/b.c", uri("/a/b.c"));
        assertFalse(UriNormalizer.parse("/a").quotedUri());
    }

    @Test
    void escapesAreDecodedAndRemembered() {
        assertEquals("/a b/\u00e4", uri("/a%20b/%C3%A4".replace("%C3%A4", "%E4")));
        assertTrue(UriNormalizer.parse("/a%20b").quotedUri());
    }

    @Test
    void slashesAreMergedAndDotSegmentsResolved() {
        assertEquals("/a/b", uri("//a///b"));
        assertEquals("/a/b", uri("/a/./b"));
        assertEquals("/b", uri("/a/../b"));
        assertEquals("/a/", uri("/a/b/.."));
        assertEquals("/a/", uri("/a/."));
        assertEquals("/", uri("/a/%2e%2E"));
        assertEquals("/b", uri("/a/..%2fb"));
    }

    @Test
    void dotsInsideANameStay() {
        assertEquals("/a./..b/...", uri("/a./..b/..."));
    }

    @Test
    void escapedPercentHashAndQuestionMarkAreOrdinaryBytes() {
        assertEquals("/a%b#c?d", uri("/a%25b%23c%3Fd"));
        assertEquals("/x/%2e", uri("/x/%252e"));
    }

    @Test
    void queryAndFragmentAreCutOff() {
        UriNormalizer.Target t = UriNormalizer.parse("/a/./b?x=%20&y#frag");
        assertEquals("/a/b", t.uri());
        assertEquals("x=%20&y", t.args());
        assertEquals("/a/./b?x=%20&y#frag", t.unparsed());
        assertEquals("/a", uri("/a#b?c"));
        assertEquals("/a/", uri("/a/.?x"));
    }

    @Test
    void plusInThePathIsRemembered() {
        assertTrue(UriNormalizer.parse("/a+b").plusInUri());
        assertTrue(UriNormalizer.parse("/a%2Bb").plusInUri());
        assertFalse(UriNormalizer.parse("/a?b+c").plusInUri());
    }

    @Test
    void invalidTargetsAreBadRequests() {
        for (String raw : new String[] {"/..", "/../a", "/a/../..", "/%2e%2e/", "/a%zz", "/a%",
                "/a%4", "/a%00b", "", "a/b", "/a\u0001", "/a b", "http:/x", "http://a_b/"}) {
            assertNull(UriNormalizer.parse(raw), raw);
        }
    }

    @Test
    void absoluteFormGivesItsHostAndPath() {
        UriNormalizer.Target t = UriNormalizer.parse("http://Example.test:81/a/../b?c");
        assertEquals("Example.test", t.host());
        assertEquals("/b", t.uri());
        assertEquals("/a/../b?c", t.unparsed());
        UriNormalizer.Target noPath = UriNormalizer.parse("http://example.test?x=1");
        assertEquals("/", noPath.uri());
        assertEquals("x=1", noPath.args());
        assertFalse(noPath.validUnparsed());
    }
}
