package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ft4j.atomic.AtomicInt64;
import org.junit.jupiter.api.Test;

/** The examples of docs/atomics.md, compiled and run; the regions between the tags are what the guide shows. */
class AtomicsGuideTest {
    @Test
    void operations() {
        // tag::operations[]
        AtomicInt64 n = new AtomicInt64(10);
        n.incr();             // 11: returns the new value
        n.decr();             // 10
        n.fetchAdd(5);        // returns 10, n is 15
        n.addAndGet(5);       // 20
        n.subAndGet(3);       // 17
        n.mulAndGet(2);       // 34, one atomic step (CAS loop with backoff)
        n.floorDivAndGet(-4); // -9: floors like Python's //, not toward zero like Java's /
        n.fetchOr(0b100);     // one atomic step, no lambda, no allocation
        n.compareExchange(-9, 0);   // 0 if it held -9; returns the value it saw (the witness)
        // end::operations[]
        assertEquals(0, n.get(), "-9 | 4 is -9 (bit 2 is set), so the exchange from -9 to 0 succeeded");
        AtomicInt64 m = new AtomicInt64(10);
        assertEquals(11, m.incr());
        assertEquals(11, m.fetchAdd(4));
        assertEquals(30, m.mulAndGet(2));
        assertEquals(-8, m.floorDivAndGet(-4));
        assertEquals(-8, m.compareExchange(1, 2), "a failed exchange returns the witness");
    }
}
