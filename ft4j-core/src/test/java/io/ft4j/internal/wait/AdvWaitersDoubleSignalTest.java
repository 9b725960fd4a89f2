package io.ft4j.internal.wait;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A woken waiter registers a fresh node (on TOP of the stack in LIFO mode) before it tests its condition. If a second
 * signal comes in that window (the waiter was preempted: simulated here by a condition that takes 20 ms once the
 * signal is consumed), it pops that fresh node instead of the other waiter's; the woken waiter then sees its
 * condition true and leaves with passOn=false, swallowing the second signal. With a counting condition (two
 * elements, two permits, two free places) one consumer takes one unit and the other stays parked while a unit is
 * available: a lost wake-up. ConcurrentQueue/ConcurrentDeque take() and put() use exactly this pattern
 * (await(elementOrStopped) then poll, no re-signal).
 *
 * Right behaviour: two signals after two units were made available wake two waiters (or the one that absorbed both
 * passes one on), so both consumers get a unit.
 */
@Timeout(30)
class AdvWaitersDoubleSignalTest {
    static void run(Waiters w) throws Exception {
        AtomicInteger permits = new AtomicInteger();
        AtomicInteger slowChecks = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2);
        Runnable consumer = () -> {
            try {
                for (;;) {
                    int p = permits.get();
                    if (p > 0 && permits.compareAndSet(p, p - 1)) {
                        done.countDown();
                        return;
                    }
                    w.await(() -> {
                        if (permits.get() > 0 && slowChecks.getAndIncrement() == 0) {
                            try { Thread.sleep(20); } catch (InterruptedException e) { throw new RuntimeException(e); }
                        }
                        return permits.get() > 0;
                    }, 0, 0, false, 0L);
                }
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        };
        Thread c1 = Thread.ofPlatform().daemon().start(consumer);
        Thread c2 = Thread.ofPlatform().daemon().start(consumer);
        io.ft4j.testing.Eventually.inState(c1, Thread.State.WAITING);
        io.ft4j.testing.Eventually.inState(c2, Thread.State.WAITING);
        permits.incrementAndGet();
        w.signal();              // wakes one consumer, which re-registers and then tests (slowly, 20 ms)
        Thread.sleep(5);
        permits.incrementAndGet();
        w.signal();              // a second unit, a second signal
        assertTrue(done.await(3, TimeUnit.SECONDS),
                "two permits and two signals, but only " + (2 - done.getCount()) + " consumer(s) got one; states "
                        + c1.getState() + "/" + c2.getState() + ", permits left " + permits.get());
    }

    @Test
    void lifoTwoSignalsWakeTwoWaiters() throws Exception {
        run(new Waiters());
    }

    @Test
    void fifoTwoSignalsWakeTwoWaiters() throws Exception {
        run(Waiters.fifo());
    }
}
