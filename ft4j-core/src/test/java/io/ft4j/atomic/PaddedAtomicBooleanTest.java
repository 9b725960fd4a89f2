package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Race;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PaddedAtomicBooleanTest {

    @Test
    void startsClearedOrAsGiven() {
        assertFalse(new PaddedAtomicBoolean().get());
        assertTrue(new PaddedAtomicBoolean(true).get());
        assertFalse(new PaddedAtomicBoolean(false).get());
    }

    @Test
    void setAndTheOrderedModes() {
        PaddedAtomicBoolean f = new PaddedAtomicBoolean();
        f.set(true);
        assertTrue(f.get());
        f.set(false);
        assertFalse(f.get());
        f.setRelease(true);
        assertTrue(f.getAcquire());
        f.setRelease(false);
        assertFalse(f.getAcquire());
        assertEquals("false", f.toString());
    }

    @Test
    void getAndSetReturnsThePreviousStateForBothTargets() {
        PaddedAtomicBoolean f = new PaddedAtomicBoolean();
        assertFalse(f.getAndSet(true));
        assertTrue(f.get());
        assertTrue(f.getAndSet(true));
        assertTrue(f.get());
        assertTrue(f.getAndSet(false));
        assertFalse(f.get());
        assertFalse(f.getAndSet(false));
        assertFalse(f.get());
        assertFalse(f.getAndSet(true));
    }

    @Test
    void compareAndExchangeReturnsTheWitness() {
        PaddedAtomicBoolean f = new PaddedAtomicBoolean();
        assertFalse(f.compareAndExchange(true, false)); // failed: witness false
        assertFalse(f.get());
        assertFalse(f.compareAndExchange(false, true)); // succeeded: witness false
        assertTrue(f.get());
        assertTrue(f.compareAndExchange(false, false)); // failed: witness true, unchanged
        assertTrue(f.get());
    }

    @Test
    void compareAndSet() {
        PaddedAtomicBoolean f = new PaddedAtomicBoolean();
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
            PaddedAtomicBoolean f = new PaddedAtomicBoolean();
            PaddedAtomicLong winners = new PaddedAtomicLong();
            Race.race(threads, t -> {
                if (!f.getAndSet(true)) {
                    winners.incrementAndGet();
                }
            });
            assertEquals(1L, winners.get(), "round " + round);
            assertTrue(f.get());
        }
    }
}
