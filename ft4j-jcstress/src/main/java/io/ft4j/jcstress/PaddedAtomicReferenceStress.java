package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.atomic.PaddedAtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** PaddedAtomicReference's claims under jcstress: getAndSet and CAS lose nothing, and a released reference publishes. */
public class PaddedAtomicReferenceStress {
    /** A mutable box, so that publication has something to get wrong. */
    static final class Box {
        int x;
        Box(int x) { this.x = x; }
    }

    private static final Box ONE = new Box(1);
    private static final Box TWO = new Box(2);

    private static int id(Box b) { return b == null ? 0 : b.x; }

    @JCStressTest
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "getAndSet(ONE), then getAndSet(TWO)")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "getAndSet(TWO), then getAndSet(ONE)")
    @Outcome(expect = FORBIDDEN, desc = "a reference was lost")
    @State
    public static class GetAndSetVsGetAndSet {
        private final PaddedAtomicReference<Box> ref = new PaddedAtomicReference<>();
        @Actor public void actor1(III_Result r) { r.r1 = id(ref.getAndSet(ONE)); }
        @Actor public void actor2(III_Result r) { r.r2 = id(ref.getAndSet(TWO)); }
        @Arbiter public void arbiter(III_Result r) { r.r3 = id(ref.get()); }
    }

    @JCStressTest
    @Outcome(id = "1, 11, 11", expect = ACCEPTABLE, desc = "CAS(null, ONE), then updateAndGet (ONE -> Box(11))")
    @Outcome(id = "0, 10, 10", expect = ACCEPTABLE, desc = "updateAndGet (null -> Box(10)) first, the CAS failed")
    @Outcome(expect = FORBIDDEN, desc = "an update was lost")
    @State
    public static class CompareAndSetVsUpdate {
        private final PaddedAtomicReference<Box> ref = new PaddedAtomicReference<>();
        @Actor public void actor1(III_Result r) { r.r1 = ref.compareAndSet(null, ONE) ? 1 : 0; }
        @Actor public void actor2(III_Result r) { r.r2 = id(ref.updateAndGet(b -> new Box(10 + id(b)))); }
        @Arbiter public void arbiter(III_Result r) { r.r3 = id(ref.get()); }
    }

    /** Publication: a Box filled in with plain writes and stored with setRelease is seen filled in. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not published yet")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "published and fully visible")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "published but the contents were not visible")
    @State
    public static class ReleasePublishesTheObject {
        private final PaddedAtomicReference<Box> ref = new PaddedAtomicReference<>();
        @Actor public void writer() { Box b = new Box(0); b.x = 42; ref.setRelease(b); }
        @Actor public void reader(I_Result r) { Box b = ref.getAcquire(); r.r1 = b == null ? -1 : b.x; }
    }
}
