package corral.workers.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code run/workers.json} equal to the set of worker processes this daemon has, written
 * atomically (temp file, then rename) on one writer thread after every pool change, so a reader
 * never sees half a file.
 */
public final class WorkerRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("corral.registry");

    private final Path file;
    private final Map<String, List<RegistryEntry>> byApp = new TreeMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "registry-writer");
        t.setDaemon(true);
        return t;
    });

    public WorkerRegistry(Path file) {
        this.file = file;
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
        } catch (java.util.concurrent.RejectedExecutionException closing) {
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

    private void write() {
        List<RegistryEntry> all = new ArrayList<>();
        byApp.values().forEach(all::addAll);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write worker registry " + file + ": " + e.getMessage());
        }
    }

    /** Waits for pending writes. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
