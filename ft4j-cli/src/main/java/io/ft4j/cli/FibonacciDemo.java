package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.concurrent.ConcurrentDict;
import io.ft4j.concurrent.ConcurrentQueue;
import io.ft4j.concurrent.ShutDownException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' fibonacci example: {@code run-size} tasks, each the fast-doubling Fibonacci number of {@code nth + r}
 * (r random in [0, 2 x run-size), so numbers repeat and a shared memo pays), run by a pool of workers. Two ways, the
 * example's {@code threads} and {@code fast_threads} modes: an executor with a future per task and a synchronized
 * HashMap memo, against workers draining a ConcurrentQueue of tasks with a ConcurrentDict memo and PaddedAtomicLong
 * counters. Both must compute the same numbers; the report gives times and the cache rate, as ft_utils' does.
 */
@Command(name = "fibonacci", mixinStandardHelpOptions = true,
        description = "ft_utils' fibonacci example: executor + synchronized map vs ConcurrentQueue + ConcurrentDict.")
final class FibonacciDemo implements Callable<Integer>, Demo {
    @Option(names = "--nth-element", defaultValue = "10000", paramLabel = "N",
            description = "the smallest Fibonacci index (default: ${DEFAULT-VALUE})")
    int nth;

    @Option(names = "--run-size", defaultValue = "5000", paramLabel = "N",
            description = "tasks per run (default: ${DEFAULT-VALUE})")
    int runSize;

    @Option(names = {"-w", "--workers"}, defaultValue = "4", paramLabel = "N",
            description = "worker threads (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = {"-r", "--runs"}, defaultValue = "5", paramLabel = "N",
            description = "timed runs per mode, as timeit(number=5) (default: ${DEFAULT-VALUE})")
    int runs;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    /** F(n) by fast doubling: F(2k) = F(k)(2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2. */
    static BigInteger fibonacci(int n) {
        BigInteger a = BigInteger.ZERO; // F(k)
        BigInteger b = BigInteger.ONE;  // F(k+1)
        for (int bit = Integer.highestOneBit(Math.max(n, 1)); bit != 0; bit >>>= 1) {
            BigInteger d = a.multiply(b.shiftLeft(1).subtract(a));
            BigInteger e = a.multiply(a).add(b.multiply(b));
            if ((n & bit) != 0) {
                a = e;
                b = d.add(e);
            } else {
                a = d;
                b = e;
            }
        }
        return n == 0 ? BigInteger.ZERO : a;
    }

    /** One mode's outcome: seconds per run, hits and misses of the memo, and a checksum of every result. */
    private record Outcome(double[] seconds, long cached, long missed, long checksum) {
        double average() {
            double s = 0;
            for (double x : seconds) {
                s += x;
            }
            return s / seconds.length;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (nth < 0 || nth > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--nth-element: " + nth + " (expected: 0..1000000)");
        }
        if (runSize < 1 || runSize > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--run-size: " + runSize + " (expected: 1..10000000)");
        }
        if (workers < 1 || workers > 1024) {
            throw new ParameterException(spec.commandLine(), "--workers: " + workers + " (expected: 1..1024)");
        }
        if (runs < 1 || runs > 100) {
            throw new ParameterException(spec.commandLine(), "--runs: " + runs + " (expected: 1..100)");
        }
        PrintWriter out = spec.commandLine().getOut();
        int[] tasks = new SplittableRandom(42).ints(runSize, nth, nth + 2 * runSize).toArray();
        out.printf("Fibonacci of %,d numbers in [%d, %d), %d workers, %d runs per mode:%n", runSize, nth,
                nth + 2 * runSize, workers, runs);
        Outcome plain = time(() -> executorWithSynchronizedMap(tasks));
        Outcome fast = time(() -> queueWithConcurrentDict(tasks));
        report(out, "threads: executor, a future per task, synchronized HashMap memo", plain);
        report(out, "fast_threads: ConcurrentQueue of tasks, ConcurrentDict memo, PaddedAtomicLong counters", fast);
        if (plain.checksum() != fast.checksum()) {
            out.println("The two modes computed different numbers: this must never happen.");
            return 1;
        }
        out.printf(Locale.ROOT, "Same results (checksum %016x); fast_threads took %.2fx the time of threads.%n",
                fast.checksum(), fast.average() / plain.average());
        takeaway = String.format(Locale.ROOT, "the same numbers both ways; ConcurrentQueue + ConcurrentDict took %.2fx "
                + "the time of an executor with a synchronized HashMap", fast.average() / plain.average());
        return 0;
    }

