package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.thread.Affinity;
import io.ft4j.thread.CpuSet;
import io.ft4j.thread.ThreadBuilder;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' merge-sort example: a parallel merge sort that sorts one half on a new thread while a thread budget
 * remains and the segment is above a threshold. The helper threads are restricted to the first {@code cpus} CPUs (the
 * calling thread keeps its own; where affinity is unsupported, --cpus is ignored). The budget and the peak are
 * PaddedAtomicLongs; the result is checked, and timed against Arrays.sort and Arrays.parallelSort.
 */
@Command(name = "mergesort", mixinStandardHelpOptions = true,
        description = "ft_utils' parallel merge sort: a thread budget, CPU affinity, the peak thread count.")
final class MergeSortDemo implements Callable<Integer>, Demo {
    @Option(names = "--max-size", defaultValue = "2000000", paramLabel = "N",
            description = "array length (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--threshold", defaultValue = "10000", paramLabel = "N",
            description = "segments up to this length are sorted on the calling thread (default: ${DEFAULT-VALUE})")
    int threshold;

    @Option(names = "--max-threads", defaultValue = "4", paramLabel = "N",
            description = "thread budget, at least 2 (default: ${DEFAULT-VALUE})")
    int maxThreads;

    @Option(names = "--cpus", paramLabel = "N",
            description = "restrict the sorting threads to the first N allowed CPUs (default: all)")
    Integer cpus;

    @Spec
    CommandSpec spec;

    private final PaddedAtomicLong running = new PaddedAtomicLong(1);
    private final PaddedAtomicLong peak = new PaddedAtomicLong(1);
    private ThreadBuilder builder;
    private String takeaway;

    /** Timed runs of each sort; the best one counts, as the least disturbed by the rest of the machine. */
    private static final int TIMED = 3;

    @Override
    public String takeaway() {
        return takeaway;
    }

    @Override
    public Integer call() throws Exception {
        if (size < 1 || size > 100_000_000) {
            throw new ParameterException(spec.commandLine(), "--max-size: " + size + " (expected: 1..100000000)");
        }
        if (threshold < 2) {
            throw new ParameterException(spec.commandLine(), "--threshold: " + threshold + " (expected: >= 2)");
        }
        if (maxThreads < 2 || maxThreads > 1024) {
            throw new ParameterException(spec.commandLine(), "--max-threads: " + maxThreads + " (expected: 2..1024)");
        }
        PrintWriter out = spec.commandLine().getOut();
        builder = new ThreadBuilder().name("sort-", 0).daemon(true);
        String where = "any CPU";
        if (Affinity.isSupported()) {
            int[] allowed = Affinity.get().toArray();
            int n = cpus == null ? allowed.length : cpus;
            if (n < 1 || n > allowed.length) {
                throw new ParameterException(spec.commandLine(), "--cpus: " + n + " (expected: 1.." + allowed.length
                        + ", the CPUs this process may use)");
            }
            CpuSet set = CpuSet.of(Arrays.copyOf(allowed, n));
            builder.cpus(set);
            where = "CPUs " + set;
        }
        int[] data = new SplittableRandom(11).ints(size, 0, 10_000).toArray();
        sort(data.clone(), new int[size], 0, size); // one untimed run each, so that the JIT has compiled them
        Arrays.sort(data.clone());
        Arrays.parallelSort(data.clone());
        int[] a = null;
        double seconds = Double.MAX_VALUE;
        for (int run = 0; run < TIMED; run++) {
            running.set(1);
            peak.set(1);
            a = data.clone();
            long t0 = System.nanoTime();
            sort(a, new int[a.length], 0, a.length);
            seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
        }
        boolean sorted = true;
        for (int i = 1; i < a.length && sorted; i++) {
            sorted = a[i - 1] <= a[i];
        }
        out.println(sorted ? "Array is correctly sorted." : "Array is NOT sorted: this must never happen.");
        out.printf("Parameters: max_size=%,d threshold=%,d max_threads=%d on %s%n", size, threshold, maxThreads, where);
        out.printf(Locale.ROOT, "Time taken: %.4f seconds (best of %d, after one untimed run)%n", seconds, TIMED);
        out.printf("Peak threads: %d%n", peak.get());
        int[] b = null;
        double serial = Double.MAX_VALUE;
        int[] c = null;
        double parallel = Double.MAX_VALUE;
        for (int run = 0; run < TIMED; run++) {
            b = data.clone();
            long t0 = System.nanoTime();
            Arrays.sort(b);
            serial = Math.min(serial, (System.nanoTime() - t0) / 1e9);
            c = data.clone();
            t0 = System.nanoTime();
            Arrays.parallelSort(c);
            parallel = Math.min(parallel, (System.nanoTime() - t0) / 1e9);
        }
        int cpusUsed = Runtime.getRuntime().availableProcessors();
        boolean same = Arrays.equals(a, b) && Arrays.equals(b, c);
        out.printf(Locale.ROOT, "For comparison: Arrays.sort %.4f s, Arrays.parallelSort %.4f s (common pool, %d "
                + "CPUs); the same result: %b%n", serial, parallel, cpusUsed, same);
        conclude(out, seconds, serial, parallel);
        return sorted && same ? 0 : 1;
    }

