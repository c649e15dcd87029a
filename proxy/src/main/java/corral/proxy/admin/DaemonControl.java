package corral.proxy.admin;

import corral.workers.config.AppSelection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the admin API can ask of the daemon. Each command blocks until done, reports progress
 * lines to {@code progress}, returns a one-line summary, and throws {@link CommandException}
 * (or another exception whose message is the reason) when it fails.
 */
public interface DaemonControl {

    /** Throws a 404 {@link CommandException} naming the apps there are when {@code app} is not one. */
    void checkApp(String app);

    /** The daemon's state as a JSON-ready tree (apps, instances, online flag). */
    Object status();

    /** The daemon's metrics as a JSON-ready tree. */
    Object metrics();

    String start(Optional<String> app, Consumer<String> progress) throws Exception;

    String stop(String app, Consumer<String> progress) throws Exception;

    String restart(String app, Consumer<String> progress) throws Exception;

    String reload(String app, int parallel, Consumer<String> progress) throws Exception;

    String delete(String app, Consumer<String> progress) throws Exception;

    String scale(String app, int instances, Consumer<String> progress) throws Exception;

    /** Re-reads the files and applies the difference; with {@code only} not all, for those apps alone. */
    String reloadConf(AppSelection only, Consumer<String> progress) throws Exception;

    String setOnline(boolean online);

    /** Takes one app's health out of every probe that answers for it, or puts it back. */
    String setAppOnline(String app, boolean online);

    String reopenLogs() throws Exception;

    /** Stops every pool and the daemon itself. */
    String kill(Consumer<String> progress) throws Exception;
}
