package corral.workers.supervisor;

import java.util.Collection;

/** A command named an app this supervisor does not have. */
public final class UnknownAppException extends RuntimeException {

    public UnknownAppException(String name, Collection<String> known) {
        super("no app named '" + name + "' (apps: " + String.join(", ", known) + ")", null, false, false);
    }
}
