package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.atomic.PaddedAtomicBoolean;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** PaddedAtomicBoolean's claims under jcstress: one winner per getAndSet(true) race; release/acquire publishes. */
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
