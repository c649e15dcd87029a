package corral.proxy.rules;

import java.util.List;

/**
 * {@code error_page}, {@code recursive_error_pages} and {@code proxy_intercept_errors} of a
 * level, inherited as nginx 1.22 merges them: a level with any {@code error_page} replaces all of
 * its parent's; the two flags are inherited each on its own (both off by default).
 *
 * @param pages     the level's pages in file order; null when it has none (its parent's apply)
 * @param recursive {@code recursive_error_pages}; null when not set here
 * @param intercept {@code proxy_intercept_errors}; null when not set here
 */
record ErrorPageRules(List<Page> pages, Boolean recursive, Boolean intercept) {

    static final ErrorPageRules UNSET = new ErrorPageRules(null, null, null);

    /**
     * One status of an {@code error_page}.
     *
     * @param status    the answer's status it takes (300..599)
     * @param overwrite the status of {@code =CODE}; 0 for a bare {@code =} (the target's answer
     *                  keeps its own); -1 when there is no {@code =} (the answer keeps {@code status})
     * @param target    a URI (with "?" args), {@code @name}, or anything else: a redirect
     */
    record Page(int status, int overwrite, Template target) {
    }

    ErrorPageRules {
        pages = pages == null ? null : List.copyOf(pages);
    }

    ErrorPageRules under(ErrorPageRules inner) {
        return new ErrorPageRules(inner.pages != null ? inner.pages : pages,
                inner.recursive != null ? inner.recursive : recursive,
                inner.intercept != null ? inner.intercept : intercept);
    }

    /** Whether the level has error pages at all (nginx's {@code clcf->error_pages}). */
    boolean any() {
        return pages != null && !pages.isEmpty();
    }

    /** The first page for {@code status}, as nginx looks them up; null when none. */
    Page find(int status) {
        if (pages != null) {
            for (Page p : pages) {
                if (p.status() == status) {
                    return p;
                }
            }
        }
        return null;
    }

    boolean recursiveOn() {
        return Boolean.TRUE.equals(recursive);
    }

    boolean interceptOn() {
        return Boolean.TRUE.equals(intercept);
    }
}
