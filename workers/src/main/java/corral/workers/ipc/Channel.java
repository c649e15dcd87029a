package corral.workers.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One instance's end of the IPC channel. It exists from before the process starts; the process
 * connects to it (or never does: an app that is not run by node). {@link #saidReady()} turns true
 * once the instance sent {@code 'ready'}, and stays so. Sending is safe from any thread.
 */
public final class Channel {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("corral.ipc");
    private static final int LOGGED_CHARS = 1000;

    private final long id;
    private final String label;
    private volatile SocketChannel socket;
    private volatile boolean saidReady;
    private volatile boolean closed;

    Channel(long id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The worker id the instance names when it connects. */
    public long id() {
        return id;
    }

    /** True once the instance sent {@code process.send('ready')}. */
    public boolean saidReady() {
        return saidReady;
    }

    /** True while the instance is connected. */
    public boolean connected() {
        return socket != null && !closed;
    }

    /**
     * Sends {@code message} as JSON to the instance's {@code process.on('message')}; false when the
     * instance is not connected or the write failed (the caller then falls back, e.g. to a signal).
     */
    public boolean send(Object message) {
        SocketChannel s = socket;
        if (s == null || closed) {
            return false;
        }
        try {
            ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
            synchronized (this) {
                // The socket is non-blocking (the IPC thread selects on it): a full socket buffer
                // would spin here, but messages are a few bytes and the preload reads at once.
                while (line.hasRemaining()) {
                    s.write(line);
                }
            }
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, label + ": cannot send over its IPC channel: " + e.getMessage());
            return false;
        }
    }

    void attach(SocketChannel connection) {
        this.socket = connection;
    }

    /** One message from the instance: {@code 'ready'} marks it; anything else is logged. */
    void received(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, label + ": unreadable IPC message ignored: " + shorten(line));
            return;
        }
        if (message.isTextual() && "ready".equals(message.textValue())) {
            saidReady = true;
            return;
        }
        // PM2 forwards these to its bus (pm2.launchBus); Corral has no bus: they go to corral.log.
        LOG.log(System.Logger.Level.INFO, label + " sent: " + shorten(line));
    }

    void detached() {
        closed = true;
    }

    private static String shorten(String line) {
        return line.length() <= LOGGED_CHARS ? line : line.substring(0, LOGGED_CHARS) + "… (" + line.length() + " chars)";
    }

    @Override
    public String toString() {
        return label;
    }
}