    /** What the run proved: the port is correct and within budget, and how it compares with the JDK's sorts. */
    private void conclude(PrintWriter out, double port, double serial, double parallel) {
        out.printf("%nWhat this run shows:%n");
        int levels = size <= threshold ? 0 : 64 - Long.numberOfLeadingZeros((size - 1L) / threshold);
        Demo.say(out, String.format(Locale.ROOT, "The port sorted %,d ints correctly with at most %d threads (its "
                + "budget: %d), but took %s Arrays.sort's time and %s Arrays.parallelSort's: it copies every element "
                + "through a second array at each of its %d merge levels, where Arrays.sort works in place and "
                + "Arrays.parallelSort spreads its work over the common pool's threads, which already exist.", size,
                peak.get(), maxThreads, times(port, serial), times(port, parallel), levels));
        double best = Math.min(serial, parallel);
        Demo.say(out, port > best
                ? String.format(Locale.ROOT, "To sort, use %s; what ft4j adds here is the thread budget, the CPU "
                        + "affinity and the peak count, for work the JDK has no ready-made parallel tool for.",
                        parallel <= serial ? "Arrays.parallelSort" : "Arrays.sort (on this machine, faster than "
                                + "parallelSort)")
                : "On this machine the port beat the JDK's sorts; on most, Arrays.parallelSort is the one to use.");
        takeaway = String.format(Locale.ROOT, "the ft_utils port sorted %,d ints within its %d-thread budget in %s "
                + "Arrays.sort's time and %s Arrays.parallelSort's: sort with the JDK", size, maxThreads,
                times(port, serial), times(port, parallel));
    }

    /** "4.7x" (slower) or "0.5x" (faster): how many times the other's time a time is. */
    private static String times(double time, double other) {
        return String.format(Locale.ROOT, "%.1fx", time / other);
    }

    /** Sorts a[from, to) using tmp; one half goes to a new thread while the budget allows. */
    private void sort(int[] a, int[] tmp, int from, int to) throws InterruptedException {
        if (to - from <= threshold) {
            Arrays.sort(a, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        Thread helper = null;
        if (reserve()) {
            helper = builder.start(() -> {
                try {
                    sort(a, tmp, from, mid);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
            });
        } else {
            sort(a, tmp, from, mid);
        }
        sort(a, tmp, mid, to);
        if (helper != null) {
            helper.join(); // orders the helper's writes to a before the merge reads them
        }
        merge(a, tmp, from, mid, to);
    }

    /** Takes one thread from the budget if any is left, and records the peak. */
    private boolean reserve() {
        for (;;) {
            long n = running.get();
            if (n >= maxThreads) {
                return false;
            }
            if (running.weakCompareAndSetVolatile(n, n + 1)) {
                peak.updateAndGet(p -> Math.max(p, n + 1));
                return true;
            }
        }
    }

    private static void merge(int[] a, int[] tmp, int from, int mid, int to) {
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            a[k++] = tmp[i] <= tmp[j] ? tmp[i++] : tmp[j++];
        }
        while (i < mid) {
            a[k++] = tmp[i++];
        }
        while (j < to) {
            a[k++] = tmp[j++];
        }
    }
}
