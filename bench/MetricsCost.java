import com.codahale.metrics.*;
import corral.proxy.metrics.RecorderReservoir;
import java.lang.management.ManagementFactory;
import java.util.concurrent.*;

/**
 * bench/MetricsCost.java: the per-request cost of the daemon's Dropwizard metrics path alone (issue
 * 12), measured from inside: thread CPU time and bytes allocated per request (ThreadMXBean), with
 * N threads recording at once as the IO threads do. "old" is what ListenerMetrics and
 * ForwardMetrics did until the RecorderReservoir change (two timers with Dropwizard's default
 * locking exponentially-decaying reservoir, a Timer.Context and a capturing completion lambda per
 * request, a status-class meter); "new" is what they do now (two timers on a RecorderReservoir,
 * no per-request object, the same meter). Rounds 0-1 are warm-up.
 *
 *   mvn -o -q -DskipTests -pl proxy -am package
 *   java -cp "proxy/target/corral-proxy.jar:proxy/target/lib/*" bench/MetricsCost.java [threads] [ops per thread]
 */
public class MetricsCost {
    interface Completion { void done(long t); }
    static volatile Object sink;

    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a.length > 0 ? a[0] : "2");
        long ops = Long.parseLong(a.length > 1 ? a[1] : "3000000");
        for (int round = 0; round < 5; round++) {
            for (String kind : new String[] {"old", "new"}) {
                MetricRegistry r = new MetricRegistry();
                Timer listener = kind.equals("old") ? r.timer("l") : RecorderReservoir.timer(r, "l");
                Timer pool = kind.equals("old") ? r.timer("p") : RecorderReservoir.timer(r, "p");
                Meter cls = r.meter("c");
                Runnable op = kind.equals("old") ? () -> {
                    Timer.Context ctx = listener.time();
                    long start = System.nanoTime();
                    Completion c = t -> { ctx.stop(); cls.mark(); };   // the capturing lambda per request
                    sink = c;
                    pool.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    c.done(0);
                } : () -> {
                    long start = System.nanoTime();
                    pool.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    listener.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    cls.mark();
                };
                double[] res = run(op, threads, ops);
                if (round >= 2) System.out.printf("round %d %s threads=%d: %.0f ns CPU/op, %.1f B/op%n", round, kind, threads, res[0], res[1]);
            }
        }
    }

    static double[] run(Runnable op, int threads, long ops) throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        var futures = new java.util.ArrayList<Future<long[]>>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long id = Thread.currentThread().getId();
                long cpu0 = mx.getCurrentThreadCpuTime(), b0 = mx.getThreadAllocatedBytes(id);
                for (long i = 0; i < ops; i++) op.run();
                return new long[] {mx.getCurrentThreadCpuTime() - cpu0, mx.getThreadAllocatedBytes(id) - b0};
            }));
        }
        long cpu = 0, bytes = 0;
        for (var f : futures) { long[] v = f.get(); cpu += v[0]; bytes += v[1]; }
        pool.shutdown();
        return new double[] {(double) cpu / (ops * threads), (double) bytes / (ops * threads)};
    }
}
