package corral.proxy.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StubStatusTest {

    /** The body nginx 1.22.1 sent (Content-Length: 97) for its first request on a fresh start. */
    @Test
    void textIsNginxsByteForByte() {
        String nginx = "Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n";
        String text = new StubStatus(1, 1, 1, 1, 0, 1, 0).text();
        assertEquals(nginx, text);
        assertEquals(97, text.length());
        assertEquals("text/plain", StubStatus.CONTENT_TYPE);
    }
}
