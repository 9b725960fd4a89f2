package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Race;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AtomicFlagTest {

    @Test
    void startsClearedOrAsGiven() {
        assertFalse(new AtomicFlag().get());
        assertTrue(new AtomicFlag(true).get());
        assertFalse(new AtomicFlag(false).get());
    }

    @Test
    void setClearAndTheOrderedModes() {
        AtomicFlag f = new AtomicFlag();
        f.set(true);
        assertTrue(f.get());
        f.clear();
        assertFalse(f.get());
        f.setRelease(true);
        assertTrue(f.getAcquire());
        f.setRelease(false);
        assertFalse(f.getAcquire());
        assertEquals("false", f.toString());
    }

    @Test
    void testAndSetReturnsThePreviousState() {
        AtomicFlag f = new AtomicFlag();
        assertFalse(f.testAndSet());
        assertTrue(f.get());
        assertTrue(f.testAndSet());
        assertTrue(f.get());
        f.clear();
        assertFalse(f.testAndSet());
    }

    @Test
    void compareAndSet() {
        AtomicFlag f = new AtomicFlag();
        assertFalse(f.compareAndSet(true, false));
        assertTrue(f.compareAndSet(false, true));
        assertTrue(f.get());
        assertFalse(f.compareAndSet(false, true));
        assertTrue(f.compareAndSet(true, false));
        assertFalse(f.get());
    }

    @Test
    @Timeout(60)
    void exactlyOneRacerWinsEachRound() throws Exception {
        int threads = 4;
        for (int round = 0; round < 500; round++) {
            AtomicFlag f = new AtomicFlag();
            AtomicInt64 winners = new AtomicInt64();
            Race.race(threads, t -> {
                if (!f.testAndSet()) {
                    winners.incr();
                }
            });
            assertEquals(1L, winners.get(), "round " + round);
            assertTrue(f.get());
        }
    }
}
