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
final class MergeSortDemo implements Callable<Integer> {
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
        running.set(1);
        peak.set(1);
        int[] a = data.clone();
        long t0 = System.nanoTime();
        sort(a, new int[a.length], 0, a.length);
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean sorted = true;
        for (int i = 1; i < a.length && sorted; i++) {
            sorted = a[i - 1] <= a[i];
        }
        out.println(sorted ? "Array is correctly sorted." : "Array is NOT sorted: this must never happen.");
        out.printf("Parameters: max_size=%,d threshold=%,d max_threads=%d on %s%n", size, threshold, maxThreads, where);
        out.printf(Locale.ROOT, "Time taken: %.4f seconds (after one untimed run)%n", seconds);
        out.printf("Peak threads: %d%n", peak.get());
        int[] b = data.clone();
        t0 = System.nanoTime();
        Arrays.sort(b);
        double serial = (System.nanoTime() - t0) / 1e9;
        int[] c = data.clone();
        t0 = System.nanoTime();
        Arrays.parallelSort(c);
        double parallel = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "For comparison: Arrays.sort %.4f s, Arrays.parallelSort %.4f s (common pool, %d "
                + "CPUs); the same result: %b%n", serial, parallel, Runtime.getRuntime().availableProcessors(),
                Arrays.equals(a, b) && Arrays.equals(b, c));
        return sorted && Arrays.equals(a, b) ? 0 : 1;
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
