package corral.proxy.accesslog;

/**
 * The counters nginx's {@code stub_status} shows, and its exact text (nginx 1.22 checked: trailing
 * spaces after each number line, {@code \n} line ends, {@code Content-Type: text/plain}).
 *
 * @param active   open client connections, including the one asking
 * @param accepts  client connections accepted since start
 * @param handled  of those, the ones handled (differs from accepts only when a limit refused some)
 * @param requests client requests since start
 * @param reading  connections reading a request header
 * @param writing  connections with a request in progress (the asking one included)
 * @param waiting  idle keep-alive connections
 */
public record StubStatus(long active, long accepts, long handled, long requests,
                         long reading, long writing, long waiting) {

    /** The content type nginx sends with the page. */
    public static final String CONTENT_TYPE = "text/plain";

    /**
     * The page, e.g. {@code "Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0
     * Writing: 1 Waiting: 0 \n"}.
     *
     * @return the body nginx would send
     */
    public String text() {
        return "Active connections: " + active + " \n"
                + "server accepts handled requests\n"
                + " " + accepts + " " + handled + " " + requests + " \n"
                + "Reading: " + reading + " Writing: " + writing + " Waiting: " + waiting + " \n";
    }
}
