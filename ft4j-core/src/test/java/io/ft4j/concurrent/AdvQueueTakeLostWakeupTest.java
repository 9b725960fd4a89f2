package io.ft4j.concurrent;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rounds of: N consumers parked in take(), then N offers back to back. Every consumer must get an element within
 * 3 s. Two spinning hog threads make preemption of a just-woken consumer likely (the window in which its freshly
 * registered node absorbs a second offer's signal, see AdvWaitersDoubleSignalTest).
 *
 * Right behaviour: N elements offered to N parked takers wake all N.
 */
@Timeout(120)
class AdvQueueTakeLostWakeupTest {
    static void rounds(Supplier<BlockingQueue<Integer>> factory, int n, long millis) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hogs.add(Thread.ofPlatform().daemon().start(() -> { while (!stop.get()) Thread.onSpinWait(); }));
        }
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (int round = 0; System.nanoTime() < end; round++) {
                BlockingQueue<Integer> q = factory.get();
                CountDownLatch got = new CountDownLatch(n);
                List<Thread> cs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    cs.add(Thread.ofPlatform().daemon().start(() -> {
                        try { q.take(); got.countDown(); } catch (Exception e) { /* interrupted at the end */ }
                    }));
                }
                for (Thread c : cs) {
                    long d = System.nanoTime() + 2_000_000_000L;
                    while (c.getState() != Thread.State.WAITING && System.nanoTime() < d) Thread.onSpinWait();
                }
                long gap = (round % 64) * 1_000L; // 0..63 us between offers: lands the 2nd signal in the woken taker's window
                for (int i = 0; i < n; i++) {
                    q.offer(i);
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < gap) Thread.onSpinWait();
                }
                if (!got.await(3, TimeUnit.SECONDS)) {
                    int left = q.size();
                    long parked = got.getCount();
                    cs.forEach(Thread::interrupt);
                    fail("round " + round + " (gap " + gap / 1000 + " us): " + parked + " of " + n + " takers still parked while the queue"
                            + " holds " + left + " element(s)");
                }
            }
        } finally {
            stop.set(true);
        }
    }

    @Test
    void concurrentQueueTakersAllWake() throws Exception {
        rounds(ConcurrentQueue::new, 2, 40_000);
    }

    /** The mirror image: 2 producers parked in put() on a full queue of capacity 2, then 2 polls with a gap. */
    @Test
    void concurrentQueuePuttersAllWake() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hogs.add(Thread.ofPlatform().daemon().start(() -> { while (!stop.get()) Thread.onSpinWait(); }));
        }
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int round = 0; System.nanoTime() < end; round++) {
                ConcurrentQueue<Integer> q = new ConcurrentQueue<>(2);
                q.offer(-1);
                q.offer(-2);
                CountDownLatch put = new CountDownLatch(2);
                List<Thread> ps = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    final int v = i;
                    ps.add(Thread.ofPlatform().daemon().start(() -> {
                        try { q.put(v); put.countDown(); } catch (Exception e) { /* interrupted at the end */ }
                    }));
                }
                for (Thread p : ps) {
                    long d = System.nanoTime() + 2_000_000_000L;
                    while (p.getState() != Thread.State.WAITING && System.nanoTime() < d) Thread.onSpinWait();
                }
                long gap = (round % 64) * 1_000L;
                for (int i = 0; i < 2; i++) {
                    q.poll();
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < gap) Thread.onSpinWait();
                }
                if (!put.await(3, TimeUnit.SECONDS)) {
                    long parked = put.getCount();
                    int room = q.remainingCapacity();
                    ps.forEach(Thread::interrupt);
                    fail("round " + round + " (gap " + gap / 1000 + " us): " + parked + " of 2 putters still parked"
                            + " while the queue has room for " + room);
                }
            }
        } finally {
            stop.set(true);
        }
    }
}
