package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.internal.wait.Waiters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The wait layer's claim: a signaller that makes the condition true and then signals can never miss a waiter that
 * registers at the same moment (Dekker between the waiter's push-then-test and the signaller's write-then-read).
 * The waiter neither spins nor yields, so it always goes through registration; a lost wake-up shows as a timeout
 * (outcome 0) or, when jcstress gives up on the stuck actor first, as a hard error: both fail the run. The window is
 * narrow: a planted bug (test before registering) was caught as hard errors in one quick run and missed in another.
 */
public class WaitersStress {
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the waiter saw the condition (by its own test or by the signal)")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "the waiter timed out: a wake-up was lost")
    @State
    public static class NoLostWakeUp {
        private final Waiters waiters = new Waiters();
        private volatile boolean ready;

        @Actor
        public void signaller() {
            ready = true;
            if (waiters.hasWaiters()) {
                waiters.signal();
            }
        }

        @Actor
        public void waiter(I_Result r) {
            try {
                r.r1 = waiters.await(() -> ready, 0, 0, true, System.nanoTime() + 2_000_000_000L) ? 1 : 0;
            } catch (InterruptedException e) {
                r.r1 = -1;
            }
        }
    }

    /** The same claim for a first-in first-out wait point, whose waiters join a list under a monitor. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the waiter saw the condition (by its own test or by the signal)")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "the waiter timed out: a wake-up was lost")
    @State
    public static class NoLostWakeUpFifo {
        private final Waiters waiters = Waiters.fifo();
        private volatile boolean ready;

        @Actor
        public void signaller() {
            ready = true;
            if (waiters.hasWaiters()) {
                waiters.signalUnlessPending();
            }
        }

        @Actor
        public void waiter(I_Result r) {
            try {
                r.r1 = waiters.await(() -> ready, 0, 0, true, System.nanoTime() + 2_000_000_000L) ? 1 : 0;
            } catch (InterruptedException e) {
                r.r1 = -1;
            }
        }
    }
}
