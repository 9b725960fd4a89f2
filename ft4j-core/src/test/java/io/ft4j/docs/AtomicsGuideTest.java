package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ft4j.atomic.PaddedAtomicLong;
import org.junit.jupiter.api.Test;

/** The examples of docs/atomics.md, compiled and run; the regions between the tags are what the guide shows. */
class AtomicsGuideTest {
    @Test
    void operations() {
        // tag::operations[]
        PaddedAtomicLong n = new PaddedAtomicLong(10);
        n.incrementAndGet();          // 11: returns the new value
        n.getAndIncrement();          // returns 11, n is 12
        n.decrementAndGet();          // 11
        n.getAndAdd(4);               // returns 11, n is 15
        n.addAndGet(5);               // 20
        n.addAndGet(-3);              // 17: subtract by adding the negation
        n.multiplyAndGet(2);          // 34, one atomic step (CAS loop with backoff)
        n.floorDivAndGet(-4);         // -9: floors like Math.floorDiv, not toward zero like Java's /
        n.getAndBitwiseOr(0b100);     // one atomic step, no lambda, no allocation
        n.compareAndExchange(-9, 0);  // 0 if it held -9; returns the value it saw (the witness)
        // end::operations[]
        assertEquals(0, n.get(), "-9 | 4 is -9 (bit 2 is set), so the exchange from -9 to 0 succeeded");
        PaddedAtomicLong m = new PaddedAtomicLong(10);
        assertEquals(11, m.incrementAndGet());
        assertEquals(11, m.getAndAdd(4));
        assertEquals(30, m.multiplyAndGet(2));
        assertEquals(-8, m.floorDivAndGet(-4));
        assertEquals(-8, m.compareAndExchange(1, 2), "a failed exchange returns the witness");
    }
}
