package corral.workers.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's end of every instance's IPC channel: one Unix domain socket in the home's run
 * directory, and the preload that node instances are started with. An instance connects, names
 * its worker id on the first line, and from then on each line is one message. A channel is
 * {@link #open opened} before its process starts and {@link #close closed} when it has exited;
 * a connection naming no open channel is closed at once.
 *
 * <p>One thread ({@code ipc}) accepts and reads every connection through a selector: a thread
 * per connection made the daemon's thread count grow by one per instance (issue 12).
 */
public final class ChannelServer implements AutoCloseable {

    /** The variables the preload reads (and removes from the app's env before the app runs). */
    public static final String SOCKET_VAR = "CORRAL_IPC_SOCKET";
    public static final String ID_VAR = "CORRAL_IPC_ID";
    private static final String SHIM = "corral-ipc.cjs";
    private static final System.Logger LOG = System.getLogger("corral.ipc");

    private final Path socketPath;
    private final Path shim;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8192);

    private ChannelServer(Path socketPath, Path shim, ServerSocketChannel server, Selector selector) {
        this.socketPath = socketPath;
        this.shim = shim;
        this.server = server;
        this.selector = selector;
    }

    /**
     * Binds {@code run/ipc.sock} in {@code runDir} (replacing what a dead daemon left) and writes
     * the preload beside it.
     */
    public static ChannelServer start(Path runDir) throws IOException {
        Path socketPath = runDir.resolve("ipc.sock");
        Path shim = runDir.resolve(SHIM);
        try (InputStream in = ChannelServer.class.getResourceAsStream(SHIM)) {
            Files.copy(in, shim, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(socketPath);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        ChannelServer channels = new ChannelServer(socketPath, shim, server, selector);
        Thread loop = new Thread(channels::run, "ipc");
        loop.setDaemon(true);
        loop.start();
        return channels;
    }

    /** The channel of worker {@code id}, ready for its process to connect; {@code label} names it in logs. */
    public Channel open(long id, String label) {
        Channel channel = new Channel(id, label);
        channels.put(id, channel);
        return channel;
    }

    /** Forgets the channel once its process has exited. */
    public void close(Channel channel) {
        channels.remove(channel.id(), channel);
        channel.detached();
    }

    /**
     * What a node instance is started with to get its channel: the arguments that go right after
     * {@code node}, and the variables of its environment.
     */
    public List<String> nodeArgs() {
        return List.of("--require", shim.toString());
    }

    public Map<String, String> env(Channel channel) {
        return Map.of(SOCKET_VAR, socketPath.toString(), ID_VAR, Long.toString(channel.id()));
    }

    private void run() {
        try {
            while (server.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isAcceptable()) {
                        accept();
                    } else if (key.isValid() && key.isReadable()) {
                        read(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (server.isOpen()) {
                LOG.log(System.Logger.Level.ERROR, "IPC socket " + socketPath + ": " + e.getMessage());
            }
        } catch (ClosedSelectorException e) {
            // close(): the daemon is stopping.
        }
    }

    private void accept() throws IOException {
        SocketChannel connection = server.accept();
        if (connection != null) {
            connection.configureBlocking(false);
            connection.register(selector, SelectionKey.OP_READ, new Connection(connection));
        }
    }

    /** Reads what a connection has, handing each whole line on; its end detaches its channel. */
    private void read(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        boolean open;
        try {
            readBuffer.clear();
            int n = connection.socket.read(readBuffer);
            open = n >= 0;
            if (n > 0) {
                readBuffer.flip();
                open = connection.lines.take(readBuffer, line -> serve(connection, line));
            }
        } catch (IOException e) {
            open = false; // The instance went away mid-line: as for an ended connection.
        }
        if (!open) {
            key.cancel();
            connection.close();
        }
    }

    /** The hello line names the channel; every later line is one message. False to close. */
    private boolean serve(Connection connection, String line) {
        if (connection.channel == null) {
            connection.channel = hello(line).orElse(null);
            if (connection.channel == null) {
                return false;
            }
            connection.channel.attach(connection.socket);
        } else if (!line.isEmpty()) {
            connection.channel.received(line);
        }
        return true;
    }

    /** One instance's connection: its socket, the channel it named, its partial line. */
    private static final class Connection {
        final SocketChannel socket;
        final Lines lines = new Lines();
        Channel channel;

        Connection(SocketChannel socket) {
            this.socket = socket;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a Unix socket whose peer is gone: nothing to do.
            }
            if (channel != null) {
                channel.detached();
            }
        }
    }

    private Optional<Channel> hello(String line) {
        try {
            JsonNode hello = line == null ? null : Channel.JSON.readTree(line);
            if (hello != null && "hello".equals(hello.path("corral").asText())) {
                return Optional.ofNullable(channels.get(hello.path("id").asLong(-1)));
            }
        } catch (IOException e) {
            // Not one of ours: closed below.
        }
        LOG.log(System.Logger.Level.WARNING, "IPC connection that names no worker closed");
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            server.close();
            selector.close();
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + socketPath + ": " + e.getMessage());
        }
    }
}
