package io.ft4j.bench;

import io.ft4j.concurrent.ConcurrentDict;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jctools.maps.NonBlockingHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ConcurrentDict against ConcurrentHashMap (anchor) and JCTools NonBlockingHashMap (anchorNbhm), on four workloads:
 * <ul>
 *   <li>getOnly: lookups over 1024 present keys;</li>
 *   <li>getPut90: 90% lookups, 10% puts over 1024 keys;</li>
 *   <li>privateKeys: ft_utils' update benchmark: each thread puts, gets and removes its own keys;</li>
 *   <li>insertRandom: puts of random keys from a range of 2^20 (the map grows, then updates).</li>
 * </ul>
 * Keys are pre-boxed so that no benchmark measures Integer allocation.
 *
 * {@snippet lang="shell" :
 * java --sun-misc-unsafe-memory-access=allow -cp ft4j-bench/target/benchmarks.jar io.ft4j.bench.Ratios \
 *      ConcurrentDictBench -t 1,2,4 -f 3
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class ConcurrentDictBench {
    static final int HOT = 1024;
    static final int RANGE = 1 << 20;
    static final Integer[] KEYS = new Integer[RANGE + 64 * HOT];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i;
        }
    }

    private final Map<Integer, Integer> ft4j = new ConcurrentDict<>();
    private final Map<Integer, Integer> chm = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> nbhm = new NonBlockingHashMap<>();

    @Setup
    public void fill() {
        for (int i = 0; i < HOT; i++) {
            ft4j.put(KEYS[i], i);
            chm.put(KEYS[i], i);
            nbhm.put(KEYS[i], i);
        }
    }

    /** Per-thread cursor and random state; each thread also owns a private key block for privateKeys. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();
        int i;
        long seed = System.nanoTime() | 1;
        int privateBase;

        @Setup
        public void assign() {
            privateBase = RANGE + (THREADS.getAndIncrement() % 64) * HOT;
        }

        int nextRandom() {
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return (int) x;
        }
    }

    static Integer getOnly(Map<Integer, Integer> m, Cursor c) {
        return m.get(KEYS[c.i++ & (HOT - 1)]);
    }

    static Integer getPut90(Map<Integer, Integer> m, Cursor c) {
        int r = c.nextRandom();
        Integer k = KEYS[r & (HOT - 1)];
        return (r >>> 24) % 10 == 0 ? m.put(k, r) : m.get(k);
    }

    static Integer privateKeys(Map<Integer, Integer> m, Cursor c) {
        Integer k = KEYS[c.privateBase + (c.i++ & (HOT - 1))];
        m.put(k, 1);
        Integer v = m.get(k);
        m.remove(k);
        return v;
    }

    static Integer insertRandom(Map<Integer, Integer> m, Cursor c) {
        return m.put(KEYS[c.nextRandom() & (RANGE - 1)], 1);
    }

    @Benchmark public Integer ft4j_getOnly(Cursor c) { return getOnly(ft4j, c); }
    @Benchmark public Integer anchor_getOnly(Cursor c) { return getOnly(chm, c); }
    @Benchmark public Integer anchorNbhm_getOnly(Cursor c) { return getOnly(nbhm, c); }

    @Benchmark public Integer ft4j_getPut90(Cursor c) { return getPut90(ft4j, c); }
    @Benchmark public Integer anchor_getPut90(Cursor c) { return getPut90(chm, c); }
    @Benchmark public Integer anchorNbhm_getPut90(Cursor c) { return getPut90(nbhm, c); }

    @Benchmark public Integer ft4j_privateKeys(Cursor c) { return privateKeys(ft4j, c); }
    @Benchmark public Integer anchor_privateKeys(Cursor c) { return privateKeys(chm, c); }
    @Benchmark public Integer anchorNbhm_privateKeys(Cursor c) { return privateKeys(nbhm, c); }

    @Benchmark public Integer ft4j_insertRandom(Cursor c) { return insertRandom(ft4j, c); }
    @Benchmark public Integer anchor_insertRandom(Cursor c) { return insertRandom(chm, c); }
    @Benchmark public Integer anchorNbhm_insertRandom(Cursor c) { return insertRandom(nbhm, c); }
}
