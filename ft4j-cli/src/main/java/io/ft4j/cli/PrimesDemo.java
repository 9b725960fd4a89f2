package io.ft4j.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' map-reduce example: keep the primes of a shuffled 1..nodes x per-node, split into one segment per node,
 * mapped in parallel and reduced to a count and a sum. Threads share the array; worker processes (child JVMs, as
 * Python's ProcessPoolExecutor starts interpreters) get their segment serialized through a pipe and send their
 * primes back the same way. The seed's point, with numbers: processes are not fine-grained parallelism.
 */
@Command(name = "primes", mixinStandardHelpOptions = true,
        description = "ft_utils' map-reduce example: threads sharing memory vs worker processes (child JVMs).")
final class PrimesDemo implements Callable<Integer>, Demo {
    @Option(names = "--nodes", defaultValue = "2", paramLabel = "N",
            description = "segments, mapped by as many threads or processes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--per-node", defaultValue = "200000", paramLabel = "N",
            description = "numbers per segment (default: ${DEFAULT-VALUE})")
    int perNode;

    @Option(names = {"-r", "--runs"}, defaultValue = "3", paramLabel = "N",
            description = "repetitions (default: ${DEFAULT-VALUE}; ft_utils runs 10)")
    int runs;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    /** Deserialization accepts an int[] and nothing else. */
    private static final java.io.ObjectInputFilter INTS_ONLY =
            java.io.ObjectInputFilter.Config.createFilter("maxdepth=1;[I;!*");

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; (long) d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    static int[] primesOf(int[] segment) {
        return Arrays.stream(segment).filter(PrimesDemo::isPrime).toArray();
    }

    /** The worker process: reads an int[] segment from stdin, writes its primes to stdout, both serialized. */
    public static void main(String[] args) throws IOException, ClassNotFoundException {
        int[] segment;
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(System.in))) {
            in.setObjectInputFilter(INTS_ONLY);
            segment = (int[]) in.readObject();
        }
        try (ObjectOutputStream o = new ObjectOutputStream(new BufferedOutputStream(System.out))) {
            o.writeObject(primesOf(segment));
        }
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 64) {
            throw new ParameterException(spec.commandLine(), "--nodes: " + nodes + " (expected: 1..64)");
        }
        if (perNode < 1 || perNode > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--per-node: " + perNode + " (expected: 1..10000000)");
        }
        if (runs < 1 || runs > 50) {
            throw new ParameterException(spec.commandLine(), "--runs: " + runs + " (expected: 1..50)");
        }
        PrintWriter out = spec.commandLine().getOut();
        int[] numbers = shuffled(nodes * perNode);
        int[][] segments = new int[nodes][];
        for (int i = 0; i < nodes; i++) {
            segments[i] = Arrays.copyOfRange(numbers, i * perNode, (i + 1) * perNode);
        }
        out.printf("Primes among 1..%,d (shuffled), %d segments of %,d, %d runs:%n", nodes * perNode, nodes, perNode,
                runs);
        long[] threads = null;
        long t0 = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            threads = withThreads(segments);
        }
        double threadSeconds = (System.nanoTime() - t0) / 1e9;
        long[] processes = null;
        t0 = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            processes = withProcesses(segments);
        }
        double processSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "  threads (shared memory):            Total time for %d runs: %.2f seconds  (%,d primes)%n",
                runs, threadSeconds, threads[0]);
        out.printf(Locale.ROOT, "  processes (child JVMs, serialized): Total time for %d runs: %.2f seconds  (%,d primes)%n",
                runs, processSeconds, processes[0]);
        if (threads[0] != processes[0] || threads[1] != processes[1]) {
            out.println("Threads and processes found different primes: this must never happen.");
            return 1;
        }
        out.printf(Locale.ROOT, "Same primes (sum %,d). Processes took %.1fx the time of threads: each starts a JVM and "
                + "copies its data both ways, where threads just read the array.%n", threads[1],
                processSeconds / threadSeconds);
        takeaway = String.format(Locale.ROOT, "the same primes both ways; worker processes took %.1fx the time of "
                + "threads sharing the array", processSeconds / threadSeconds);
        return 0;
    }

    private static int[] shuffled(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + 1;
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Map on a thread per segment, reduce to {count, sum}. */
    private long[] withThreads(int[][] segments) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(segments.length)) {
            List<Future<int[]>> parts = new ArrayList<>();
            for (int[] segment : segments) {
                parts.add(pool.submit(() -> primesOf(segment)));
            }
            long count = 0;
            long sum = 0;
            for (Future<int[]> f : parts) {
                int[] p = f.get();
                count += p.length;
                sum += Arrays.stream(p).asLongStream().sum();
            }
            return new long[] {count, sum};
        }
    }

    /** Map in a child JVM per segment, reduce to {count, sum}. */
    private long[] withProcesses(int[][] segments) throws Exception {
        String java = Machine.javaBinary();
        List<Process> workers = new ArrayList<>();
        try {
            for (int[] segment : segments) {
                // the JVM's own messages go to stderr: stdout carries only the serialized answer
                Process p = new ProcessBuilder(java, "-XX:+DisplayVMOutputToStderr", "-cp",
                        System.getProperty("java.class.path"), PrimesDemo.class.getName())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                workers.add(p);
                try (ObjectOutputStream o = new ObjectOutputStream(new BufferedOutputStream(p.getOutputStream()))) {
                    o.writeObject(segment);
                }
            }
            long count = 0;
            long sum = 0;
            for (Process p : workers) {
                int[] primes;
                try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(p.getInputStream()))) {
                    in.setObjectInputFilter(INTS_ONLY);
                    primes = (int[]) in.readObject();
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("a worker process failed with exit code " + p.exitValue());
                }
                count += primes.length;
                sum += Arrays.stream(primes).asLongStream().sum();
            }
            return new long[] {count, sum};
        } finally {
            workers.forEach(Process::destroy); // ended ones ignore it; a failure leaves no worker behind
        }
    }
}
