package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import io.ft4j.testing.Membership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConcurrentDictTest {

    @Test
    void basicMapOperations() {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>();
        assertTrue(d.isEmpty());
        assertNull(d.put("a", 1));
        assertEquals(1, d.put("a", 2));
        assertEquals(2, d.get("a"));
        assertTrue(d.containsKey("a"));
        assertFalse(d.containsKey("b"));
        assertTrue(d.containsValue(2));
        assertFalse(d.containsValue(1));
        assertEquals(1, d.size());
        assertEquals(7, d.getOrDefault("zz", 7));
        assertEquals(2, d.remove("a"));
        assertNull(d.remove("a"));
        assertTrue(d.isEmpty());
    }

    @Test
    void growsFarBeyondItsInitialSizeAndKeepsEverything() {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        for (int i = 0; i < 100_000; i++) {
            d.put(i, -i);
        }
        assertEquals(100_000, d.size());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(-i, d.get(i));
        }
        for (int i = 0; i < 100_000; i += 2) {
            d.remove(i);
        }
        assertEquals(50_000, d.size());
        assertNull(d.get(0));
        assertEquals(-1, d.get(1));
    }

    @Test
    void putIfAbsentIsSetdefault() {
        ConcurrentDict<String, String> d = new ConcurrentDict<>();
        assertNull(d.putIfAbsent("k", "first"));
        assertEquals("first", d.putIfAbsent("k", "second"));
        assertEquals("first", d.get("k"));
    }

    @Test
    void conditionalRemoveAndReplace() {
        ConcurrentDict<String, String> d = new ConcurrentDict<>(Map.of("k", "v"));
        assertFalse(d.remove("k", "other"));
        assertFalse(d.replace("k", "other", "x"));
        assertTrue(d.replace("k", "v", "w"));
        assertEquals("w", d.replace("k", "z"));
        assertNull(d.replace("absent", "z"));
        assertFalse(d.containsKey("absent"));
        assertTrue(d.remove("k", "z"));
        assertTrue(d.isEmpty());
    }

    @Test
    void computeFamilyFollowsTheMapContract() {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>();
        assertEquals(1, d.computeIfAbsent("a", k -> 1));
        assertEquals(1, d.computeIfAbsent("a", k -> { throw new AssertionError("must not run"); }));
        assertNull(d.computeIfAbsent("b", k -> null));
        assertFalse(d.containsKey("b"));
        assertEquals(11, d.computeIfPresent("a", (k, v) -> v + 10));
        assertNull(d.computeIfPresent("zz", (k, v) -> 5));
        assertNull(d.computeIfPresent("a", (k, v) -> null));
        assertFalse(d.containsKey("a"));
        assertEquals(3, d.compute("c", (k, v) -> v == null ? 3 : v + 1));
        assertEquals(4, d.compute("c", (k, v) -> v == null ? 3 : v + 1));
        assertNull(d.compute("c", (k, v) -> null));
        assertFalse(d.containsKey("c"));
        assertEquals(5, d.merge("m", 5, Integer::sum));
        assertEquals(7, d.merge("m", 2, Integer::sum));
        assertNull(d.merge("m", 1, (a, b) -> null));
        assertFalse(d.containsKey("m"));
    }

    @Test
    void aFunctionThatThrowsLeavesTheMapUnchanged() {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(Map.of("a", 1));
        assertThrows(IllegalArgumentException.class, () -> d.compute("a", (k, v) -> { throw new IllegalArgumentException(); }));
        assertEquals(1, d.get("a"));
        assertThrows(IllegalArgumentException.class, () -> d.computeIfAbsent("b", k -> { throw new IllegalArgumentException(); }));
        assertFalse(d.containsKey("b"));
        d.put("c", 3); // the stripe is usable again
        assertEquals(3, d.get("c"));
    }

    @Test
    void recursiveUpdatesFromAFunctionAreDetected() {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        // With one writer stripe group small enough, keys 0 and the same key certainly share a stripe.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.computeIfAbsent(1, k -> d.put(1, 2)));
        assertTrue(e.getMessage().contains("recursive update"), e.getMessage());
        assertFalse(d.containsKey(1));
        assertThrows(IllegalStateException.class, () -> d.compute(1, (k, v) -> d.merge(1, 1, Integer::sum)));
    }

    @Test
    void nullsAreRejectedLikeConcurrentHashMap() {
        ConcurrentDict<String, String> d = new ConcurrentDict<>();
        assertThrows(NullPointerException.class, () -> d.put(null, "v"));
        assertThrows(NullPointerException.class, () -> d.put("k", null));
        assertThrows(NullPointerException.class, () -> d.get(null));
        assertThrows(NullPointerException.class, () -> d.containsKey(null));
        assertThrows(NullPointerException.class, () -> d.containsValue(null));
        assertThrows(NullPointerException.class, () -> d.remove(null));
        assertThrows(NullPointerException.class, () -> d.putIfAbsent("k", null));
        assertThrows(NullPointerException.class, () -> d.merge("k", null, (a, b) -> a));
        assertThrows(NullPointerException.class, () -> d.computeIfAbsent("k", null));
        assertThrows(NullPointerException.class, () -> new ConcurrentDict<>((Map<String, String>) null));
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThrows(NullPointerException.class, () -> new ConcurrentDict<>(withNull));
    }

    @Test
    void badConstructorArgumentsNameTheRule() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConcurrentDict<>(-1)).getMessage()
                .contains("initialCapacity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConcurrentDict<>(4, 0.0f)).getMessage()
                .contains("loadFactor"));
        assertThrows(IllegalArgumentException.class, () -> new ConcurrentDict<>(4, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ConcurrentDict<>(4, -0.5f, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConcurrentDict<>(4, 0.75f, 0))
                .getMessage().contains("concurrencyLevel"));
    }

    @Test
    void constructorsTakeConcurrentHashMapsArgumentsAndSizeTheTableFromThem() {
        int floor = Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
        assertEquals(Math.max(floor, 256), new ConcurrentDict<>(100).tableLength(), "ceil(100 / 0.75) = 134 -> 256");
        assertEquals(Math.max(floor, 256), new ConcurrentDict<>(100, 0.5f).tableLength(), "200 -> 256");
        assertEquals(Math.max(floor, 512), new ConcurrentDict<>(100, 0.25f).tableLength(), "400 -> 512");
        assertEquals(4, new ConcurrentDict<>(3, 0.75f, 1).tableLength(), "4 bins for 1 writer; 3 entries fit");
        assertEquals(8, new ConcurrentDict<>(4, 0.75f, 1).tableLength(), "ceil(4 / 0.75) = 6 -> 8");
        assertEquals(256, new ConcurrentDict<>(0, 0.75f, 64).tableLength(), "4 x 64 writers");
        ConcurrentDict<Integer, Integer> sized = new ConcurrentDict<>(100, 0.75f, 1);
        for (int i = 0; i < 100; i++) {
            sized.put(i, i);
        }
        assertEquals(256, sized.tableLength(), "100 entries fit a map made for 100 without growing");
        ConcurrentDict<Integer, Integer> copy = new ConcurrentDict<>(sized);
        assertEquals(sized, copy);
        assertTrue(copy.tableLength() >= 134, "a copy is sized for its source");
    }

    @Test
    void equalsHashCodeAndToStringFollowTheMapContract() {
        Map<Integer, String> reference = new HashMap<>();
        ConcurrentDict<Integer, String> d = new ConcurrentDict<>();
        for (int i = 0; i < 50; i++) {
            reference.put(i, "v" + i);
            d.put(i, "v" + i);
        }
        assertEquals(reference, d);
        assertEquals(d, reference);
        assertEquals(reference.hashCode(), d.hashCode());
        assertEquals(new ConcurrentHashMap<>(reference), d);
        d.put(50, "x");
        assertNotEquals(reference, d);
        assertEquals("{7=v7}", new ConcurrentDict<>(Map.of(7, "v7")).toString());
    }

    @Test
    void snapshotIsAnIndependentPlainMap() {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(Map.of("a", 1, "b", 2));
        Map<String, Integer> copy = d.snapshot();
        assertEquals(Map.of("a", 1, "b", 2), copy);
        assertTrue(copy instanceof HashMap);
        d.put("c", 3);
        assertFalse(copy.containsKey("c"));
    }

    @Test
    void viewsAndIteratorsReadAndRemoveThrough() {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>();
        for (int i = 0; i < 100; i++) {
            d.put(i, i * 10);
        }
        Set<Integer> keys = new HashSet<>(d.keySet());
        assertEquals(100, keys.size());
        long sum = 0;
        for (int v : d.values()) {
            sum += v;
        }
        assertEquals(49_500, sum);
        for (Iterator<Integer> it = d.keySet().iterator(); it.hasNext(); ) {
            if (it.next() % 2 == 0) {
                it.remove();
            }
        }
        assertEquals(50, d.size());
        assertFalse(d.containsKey(0));
        for (Map.Entry<Integer, Integer> e : d.entrySet()) {
            e.setValue(-e.getKey());
        }
        assertEquals(-1, d.get(1));
        assertTrue(d.entrySet().contains(Map.entry(1, -1)));
        assertTrue(d.entrySet().remove(Map.entry(1, -1)));
        assertFalse(d.containsKey(1));
        assertTrue(d.keySet().remove(3));
        assertTrue(d.values().contains(-5));
        d.keySet().clear();
        assertTrue(d.isEmpty());
        Iterator<Integer> empty = d.keySet().iterator();
        assertFalse(empty.hasNext());
        assertThrows(java.util.NoSuchElementException.class, empty::next);
        assertThrows(IllegalStateException.class, empty::remove);
    }

    @Test
    void iterationNeverThrowsUnderModificationAndSeesEveryUntouchedEntryOnce() {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 2);
        for (int i = 0; i < 1000; i++) {
            d.put(i, i);
        }
        Set<Integer> seen = new HashSet<>();
        int added = 1000;
        for (Map.Entry<Integer, Integer> e : d.entrySet()) {
            assertTrue(seen.add(e.getKey()), "an entry came back twice: " + e.getKey());
            if (added < 20_000) {     // bounded: new entries may be visited and add more
                d.put(added, 0);      // grows the stripes (resizes) while iterating
                d.put(added + 1, 0);
                d.remove(added);      // and removes entries the iterator may or may not see
                added += 2;
            }
        }
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.contains(i), "missed key " + i + ", present from start to end");
        }
    }

    /**
     * A function that inserts another key can push the map past its threshold; the resize it starts must stop at the
     * bin the function holds (moving it would lose the function's result), throw, and be finished by a later insert.
     */
    @Test
    void aResizeStoppedByARecursiveUpdateIsFinishedLater() {
        ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1); // 4 bins, doubles past 3 entries
        for (int k : new int[] {0, 4, 1, 5}) {
            d.put(k, k); // bins 0 and 1 hold two keys each; no insert went behind two nodes, so no resize yet
        }
        // Key 8 goes behind 0 and 4 in bin 0; the nested put of 9 goes behind 1 and 5 and starts a resize, which
        // moves bins 3, 2 and 1 and then meets bin 0, locked by this very computation.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.computeIfAbsent(8, k -> d.put(9, 9)));
        assertTrue(e.getMessage().contains("recursive update"), e.getMessage());
        assertEquals(Map.of(0, 0, 4, 4, 1, 1, 5, 5, 9, 9), d.snapshot(), "half-moved table reads as one map");
        assertEquals(Set.of(0, 1, 4, 5, 9), new HashSet<>(d.keySet()));
        for (int k = 10; k < 200; k++) {
            d.put(k, k); // inserts into moved and unmoved bins, then finishes the resize and grows on
        }
        assertEquals(195, d.size());
        for (int k = 0; k < 200; k++) {
            boolean present = k >= 10 || Set.of(0, 1, 4, 5, 9).contains(k);
            assertEquals(present ? (Integer) k : null, d.get(k), "key " + k);
        }
        assertEquals(195, new HashSet<>(d.values()).size());
        d.clear();
        assertTrue(d.isEmpty());
        assertEquals(Map.of(), d.snapshot());
    }

    /**
     * One way to remove through a view: given the map and a test that the removal consults for each element it looks
     * at (the test may update the map, as a racing writer would, before it answers).
     */
    @FunctionalInterface
    interface ViewRemoval {
        void remove(ConcurrentDict<String, Integer> d, Predicate<Object> test);
    }


    private static void removeThroughIterator(Iterator<?> it, Predicate<Object> test) {
        while (it.hasNext()) {
            if (test.test(it.next())) {
                it.remove();
            }
        }
    }

    static Stream<Arguments> viewRemovals() {
        return Stream.of(
                Arguments.of("values().removeIf", (ViewRemoval) (d, t) -> d.values().removeIf(t::test)),
                Arguments.of("entrySet().removeIf", (ViewRemoval) (d, t) -> d.entrySet().removeIf(t::test)),
                Arguments.of("keySet().removeIf", (ViewRemoval) (d, t) -> d.keySet().removeIf(t::test)),
                Arguments.of("values().iterator().remove",
                        (ViewRemoval) (d, t) -> removeThroughIterator(d.values().iterator(), t)),
                Arguments.of("entrySet().iterator().remove",
                        (ViewRemoval) (d, t) -> removeThroughIterator(d.entrySet().iterator(), t)),
                Arguments.of("keySet().iterator().remove",
                        (ViewRemoval) (d, t) -> removeThroughIterator(d.keySet().iterator(), t)),
                Arguments.of("values().removeAll",
                        (ViewRemoval) (d, t) -> d.values().removeAll(Membership.of(t, Integer.MAX_VALUE))),
                Arguments.of("entrySet().removeAll",
                        (ViewRemoval) (d, t) -> d.entrySet().removeAll(Membership.of(t, Integer.MAX_VALUE))),
                Arguments.of("keySet().removeAll",
                        (ViewRemoval) (d, t) -> d.keySet().removeAll(Membership.of(t, Integer.MAX_VALUE))),
                Arguments.of("values().retainAll",
                        (ViewRemoval) (d, t) -> d.values().retainAll(Membership.of(t.negate(), Integer.MAX_VALUE))),
                Arguments.of("entrySet().retainAll",
                        (ViewRemoval) (d, t) -> d.entrySet().retainAll(Membership.of(t.negate(), Integer.MAX_VALUE))),
                Arguments.of("keySet().retainAll",
                        (ViewRemoval) (d, t) -> d.keySet().retainAll(Membership.of(t.negate(), Integer.MAX_VALUE))),
                Arguments.of("values().remove", (ViewRemoval) (d, t) -> d.values().remove(new Object() {
                    @Override
                    public boolean equals(Object o) {
                        return t.test(o);
                    }

                    @Override
                    public int hashCode() {
                        return 0;
                    }
                })));
    }

    /** Whether {@code o}, an element of some view, stands for key k holding 0: the key itself, 0, or k=0. */
    private static boolean isKHoldingZero(Object o) {
        return o.equals("k") || o.equals(0) || o.equals(Map.entry("k", 0));
    }

    /**
     * ConcurrentHashMap's behaviour for values().removeIf and entrySet().removeIf, required of every view removal
     * here: the removal decided on the value it saw, so it removes the key only if the key still holds that value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("viewRemovals")
    void aViewRemovalSparesAKeyUpdatedAfterItWasTested(String name, ViewRemoval removal) {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(Map.of("k", 0, "other", 5));
        removal.remove(d, o -> {
            if (isKHoldingZero(o)) {
                assertEquals(0, d.put("k", 1)); // a writer between the test and the removal
                return true;
            }
            return false;
        });
        assertEquals(Map.of("k", 1, "other", 5), d, name + " removed a value it never saw");

        ConcurrentDict<String, Integer> quiet = new ConcurrentDict<>(Map.of("k", 0, "other", 5));
        removal.remove(quiet, ConcurrentDictTest::isKHoldingZero);
        assertEquals(Map.of("other", 5), quiet, name + " must still remove an unchanged entry");
    }

    @Test
    void valuesRemoveIfSparesAKeyThatAnotherThreadUpdatedWhileThePredicateRan() throws Exception {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(Map.of("k", 0));
        assertFalse(d.values().removeIf(v -> {
            if (v == 0) {
                Thread writer = Thread.ofPlatform().start(() -> d.put("k", 1));
                try {
                    writer.join(); // the write certainly lands after the read and before the removal
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return v == 0;
        }), "nothing was removed, so removeIf must say so");
        assertEquals(Map.of("k", 1), d);
    }

    @Test
    void entryIteratorRemoveAfterSetValueRemovesTheValueItSet() {
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(Map.of("k", 0));
        Iterator<Map.Entry<String, Integer>> it = d.entrySet().iterator();
        Map.Entry<String, Integer> e = it.next();
        assertEquals(0, e.setValue(7));
        assertEquals(7, d.get("k"));
        it.remove();
        assertTrue(d.isEmpty(), "the caller last saw k=7, through its own setValue");
        assertThrows(IllegalStateException.class, it::remove);
    }

    @Test
    void viewSpliteratorsReportWhatConcurrentHashMapsViewsReport() {
        Map<String, Integer> content = Map.of("a", 1, "b", 2, "c", 2);
        ConcurrentDict<String, Integer> d = new ConcurrentDict<>(content);
        ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>(content);
        int concurrentNonNull = Spliterator.CONCURRENT | Spliterator.NONNULL;
        int distinct = concurrentNonNull | Spliterator.DISTINCT;
        assertEquals(distinct, d.keySet().spliterator().characteristics());
        assertEquals(concurrentNonNull, d.values().spliterator().characteristics());
        assertEquals(distinct, d.entrySet().spliterator().characteristics());
        assertEquals(chm.keySet().spliterator().characteristics(), d.keySet().spliterator().characteristics());
        assertEquals(chm.values().spliterator().characteristics(), d.values().spliterator().characteristics());
        assertEquals(chm.entrySet().spliterator().characteristics(), d.entrySet().spliterator().characteristics());
        assertEquals(content.keySet(), new HashSet<>(d.keySet().stream().toList()));
        assertEquals(5, d.values().parallelStream().mapToInt(Integer::intValue).sum());
        assertEquals(content.entrySet(), new HashSet<>(d.entrySet().stream().toList()));
        List<String> keys = new ArrayList<>();
        d.keySet().spliterator().forEachRemaining(keys::add);
        assertEquals(content.keySet(), new HashSet<>(keys));
        assertEquals(3, d.entrySet().stream().count());
    }

    /**
     * As documented: a put of another bin from inside compute that makes the table grow takes effect, then throws
     * when the resize reaches the locked bin; the map stays consistent and a later update finishes the resize.
     */
    @Test
    void aGrowingPutInsideComputeTakesEffectThenThrowsAndTheMapStaysConsistent() {
        ConcurrentDict<Integer, Integer> m = new ConcurrentDict<>(0, 0.75f, 1);
        m.put(0, 0);
        int[] threwAt = {-1};
        m.compute(0, (k, v) -> {
            for (int key = 3; key < 10_000; key += 2) { // odd keys: never bin 0's
                try {
                    m.put(key, key);
                } catch (IllegalStateException e) {
                    threwAt[0] = key;
                    return 1;
                }
            }
            return 1;
        });
        assertTrue(threwAt[0] > 0, "a put that grows the table reaches the locked bin");
        assertEquals(threwAt[0], m.get(threwAt[0]), "the put that threw took effect");
        for (int key = 10_001; key < 12_001; key++) {
            m.put(key, key);
        }
        assertEquals(1, m.get(0));
        Map<Integer, Integer> copy = new HashMap<>(m);
        assertEquals(copy.size(), m.size());
        for (int key = 3; key <= threwAt[0]; key += 2) {
            assertEquals(key, m.get(key), "key " + key);
        }
    }
}
