package corral.proxy.rules;

import java.util.List;

/**
 * The head of an answer as {@link ResponseEdits} sees it, whatever server writes it: the
 * status, and the header lines by name (any case), in order.
 */
public interface ResponseHead {

    int status();

    /** The values of the lines named {@code name}, in order; empty when there is none. */
    List<String> values(String name);

    /** Replaces the lines named {@code name} by {@code values} (none: removes them). */
    void set(String name, List<String> values);

    /** Adds a line {@code name: value} after the others. */
    void add(String name, String value);

    /** Replaces the status (an {@code error_page}'s, for a proxied error page). */
    void status(int status);
}
