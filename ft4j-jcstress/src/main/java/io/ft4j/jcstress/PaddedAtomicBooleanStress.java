package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.atomic.PaddedAtomicBoolean;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/** PaddedAtomicBoolean's claims under jcstress: one winner per getAndSet(true) race; getAndSet to either
 * state is one atomic exchange; release/acquire publishes. */
public class PaddedAtomicBooleanStress {

    @JCStressTest
    @Outcome(id = {"false, true", "true, false"}, expect = ACCEPTABLE, desc = "exactly one thread won")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won")
    @State
    public static class OneGetAndSetTrueWins {
        private final PaddedAtomicBoolean f = new PaddedAtomicBoolean();
        @Actor public void actor1(ZZ_Result r) { r.r1 = f.getAndSet(true); }
        @Actor public void actor2(ZZ_Result r) { r.r2 = f.getAndSet(true); }
    }

    /**
     * getAndSet reads first and writes only when the flag differs (test-and-test-and-set), for either target: a
     * setter and a clearer racing from false still behave as two atomic exchanges. r1, r2 = the previous states
     * they returned, r3 = the final state.
     */
    @JCStressTest
    @Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "set, then cleared")
    @Outcome(id = "false, false, true", expect = ACCEPTABLE, desc = "cleared (no change), then set")
    @Outcome(expect = FORBIDDEN, desc = "a previous state no order explains: the read-first shortcut broke atomicity")
    @State
    public static class GetAndSetTrueVsFalse {
        private final PaddedAtomicBoolean f = new PaddedAtomicBoolean();
        @Actor public void setter(ZZZ_Result r) { r.r1 = f.getAndSet(true); }
        @Actor public void clearer(ZZZ_Result r) { r.r2 = f.getAndSet(false); }
        @Arbiter public void arbiter(ZZZ_Result r) { r.r3 = f.get(); }
    }

    /**
     * Store buffering through two getAndSet(true) calls on a flag that is already true: each call only reads and
     * fences, yet, as two exchanges on AtomicBoolean, one must see the other's earlier plain store. r1, r2 = what
     * each thread read of the other's field after its getAndSet.
     */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "at least one store seen, as with two exchanges")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both loads passed the stores: getAndSet lost its write ordering")
    @State
    public static class GetAndSetThatDoesNotWriteStillOrders {
        private final PaddedAtomicBoolean f = new PaddedAtomicBoolean(true);
        private int x;
        private int y;
        @Actor public void a(II_Result r) { x = 1; f.getAndSet(true); r.r1 = y; }
        @Actor public void b(II_Result r) { y = 1; f.getAndSet(true); r.r2 = x; }
    }

    @JCStressTest
    @Outcome(id = {"0, 0", "0, 42", "1, 42"}, expect = ACCEPTABLE, desc = "flag unseen, or flag and data seen")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag seen without the data written before it")
    @State
    public static class ReleaseAcquirePublishes {
        private final PaddedAtomicBoolean flag = new PaddedAtomicBoolean();
        private int data;
        @Actor public void writer() { data = 42; flag.setRelease(true); }
        @Actor public void reader(II_Result r) { r.r1 = flag.getAcquire() ? 1 : 0; r.r2 = data; }
    }
}
