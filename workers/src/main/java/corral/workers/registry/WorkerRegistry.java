package corral.workers.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code run/workers.json} equal to the set of worker processes this daemon has, written
 * atomically (temp file, then rename) on one writer thread after every pool change, so a reader
 * never sees half a file. A write that fails (disk full) leaves the last good file in place and no
 * temp file behind, is said loudly ({@link #failure()}, and a log line when it starts and when it
 * ends) and is retried every {@link #RETRY} until it succeeds: a stale registry would let the next
 * {@code start} after a daemon crash miss live workers, the residual processes the seed warns of.
 * So that a full disk does not make it stale in the first place, a {@link #RESERVE_BYTES} file
 * beside it holds room in reserve: a write that finds no room gives the reserve up and tries
 * again at once, and the reserve is taken back on a later write once there is room.
 */
public final class WorkerRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("corral.registry");

    private final Path file;
    private final Path reserve;
    private final Map<String, List<RegistryEntry>> byApp = new TreeMap<>();
    static final Duration RETRY = Duration.ofSeconds(1);
    /** Room for the registry of a few hundred workers twice over (old file and temp file). */
    static final int RESERVE_BYTES = 256 * 1024;

    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-writer");
        t.setDaemon(true);
        return t;
    });

    private volatile String failure; // null while the file is current
    private boolean retryScheduled; // writer thread only

    public WorkerRegistry(Path file) {
        this.file = file;
        this.reserve = file.resolveSibling(file.getFileName() + ".reserve");
    }

    /** Records the processes of a pool; a pool listener. */
    public void poolChanged(PoolView view) {
        List<RegistryEntry> live = new ArrayList<>();
        for (InstanceView i : view.instances()) {
            if (i.state().hasProcess()) {
                live.add(new RegistryEntry(i.app(), i.index(), i.pid(), i.processStart(), i.port()));
            }
        }
        try {
            writer.execute(() -> {
                byApp.put(view.app(), live);
                write();
            });
        } catch (RejectedExecutionException closing) {
            // The daemon is closing; the registry was written for the last time.
        }
    }

    /** Reads a registry file; a missing or unreadable file is an empty registry. */
    public static List<RegistryEntry> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<List<RegistryEntry>>() { });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read worker registry " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    /** Why the registry file is not current (it could not be written), or empty while it is. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void write() {
        List<RegistryEntry> all = new ArrayList<>();
        byApp.values().forEach(all::addAll);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try {
                replace(tmp, all);
            } catch (IOException noRoom) {
                if (!giveUpReserve()) {
                    throw noRoom;
                }
                LOG.log(System.Logger.Level.WARNING, "no room to write worker registry " + file + " ("
                        + noRoom.getMessage() + "): used the room held in reserve");
                replace(tmp, all);
            }
            keepReserve();
            if (failure != null) {
                LOG.log(System.Logger.Level.WARNING, "worker registry " + file + " is current again");
                failure = null;
            }
        } catch (IOException e) {
            if (failure == null) {
                LOG.log(System.Logger.Level.ERROR, "cannot write worker registry " + file + " (" + e.getMessage()
                        + "); it lists the workers as they were, retrying every " + RETRY.toSeconds() + " s");
            }
            failure = "cannot write " + file + ": " + e.getMessage();
            retryLater();
        }
    }

    private void replace(Path tmp, List<RegistryEntry> all) throws IOException {
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private boolean giveUpReserve() {
        try {
            return Files.deleteIfExists(reserve);
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes sure the reserve exists; without room for it now, a later write tries again. */
    private void keepReserve() {
        try {
            if (!Files.exists(reserve) || Files.size(reserve) < RESERVE_BYTES) {
                Path tmp = reserve.resolveSibling(reserve.getFileName() + ".tmp");
                try {
                    Files.write(tmp, new byte[RESERVE_BYTES]); // real bytes: a sparse file would hold no room
                    Files.move(tmp, reserve, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    deleteQuietly(tmp);
                }
            }
        } catch (IOException noRoomYet) {
            // The registry itself is current; the reserve is taken back on a later write.
        }
    }

    private void retryLater() {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        try {
            writer.schedule(() -> {
                retryScheduled = false;
                if (failure != null) {
                    write();
                }
            }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            retryScheduled = false;
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // Nothing more to do: the next successful write replaces it.
        }
    }

    /** Waits for pending writes. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
