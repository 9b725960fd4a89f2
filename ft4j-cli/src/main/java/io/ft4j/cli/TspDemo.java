package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' TSP example: an exhaustive depth-first search for the shortest round trip, split among threads by the
 * second city, pruning any path already longer than the best known. The best cost is shared: once as a PaddedAtomicLong
 * lowered by CAS, once behind a lock with ft_utils' double-checked update, and once as the JDK's AtomicLong for
 * comparison. Each way runs three times per map, in turn, and its best time counts. Each answer is re-checked by a
 * single-threaded search.
 */
@Command(name = "tsp", mixinStandardHelpOptions = true,
        description = "ft_utils' TSP: a shared best cost, PaddedAtomicLong CAS vs a double-checked lock vs AtomicLong.")
final class TspDemo implements Callable<Integer>, Demo {
    @Option(names = "--cities", defaultValue = "12", paramLabel = "N",
            description = "cities (default: ${DEFAULT-VALUE})")
    int cities;

    @Option(names = {"-t", "--threads"}, defaultValue = "4", paramLabel = "N",
            description = "threads, at most cities - 1 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-r", "--runs"}, defaultValue = "3", paramLabel = "N",
            description = "random maps to solve (default: ${DEFAULT-VALUE})")
    int runs;

    @Spec
    CommandSpec spec;

    private String takeaway;

    @Override
    public String takeaway() {
        return takeaway;
    }

    /** The shared best cost: read often, lowered rarely. */
    interface Best {
        long get();

        void offer(long cost);

        /** How many offers lowered the best cost; read after the search threads have been joined. */
        long lowered();
    }

    /** Lowers the best cost with a compare-and-set loop; the subclasses supply the atomic long it runs on. */
    abstract static class CasBest implements Best {
        abstract long best();

        abstract boolean weakCompareAndSet(long expected, long cost);

        abstract void countLowered();

        @Override
        public long get() {
            return best();
        }

        @Override
        public void offer(long cost) {
            for (long b = best(); cost < b; b = best()) {
                if (weakCompareAndSet(b, cost)) {
                    countLowered();
                    return;
                }
            }
        }
    }

    static final class AtomicBest extends CasBest {
        private final PaddedAtomicLong best = new PaddedAtomicLong(Long.MAX_VALUE);
        private final PaddedAtomicLong lowered = new PaddedAtomicLong();

        @Override long best() { return best.get(); }
        @Override boolean weakCompareAndSet(long b, long cost) { return best.weakCompareAndSetVolatile(b, cost); }
        @Override void countLowered() { lowered.incrementAndGet(); }
        @Override public long lowered() { return lowered.get(); }
    }

    /** The JDK's own tool for the same job, for comparison. */
    static final class JdkBest extends CasBest {
        private final AtomicLong best = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lowered = new AtomicLong();

        @Override long best() { return best.get(); }
        @Override boolean weakCompareAndSet(long b, long cost) { return best.weakCompareAndSetVolatile(b, cost); }
        @Override void countLowered() { lowered.incrementAndGet(); }
        @Override public long lowered() { return lowered.get(); }
    }

    static final class LockedBest implements Best {
        private volatile long best = Long.MAX_VALUE;
        private long lowered;

        @Override
        public long get() {
            return best;
        }

        @Override
        public void offer(long cost) {
            if (cost < best) { // ft_utils' double check: a read outside, the update inside
                synchronized (this) {
                    if (cost < best) {
                        best = cost;
                        lowered++;
                    }
                }
            }
        }

        @Override
        public synchronized long lowered() {
            return lowered;
        }
    }

    /** One thread's best cost that counts its reads: how often the search consults the shared value. */
    static final class CountingBest implements Best {
        private long best = Long.MAX_VALUE;
        private long reads;
        private long lowered;

        @Override
        public long get() {
            reads++;
            return best;
        }

        @Override
        public void offer(long cost) {
            if (cost < best) {
                best = cost;
                lowered++;
            }
        }

        @Override
        public long lowered() {
            return lowered;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (cities < 3 || cities > 14) {
            throw new ParameterException(spec.commandLine(), "--cities: " + cities + " (expected: 3..14)");
        }
        if (threads < 1 || threads > cities - 1) {
            throw new ParameterException(spec.commandLine(), "--threads: " + threads + " (expected: 1.."
                    + (cities - 1) + ", one second city or more per thread)");
        }
        if (runs < 1 || runs > 20) {
            throw new ParameterException(spec.commandLine(), "--runs: " + runs + " (expected: 1..20)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("TSP run for ncities=%d, nthreads=%d%n", cities, threads);
        int[][] warm = map(new SplittableRandom(99)); // one untimed search each, so that the JIT has compiled them
        for (Supplier<Best> way : WAYS) {
            solve(warm, way.get());
        }
        SplittableRandom random = new SplittableRandom(3);
        int[][] d = null;
        long last = 0;
        double[] totals = new double[WAYS.size()];
        long lowered = 0;
        int searches = 0;
        for (int run = 0; run < runs; run++) {
            d = map(random);
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            long[] cost = new long[WAYS.size()];
            // each way REPEATS times, in turn, starting with a different one each time: the best time counts
            for (int rep = 0; rep < REPEATS; rep++) {
                for (int k = 0; k < WAYS.size(); k++) {
                    int w = (k + rep + run) % WAYS.size();
                    Best b = WAYS.get(w).get();
                    long t0 = System.nanoTime();
                    solve(d, b);
                    best[w] = Math.min(best[w], (System.nanoTime() - t0) / 1e9);
                    cost[w] = b.get();
                    lowered += b.lowered();
                    searches++;
                }
            }
            for (int w = 0; w < totals.length; w++) {
                totals[w] += best[w];
            }
            out.printf(Locale.ROOT, "Test %d: PaddedAtomicLong %.4f seconds, cost: %d | lock %.4f seconds, cost: %d"
                    + " | AtomicLong %.4f seconds, cost: %d%n", run, best[0], cost[0], best[1], cost[1], best[2],
                    cost[2]);
            if (cost[0] != cost[1] || cost[1] != cost[2]) {
                out.println("The searches disagree: this must never happen.");
                return 1;
            }
            last = cost[0];
        }
        CountingBest counted = new CountingBest();
        long check = search(d, counted, 1, 1);
        out.printf("Double Check = %d (one thread, the last map): %s%n", check, check == last ? "agrees" : "DIFFERS");
        out.printf(Locale.ROOT, "Total: PaddedAtomicLong %.4f s, lock %.4f s, AtomicLong %.4f s (best of %d per map)%n",
                totals[0], totals[1], totals[2], REPEATS);
        conclude(out, totals, (double) lowered / searches, counted);
        return check == last ? 0 : 1;
    }

    /** The ways to share the best cost, in the order of the output: ft4j's, ft_utils' lock, the JDK's. */
    private static final List<Supplier<Best>> WAYS = List.of(AtomicBest::new, LockedBest::new, JdkBest::new);

    private static final String[] NAMES = {"PaddedAtomicLong", "the double-checked lock", "AtomicLong"};

    /** Timed searches per way and map. */
    private static final int REPEATS = 3;

    /** What the run proved: the same tours every way, which was faster, and why it hardly matters. */
    private void conclude(PrintWriter out, double[] totals, double loweredPerSearch, CountingBest oneThread) {
        out.printf("%nWhat this run shows:%n");
        int fastest = 0;
        int slowest = 0;
        for (int w = 1; w < totals.length; w++) {
            fastest = totals[w] < totals[fastest] ? w : fastest;
            slowest = totals[w] > totals[slowest] ? w : slowest;
        }
        double spread = totals[slowest] / totals[fastest];
        String faster = spread < 1.1
                ? String.format(Locale.ROOT, "all three took the same time within 10%% (%.4f to %.4f s)",
                        totals[fastest], totals[slowest])
                : String.format(Locale.ROOT, "%s was fastest overall: %.4f s, against %.4f s for %s and %.4f s for %s",
                        NAMES[fastest], totals[fastest], totals[(fastest + 1) % 3], NAMES[(fastest + 1) % 3],
                        totals[(fastest + 2) % 3], NAMES[(fastest + 2) % 3]);
        Demo.say(out, String.format(Locale.ROOT, "Every way found the same shortest tours on %d maps, and %s%s. The "
                + "best cost is read at every step of the search (%,d times on the last map, one thread) and lowered "
                + "only about %.0f times a search: every way reads one volatile field, so how the rare update is made "
                + "is not what the time is spent on.", runs, faster, spread < 1.1 ? ""
                        : ". A search takes milliseconds, so gaps this size move from run to run",
                oneThread.reads, loweredPerSearch));
        Demo.say(out, "For one read-mostly value like this, the JDK's own tools are the better choice: an AtomicLong, "
                + "or a volatile field with a double-checked synchronized update. PaddedAtomicLong pays off where "
                + "other hot fields would share its cache line (./ft4j bench --area falsesharing).");
        takeaway = String.format(Locale.ROOT, "a read-mostly best cost (read %,d times, lowered about %.0f times a "
                + "search): %s; for one such value, the JDK's AtomicLong or a volatile field will do", oneThread.reads,
                loweredPerSearch, faster);
    }

    private int[][] map(SplittableRandom random) {
        int[][] d = new int[cities][cities];
        for (int i = 0; i < cities; i++) {
            for (int j = i + 1; j < cities; j++) {
                d[i][j] = d[j][i] = random.nextInt(1, 101);
            }
        }
        return d;
    }

    /** Thread k searches the tours whose second city is k+1, k+1+threads, ...; all start together. */
    private long solve(int[][] d, Best best) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int first = k + 1;
            ts.add(Thread.ofPlatform().name("tsp-" + k).start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                search(d, best, first, threads);
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        return best.get();
    }

    /** Every tour from city 0 whose second city is first, first + step, ... (first = step = 1: all of them). */
    private long search(int[][] d, Best best, int first, int step) {
        int n = d.length;
        for (int second = first; second < n; second += step) {
            boolean[] used = new boolean[n];
            used[0] = true;
            used[second] = true;
            dfs(d, best, used, second, 2, d[0][second]);
        }
        return best.get();
    }

    private static void dfs(int[][] d, Best best, boolean[] used, int at, int depth, long cost) {
        int n = d.length;
        if (cost >= best.get()) {
            return; // pruned by the best tour any thread has found
        }
        if (depth == n) {
            best.offer(cost + d[at][0]);
            return;
        }
        for (int next = 1; next < n; next++) {
            if (!used[next]) {
                used[next] = true;
                dfs(d, best, used, next, depth + 1, cost + d[at][next]);
                used[next] = false;
            }
        }
    }
}
