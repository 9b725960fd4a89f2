package io.ft4j.concurrent;

import static io.ft4j.testing.Race.race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ft_utils' ConcurrentDict stress scenarios 1 to 4 (inventory 4.2), at higher counts than ft_utils runs them. */
@Timeout(120)
class ConcurrentDictStressTest {

    /** Scenario 1: int writers, string writers and insert-then-delete threads on one map. */
    @Test
    void mixedWriters() throws Exception {
        int n = 20_000;
        ConcurrentDict<Object, Object> d = new ConcurrentDict<>(0, 0.75f, 37);
        race(6, t -> {
            for (int i = 0; i < n; i++) {
                switch (t % 3) {
                    case 0 -> d.put(i, i);
                    case 1 -> d.put("s" + i, "v" + i);
                    default -> {
                        d.put(-1 - i, t);
                        d.remove(-1 - i);
                    }
                }
            }
        });
        assertEquals(2 * n, d.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, d.get(i));
            assertEquals("v" + i, d.get("s" + i));
            assertNull(d.get(-1 - i), "deleted key present: " + (-1 - i));
        }
    }

    /** Scenario 2: every thread's setdefault sees the same winner per key. */
    @Test
    void setdefaultRaceHasOneWinnerPerKey() throws Exception {
        int keys = 10_000;
        int threads = 8;
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>();
        int[][] seen = new int[threads][keys];
        race(threads, t -> {
            for (int k = 0; k < keys; k++) {
                Integer prev = d.putIfAbsent(k, t);
                seen[t][k] = prev == null ? t : prev;
            }
        });
        for (int k = 0; k < keys; k++) {
            int winner = d.get(k);
            for (int t = 0; t < threads; t++) {
                assertEquals(winner, seen[t][k], "key " + k);
            }
        }
    }

    /** Scenario 3: pop of the same keys from many threads: each key popped exactly once, and the map ends empty. */
    @Test
    void popIsExactlyOnce() throws Exception {
        int keys = 50_000;
        int threads = 8;
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>();
        for (int k = 0; k < keys; k++) {
            d.put(k, k);
        }
        List<List<Integer>> popped = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            popped.add(new ArrayList<>());
        }
        race(threads, t -> {
            for (int k = 0; k < keys; k++) {
                Integer v = d.remove(k);
                if (v != null) {
                    popped.get(t).add(v);
                }
            }
        });
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (List<Integer> p : popped) {
            all.addAll(p);
            total += p.size();
        }
        assertEquals(keys, total, "a key was popped twice or not at all");
        assertEquals(keys, all.size());
        assertTrue(d.isEmpty());
    }

    /** Scenario 4: clear racing inserts leaves a consistent map; read-modify-writes on 10 keys lose nothing. */
    @Test
    void clearVersusWritersAndTheRmwHammer() throws Exception {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>();
        race(2, t -> {
            for (int round = 0; round < 200; round++) {
                if (t == 0) {
                    d.clear();
                } else {
                    for (int i = 0; i < 100; i++) {
                        d.put(i, i);
                    }
                }
            }
        });
        // Whatever survived must be intact and counted correctly.
        int present = 0;
        for (int i = 0; i < 100; i++) {
            Integer v = d.get(i);
            if (v != null) {
                assertEquals(i, v);
                present++;
            }
        }
        assertEquals(present, d.size());
        assertEquals(present, d.snapshot().size());

        ConcurrentDict<Integer, Long> counts = new ConcurrentDict<>();
        int perThread = 500_000;
        race(3, t -> {
            for (int i = 0; i < perThread; i++) {
                counts.merge(i % 10, 1L, Long::sum);
            }
        });
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), counts.keySet().stream().collect(java.util.stream.Collectors.toSet()));
        for (int k = 0; k < 10; k++) {
            assertEquals(3L * perThread / 10, counts.get(k));
        }
    }

    /** Every compute-family operation is atomic: concurrent increments through each lose nothing. */
    @Test
    void computeFamilyIsAtomicUnderContention() throws Exception {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>();
        int perThread = 100_000;
        race(4, t -> {
            for (int i = 0; i < perThread; i++) {
                switch (i % 4) {
                    case 0 -> d.compute("k", (k, v) -> v == null ? 1 : v + 1);
                    case 1 -> d.merge("k", 1, Integer::sum);
                    case 2 -> {
                        if (d.computeIfPresent("k", (k, v) -> v + 1) == null) {
                            d.merge("k", 1, Integer::sum);
                        }
                    }
                    default -> {
                        while (true) {
                            Integer old = d.get("k");
                            if (old == null ? d.putIfAbsent("k", 1) == null : d.replace("k", old, old + 1)) {
                                break;
                            }
                        }
                    }
                }
            }
        });
        assertEquals(4 * perThread, d.get("k"));
    }

    /** Concurrent readers never see a key that was never written, nor miss one that is always present. */
    @Test
    void readersDuringResizesNeverMissStableKeys() throws Exception {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        for (int i = 0; i < 64; i++) {
            d.put(-1 - i, i); // stable keys, present throughout
        }
        race(3, t -> {
            if (t == 0) {
                for (int i = 0; i < 200_000; i++) {
                    d.put(i, i);        // forces many resizes
                    if (i % 3 == 0) {
                        d.remove(i / 2);
                    }
                }
            } else {
                for (int round = 0; round < 2_000; round++) {
                    for (int i = 0; i < 64; i++) {
                        assertEquals(i, d.get(-1 - i), "stable key missed during a resize");
                    }
                }
            }
        });
        Map<Integer, Integer> copy = new ConcurrentHashMap<>(d);
        assertEquals(copy.size(), d.size());
        assertFalse(d.containsKey(-65));
    }

    /** Iterators that run while the table doubles see every stable key exactly once, whichever table it is in. */
    @Test
    void iterationDuringResizesSeesStableKeysOnce() throws Exception {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        for (int i = 0; i < 64; i++) {
            d.put(-1 - i, i);
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        race(2, t -> {
            if (t == 0) {
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < 20_000; i++) {
                        d.put(i, i); // from a small table: every round passes through several resizes
                    }
                    d.clear();
                    for (int i = 0; i < 64; i++) {
                        d.put(-1 - i, i);
                    }
                }
                done.set(true);
            } else {
                int passes = 0;
                while (!done.get() || passes < 100) {
                    int[] seen = new int[64];
                    for (Integer k : d.keySet()) {
                        if (k < 0) {
                            seen[-1 - k]++;
                        }
                    }
                    for (int i = 0; i < 64; i++) {
                        assertTrue(seen[i] <= 1, "key " + (-1 - i) + " seen " + seen[i] + " times in one pass");
                    }
                    passes++;
                }
            }
        });
        assertEquals(64, d.size()); // the last round ends with a clear and the stable keys
    }
}
