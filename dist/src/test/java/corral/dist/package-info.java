/**
 * Tests of the release package as an operator uses it: the tarball unpacked in a temporary
 * directory (its own {@code CORRAL_HOME}), run with a {@code PATH} that has no Maven, driven by
 * {@code bin/control}, by signals as systemd sends them, and by the real {@code logrotate}.
 */
package corral.dist;
