package corral.workers.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();

    private ChannelServer(Path socketPath, Path shim, ServerSocketChannel server) {
        this.socketPath = socketPath;
        this.shim = shim;
        this.server = server;
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
        ChannelServer channels = new ChannelServer(socketPath, shim, server);
        Thread acceptor = new Thread(channels::accept, "ipc-accept");
        acceptor.setDaemon(true);
        acceptor.start();
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

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                Thread reader = new Thread(() -> serve(connection), "ipc-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(System.Logger.Level.ERROR, "IPC socket " + socketPath + ": " + e.getMessage());
                }
                return;
            }
        }
    }

    /** Reads one connection to its end: the hello line, then messages. */
    private void serve(SocketChannel connection) {
        Optional<Channel> channel = Optional.empty();
        try (connection; BufferedReader in = new BufferedReader(new InputStreamReader(
                Channels.newInputStream(connection), StandardCharsets.UTF_8))) {
            channel = hello(in.readLine());
            if (channel.isEmpty()) {
                return;
            }
            channel.get().attach(connection);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    channel.get().received(line);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The instance went away mid-line: as for an ended connection.
        } finally {
            channel.ifPresent(Channel::detached);
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
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + socketPath + ": " + e.getMessage());
        }
    }
}