    private interface Run {
        long[] once() throws Exception; // {cached, missed, checksum}
    }

    private Outcome time(Run run) throws Exception {
        double[] seconds = new double[runs];
        long[] last = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            last = run.once();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        return new Outcome(seconds, last[0], last[1], last[2]);
    }

    private static void report(PrintWriter out, String mode, Outcome o) {
        double total = 0;
        for (double s : o.seconds()) {
            total += s;
        }
        out.printf(Locale.ROOT, "Report: %s%n  average time: %.6f s  total time: %.6f s  cache rate: %.3f "
                + "(cached %,d / missed %,d)%n", mode, o.average(), total,
                (double) o.cached() / Math.max(1, o.missed()), o.cached(), o.missed());
    }

    /** ft_utils' threads mode: one future per task, a plain map behind one lock. */
    private long[] executorWithSynchronizedMap(int[] tasks) throws Exception {
        Map<Integer, BigInteger> memo = Collections.synchronizedMap(new HashMap<>());
        AtomicLong cached = new AtomicLong();
        AtomicLong missed = new AtomicLong();
        List<Future<BigInteger>> futures = new ArrayList<>(tasks.length);
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            for (int n : tasks) {
                futures.add(pool.submit(() -> {
                    BigInteger f = memo.get(n);
                    if (f != null) {
                        cached.incrementAndGet();
                        return f;
                    }
                    missed.incrementAndGet();
                    f = fibonacci(n);
                    memo.put(n, f);
                    return f;
                }));
            }
            long sum = 0;
            for (Future<BigInteger> f : futures) {
                sum = sum * 31 + f.get().hashCode();
            }
            return new long[] {cached.get(), missed.get(), sum};
        }
    }

    /** ft_utils' fast_threads mode: workers drain a queue of task indexes; results land in a slot per task. */
    private long[] queueWithConcurrentDict(int[] tasks) throws Exception {
        ConcurrentQueue<Integer> queue = new ConcurrentQueue<>();
        for (int i = 0; i < tasks.length; i++) {
            queue.offer(i);
        }
        queue.shutdown(); // every task is in: workers end at ShutDownException once it is drained
        ConcurrentDict<Integer, BigInteger> memo = new ConcurrentDict<>(64, 0.75f, workers);
        PaddedAtomicLong cached = new PaddedAtomicLong();
        PaddedAtomicLong missed = new PaddedAtomicLong();
        PaddedAtomicLong remaining = new PaddedAtomicLong(tasks.length);
        BigInteger[] results = new BigInteger[tasks.length];
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().name("fib-" + w).start(() -> {
                try {
                    for (;;) {
                        int i = queue.take();
                        int n = tasks[i];
                        BigInteger f = memo.get(n);
                        if (f != null) {
                            cached.incrementAndGet();
                        } else {
                            missed.incrementAndGet();
                            f = fibonacci(n);
                            memo.put(n, f);
                        }
                        results[i] = f;
                        remaining.decrementAndGet();
                    }
                } catch (ShutDownException drained) {
                    // every task taken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(); // join orders each worker's writes to results before the reads below
        }
        if (remaining.get() != 0) {
            throw new IllegalStateException(remaining.get() + " tasks were never run");
        }
        long sum = 0;
        for (BigInteger f : results) {
            sum = sum * 31 + f.hashCode();
        }
        return new long[] {cached.get(), missed.get(), sum};
    }
}
