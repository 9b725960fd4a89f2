package io.ft4j.cli;

import io.ft4j.thread.Affinity;
import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.CpuTopology;
import io.ft4j.thread.ThreadBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Thread control, measured: the CPU topology, workers pinned one per CPU with where each actually ran, and two
 * workers sharing one CPU at nice 0 and nice 19 with the CPU time each got.
 */
@Command(name = "affinity", mixinStandardHelpOptions = true,
        description = "Topology, pinned workers, nice 0 vs nice 19 on one CPU.")
final class AffinityDemo implements Callable<Integer>, Demo {

    @Option(names = {"-s", "--seconds"}, defaultValue = "2", paramLabel = "S",
            description = "how long the nice contest runs (default: ${DEFAULT-VALUE})")
    double seconds;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!(seconds > 0 && seconds <= 60)) {
            throw new ParameterException(spec.commandLine(), "--seconds: " + seconds + " (expected: > 0 and <= 60)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!Affinity.isSupported()) {
            out.println("Thread control needs Linux; this is " + System.getProperty("os.name") + ". Nothing to show.");
            return 0;
        }
        CpuTopology topo = CpuTopology.read();
        out.printf("Topology: %s%n", topo);
        for (CpuTopology.Core core : topo.cores()) {
            out.printf("  package %d die %d core %d: CPUs %s%n", core.packageId(), core.dieId(), core.coreId(),
                    core.threads());
        }
        topo.numaNodes().forEach((node, cpus) -> out.printf("  NUMA node %d: CPUs %s%n", node, cpus));
        out.printf("  one thread per physical core: CPUs %s%n", topo.onePerCore());

        out.printf("%nPinned workers (one per CPU), sampling Affinity.currentCpu() for 200 ms:%n");
        List<ControlledThread> workers = new ArrayList<>();
        List<TreeMap<Integer, Long>> seen = new ArrayList<>();
        for (int cpu : topo.cpus().toArray()) {
            TreeMap<Integer, Long> histogram = new TreeMap<>();
            seen.add(histogram);
            workers.add(new ThreadBuilder().name("pinned-cpu" + cpu).cpus(CpuSet.of(cpu)).start(
                    () -> sample(histogram, TimeUnit.MILLISECONDS.toNanos(200))));
        }
        TreeMap<Integer, Long> free = new TreeMap<>();
        ControlledThread unpinned = new ThreadBuilder().name("unpinned").start(
                () -> sample(free, TimeUnit.MILLISECONDS.toNanos(200)));
        for (ControlledThread w : workers) {
            w.join();
        }
        unpinned.join();
        int i = 0;
        for (int cpu : topo.cpus().toArray()) {
            out.printf("  %-14s ran on %s%n", "pinned to " + cpu + ":", shares(seen.get(i++)));
        }
        out.printf("  %-14s ran on %s%n", "not pinned:", shares(free));

        int shared = topo.cpus().first();
        out.printf(Locale.ROOT, "%nTwo spinning workers on CPU %d for %.1f s, nice 0 and nice 19:%n", shared, seconds);
        long[] counts = new long[2];
        CountDownLatch go = new CountDownLatch(1);
        long duration = (long) (seconds * 1e9);
        int[] nices = {0, 19};
        ControlledThread[] contenders = new ControlledThread[2];
        for (int k = 0; k < 2; k++) {
            int slot = k;
            contenders[k] = new ThreadBuilder().name("nice" + nices[k]).cpus(CpuSet.of(shared)).nice(nices[k])
                    .start(() -> counts[slot] = spin(go, duration));
        }
        go.countDown();
        for (ControlledThread c : contenders) {
            c.join();
        }
        long total = counts[0] + counts[1];
        for (int k = 0; k < 2; k++) {
            out.printf(Locale.ROOT, "  nice %2d: %,15d iterations  %5.1f%% of the CPU%n", nices[k], counts[k],
                    100.0 * counts[k] / Math.max(1, total));
        }
        out.printf(Locale.ROOT, "  nice 0 got %.0fx the work of nice 19 (the kernel weights nice 0 and 19 as 1024 vs 15, about 68x).%n",
                (double) counts[0] / Math.max(1, counts[1]));
        takeaway = String.format(Locale.ROOT, "pinned workers ran only on their CPU; on one CPU nice 0 got %.0fx the "
                + "work of nice 19", (double) counts[0] / Math.max(1, counts[1]));
        return 0;
    }

    private static void sample(TreeMap<Integer, Long> histogram, long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            histogram.merge(Affinity.currentCpu(), 1L, Long::sum);
        }
    }

    private static String shares(TreeMap<Integer, Long> histogram) {
        long total = histogram.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sb = new StringBuilder();
        histogram.forEach((cpu, n) -> sb.append(String.format(Locale.ROOT, "CPU %d %.1f%%  ", cpu, 100.0 * n / total)));
        return sb.toString().strip();
    }

    /** Counts loop iterations from the start signal until the deadline: CPU time received, in work units. */
    private static long spin(CountDownLatch go, long nanos) {
        try {
            go.await();
        } catch (InterruptedException e) {
            return 0;
        }
        long end = System.nanoTime() + nanos;
        long n = 0;
        while (System.nanoTime() < end) {
            n++;
        }
        return n;
    }
}
