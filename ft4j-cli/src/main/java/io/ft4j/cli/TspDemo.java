package io.ft4j.cli;

import io.ft4j.atomic.PaddedAtomicLong;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * ft_utils' TSP example: an exhaustive depth-first search for the shortest round trip, split among threads by the
 * second city, pruning any path already longer than the best known. The best cost is shared: once as an PaddedAtomicLong
 * lowered by CAS, once behind a lock with ft_utils' double-checked update. Each answer is re-checked by a
 * single-threaded search.
 */
@Command(name = "tsp", mixinStandardHelpOptions = true,
        description = "ft_utils' TSP: a shared best cost, PaddedAtomicLong CAS vs a double-checked lock.")
final class TspDemo implements Callable<Integer> {
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

    /** The shared best cost: read often, lowered rarely. */
    interface Best {
        long get();

        void offer(long cost);
    }

    static final class AtomicBest implements Best {
        private final PaddedAtomicLong best = new PaddedAtomicLong(Long.MAX_VALUE);

        @Override
        public long get() {
            return best.get();
        }

        @Override
        public void offer(long cost) {
            for (long b = best.get(); cost < b; b = best.get()) {
                if (best.weakCompareAndSetVolatile(b, cost)) {
                    return;
                }
            }
        }
    }

    static final class LockedBest implements Best {
        private volatile long best = Long.MAX_VALUE;

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
                    }
                }
            }
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
        SplittableRandom random = new SplittableRandom(3);
        int[][] d = null;
        long last = 0;
        double atomicTotal = 0;
        double lockedTotal = 0;
        for (int run = 0; run < runs; run++) {
            d = map(random);
            long t0 = System.nanoTime();
            long atomic = solve(d, new AtomicBest());
            double ta = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            long locked = solve(d, new LockedBest());
            double tl = (System.nanoTime() - t0) / 1e9;
            atomicTotal += ta;
            lockedTotal += tl;
            out.printf(Locale.ROOT, "Test %d: PaddedAtomicLong %.4f seconds, cost: %d | lock %.4f seconds, cost: %d%n",
                    run, ta, atomic, tl, locked);
            if (atomic != locked) {
                out.println("The two searches disagree: this must never happen.");
                return 1;
            }
            last = atomic;
        }
        long check = search(d, new LockedBest(), 1, 1);
        out.printf("Double Check = %d (one thread, the last map): %s%n", check, check == last ? "agrees" : "DIFFERS");
        out.printf(Locale.ROOT, "Total: PaddedAtomicLong %.4f s, lock %.4f s%n", atomicTotal, lockedTotal);
        return check == last ? 0 : 1;
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
