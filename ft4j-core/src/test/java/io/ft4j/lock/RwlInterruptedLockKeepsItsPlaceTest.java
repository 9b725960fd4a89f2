package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Eventually;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * writeLock().lock() waits uninterruptibly, and parked writers are woken longest-waiting first. W1 parks in lock(),
 * then W2; W1 is interrupted: it must keep waiting in its place, and keep the interrupt for later, as with
 * ReentrantReadWriteLock, whose uninterruptible acquire keeps its queue node across interrupts. (A lock() that
 * withdrew on the interrupt and started over came back behind W2.)
 */
class RwlInterruptedLockKeepsItsPlaceTest {
    @Test
    void anInterruptDoesNotCostAnUninterruptibleWriterItsPlace() throws Exception {
        ReaderWriterLock lock = new ReaderWriterLock();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        lock.writeLock().lock();
        Blocked w1 = Blocked.start(() -> {
            lock.writeLock().lock();
            order.add(Thread.currentThread().isInterrupted() ? "W1" : "W1 without its interrupt");
            lock.writeLock().unlock();
            return null;
        });
        Blocked w2 = Blocked.start(() -> {
            lock.writeLock().lock();
            order.add("W2");
            lock.writeLock().unlock();
            return null;
        });
        w1.thread().interrupt();
        // the wait takes the flag (so that it can park again) and sets it again when it returns
        Eventually.until("W1 to take the interrupt and park again", () -> !w1.thread().isInterrupted()
                && w1.thread().getState() == Thread.State.WAITING);
        lock.writeLock().unlock();
        w1.outcome();
        w2.outcome();
        assertEquals(List.of("W1", "W2"), List.copyOf(order),
                "an interrupt sent W1, waiting uninterruptibly in lock(), behind the later writer W2");
    }
}
