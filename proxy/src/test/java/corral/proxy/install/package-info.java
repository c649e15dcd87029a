/**
 * A Corral installed as an operator installs it, for the tests that drive the packaged daemon
 * through {@code bin/control}: {@link corral.proxy.install.CorralInstall} (a home, a release
 * directory with {@code app.js}, the good configuration on free ports, {@code bin/control} runs,
 * status, logs, and a kill that ends what a failed test started) and
 * {@link corral.proxy.install.PackagedDaemon} (such a class runs only once the jar is packaged).
 * One type for the daemon, bad-input, chaos and fleet tests, so that a change to how a test
 * starts, observes or stops Corral is made once.
 */
package corral.proxy.install;
