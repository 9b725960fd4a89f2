package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ft4j.testing.Blocked;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Two writers park in order W1, W2 while the test holds the lock; a barging thread then takes and releases the lock
 * with tryLock() in a tight loop (it never parks). W1 is woken first, and while it retries it must stay first in
 * line, so W2 must never get the lock before W1. (When a woken writer that lost the race to the barger registered
 * again at the back, or left the line while it retried, or two releases each woke one, W2 went first in a few rounds
 * of a thousand.)
 */
class RwlWokenWriterKeepsItsPlaceTest {
    static volatile boolean stop;

    @Test
    void aWokenWriterThatLosesToABargerIsNeverPassedByALaterWriter() throws Exception {
        int rounds = Integer.getInteger("adv.rounds", 1000);
        int reversals = 0;
        for (int round = 0; round < rounds; round++) {
            ReaderWriterLock lock = new ReaderWriterLock();
            ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
            lock.writeLock().lock();
            Blocked w1 = Blocked.start(() -> {
                lock.writeLock().lock();
                order.add("W1");
                lock.writeLock().unlock();
                return null;
            });
            Blocked w2 = Blocked.start(() -> {
                lock.writeLock().lock();
                order.add("W2");
                lock.writeLock().unlock();
                return null;
            });
            stop = false;
            Thread barger = Thread.ofPlatform().daemon().start(() -> {
                while (!stop) {
                    if (lock.writeLock().tryLock()) {
                        lock.writeLock().unlock();
                    }
                }
            });
            lock.writeLock().unlock();
            w1.outcome();
            w2.outcome();
            stop = true;
            barger.join();
            if (!List.copyOf(order).equals(List.of("W1", "W2"))) {
                reversals++;
            }
        }
        assertEquals(0, reversals, reversals + " of " + rounds
                + " rounds: the later writer W2 took the lock before the longest-waiting writer W1");
    }
}
