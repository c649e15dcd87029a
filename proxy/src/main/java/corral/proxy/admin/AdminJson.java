package corral.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapper of the admin protocol, shared by the daemon's side (responses, the
 * endpoint file) and the control client's side (status table, error bodies). Thread-safe once built.
 */
public final class AdminJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }
}
