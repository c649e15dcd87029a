package corral.proxy.rules;

/** The forms a {@code server_name} may take, checked as nginx checks them. */
final class ServerNames {

    private ServerNames() {
    }

    /** Why nginx (or Corral) refuses the name, or null when it is fine. */
    static String problem(String name) {
        if (name.startsWith("~")) {
            return name.length() == 1 ? "empty regex in server name \"~\"" : null;
        }
        if (name.equalsIgnoreCase("$hostname")) {
            return "server_name $hostname is not supported by Corral; write the name";
        }
        boolean head = name.startsWith("*.") && name.length() >= 3;
        boolean tail = name.endsWith(".*") && name.length() >= 3;
        String rest = head ? name.substring(1) : tail ? name.substring(0, name.length() - 1) : name;
        if (rest.contains("*") || name.equals(".") || (head && tail)) {
            return "server name \"" + name + "\" is invalid (a wildcard is \"*.example.com\","
                    + " \".example.com\" or \"www.example.*\")";
        }
        return null;
    }

    /** nginx matches a regex name without case when it holds an upper-case letter. */
    static boolean caseless(String pcre) {
        return pcre.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
    }
}
