/** The one place that hands out loopback ports to worker instances. */
package corral.workers.ports;
