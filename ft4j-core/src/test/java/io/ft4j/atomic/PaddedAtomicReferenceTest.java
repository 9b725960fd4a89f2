package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import io.ft4j.testing.Race;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PaddedAtomicReferenceTest {

    @Test
    void holdsNullByDefaultAndAnyReferenceInEveryMode() {
        assertNull(new PaddedAtomicReference<String>().get());
        String a = "a";
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>(a);
        assertSame(a, ref.get());
        assertSame(a, ref.getPlain());
        assertSame(a, ref.getOpaque());
        assertSame(a, ref.getAcquire());
        ref.set(null);
        assertNull(ref.get());
        ref.setPlain("p");
        assertEquals("p", ref.getAcquire());
        ref.setOpaque("o");
        assertEquals("o", ref.getOpaque());
        ref.setRelease("r");
        assertEquals("r", ref.get());
        assertEquals("r", ref.toString());
        ref.set(null);
        assertEquals("null", ref.toString());
    }

    @Test
    void exchangeReturnsThePrevious() {
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>("x");
        assertEquals("x", ref.getAndSet("y"));
        assertEquals("y", ref.getAndSet(null));
        assertNull(ref.get());
    }

    @Test
    void compareAndSetComparesIdentityNotEquality() {
        String stored = new String("same");
        String equalButDistinct = new String("same");
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>(stored);
        assertFalse(ref.compareAndSet(equalButDistinct, "new"));
        assertSame(stored, ref.get());
        assertTrue(ref.compareAndSet(stored, "new"));
        assertEquals("new", ref.get());
    }

    @Test
    void compareAndExchangeReturnsTheWitnessByIdentity() {
        String stored = new String("v");
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>(stored);
        assertSame(stored, ref.compareAndExchange(new String("v"), "no"));
        assertSame(stored, ref.get());
        assertSame(stored, ref.compareAndExchange(stored, "w"));
        assertEquals("w", ref.get());
        String w = ref.get();
        assertSame(w, ref.compareAndExchangeAcquire(w, "a"));
        assertEquals("a", ref.compareAndExchangeAcquire("zz", "b"));
        String cur = ref.get();
        assertSame(cur, ref.compareAndExchangeRelease(cur, "r"));
        assertEquals("r", ref.get());
        String r = ref.get();
        while (!ref.weakCompareAndSetVolatile(r, "weak")) { /* spurious failure: retry */ }
        assertEquals("weak", ref.get());
        assertFalse(ref.weakCompareAndSetVolatile("nope", "x"));
    }

    @Test
    void functionUpdatesReturnOldOrNewAsNamed() {
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>("a");
        assertEquals("a", ref.getAndUpdate(s -> s + "b"));
        assertEquals("abc", ref.updateAndGet(s -> s + "c"));
        assertEquals("abc", ref.getAndAccumulate("d", String::concat));
        assertEquals("abcde", ref.accumulateAndGet("e", String::concat));
    }

    @Test
    void nullFunctionsAreRejected() {
        PaddedAtomicReference<String> ref = new PaddedAtomicReference<>("a");
        assertThrows(NullPointerException.class, () -> ref.updateAndGet((UnaryOperator<String>) null));
        assertThrows(NullPointerException.class, () -> ref.getAndUpdate(null));
        assertThrows(NullPointerException.class, () -> ref.accumulateAndGet("x", (BinaryOperator<String>) null));
        assertThrows(NullPointerException.class, () -> ref.getAndAccumulate("x", null));
        assertEquals("a", ref.get());
    }

    @Test
    @Timeout(60)
    void concurrentUpdatesLoseNothing() throws Exception {
        // Each update conses a fresh node onto an immutable list; a lost update would drop a node.
        record Node(int value, Node next) {}
        int perThread = 50_000;
        int threads = 8;
        PaddedAtomicReference<Node> head = new PaddedAtomicReference<>();
        Race.race(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                int v = i;
                if ((i & 1) == 0) {
                    head.updateAndGet(n -> new Node(v, n));
                } else {
                    head.getAndAccumulate(null, (n, ignored) -> new Node(v, n));
                }
            }
        });
        int count = 0;
        for (Node n = head.get(); n != null; n = n.next()) {
            count++;
        }
        assertEquals(threads * perThread, count);
    }

    @Test
    @Timeout(60)
    void exchangeHandsEveryObjectToExactlyOneThread() throws Exception {
        int perThread = 50_000;
        int threads = 4;
        Object[][] seen = new Object[threads][perThread];
        PaddedAtomicReference<Object> cell = new PaddedAtomicReference<>();
        Race.race(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                seen[t][i] = cell.getAndSet(new Object());
            }
        });
        java.util.Set<Object> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Object> nonNull = new ArrayList<>();
        for (Object[] row : seen) {
            for (Object o : row) {
                if (o != null) {
                    nonNull.add(o);
                    assertTrue(all.add(o), "an object came out of exchange twice");
                }
            }
        }
        // All but the last object stored come out once; exactly one null (the initial value) comes out.
        assertEquals(threads * perThread - 1, nonNull.size());
        assertFalse(all.contains(cell.get()));
    }
}
