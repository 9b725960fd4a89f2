package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.atomic.PaddedAtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

/**
 * PaddedAtomicLong's claims under jcstress: no read-modify-write loses an update (each nested test races two different
 * operations so that every operation is covered and the result names which ran first), and the memory orders give
 * what the Javadoc promises. Results are {@code r1, r2, final value}.
 */
public class PaddedAtomicLongStress {

    @JCStressTest
    @Outcome(id = "1, 1, 3", expect = ACCEPTABLE, desc = "incrementAndGet, then getAndAdd(2)")
    @Outcome(id = "3, 0, 3", expect = ACCEPTABLE, desc = "getAndAdd(2), then incrementAndGet")
    @Outcome(expect = FORBIDDEN, desc = "an update was lost or a return value is wrong")
    @State
    public static class IncrementVsGetAndAdd {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.incrementAndGet(); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.getAndAdd(2); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "-1, -3, -3", expect = ACCEPTABLE, desc = "decrementAndGet, then addAndGet(-2)")
    @Outcome(id = "-3, -2, -3", expect = ACCEPTABLE, desc = "addAndGet(-2), then decrementAndGet")
    @Outcome(expect = FORBIDDEN, desc = "an update was lost or a return value is wrong")
    @State
    public static class DecrementVsAddNegative {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.decrementAndGet(); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.addAndGet(-2); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "15, 15, 14", expect = ACCEPTABLE, desc = "addAndGet(5), then getAndAdd(-1)")
    @Outcome(id = "14, 10, 14", expect = ACCEPTABLE, desc = "getAndAdd(-1), then addAndGet(5)")
    @Outcome(expect = FORBIDDEN, desc = "an update was lost or a return value is wrong")
    @State
    public static class AddAndGetVsGetAndAddNegative {
        private final PaddedAtomicLong a = new PaddedAtomicLong(10);
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.addAndGet(5); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.getAndAdd(-1); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "2, 30, 30", expect = ACCEPTABLE, desc = "getAndMultiply(3), then multiplyAndGet(5)")
    @Outcome(id = "10, 10, 30", expect = ACCEPTABLE, desc = "multiplyAndGet(5), then getAndMultiply(3)")
    @Outcome(expect = FORBIDDEN, desc = "a multiplication was lost (CAS loop broken)")
    @State
    public static class GetAndMultiplyVsMultiplyAndGet {
        private final PaddedAtomicLong a = new PaddedAtomicLong(2);
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.getAndMultiply(3); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.multiplyAndGet(5); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "-73, -13, -13", expect = ACCEPTABLE, desc = "getAndFloorDiv(2), then floorDivAndGet(3): floor(-36.5)=-37, floor(-37/3)=-13")
    @Outcome(id = "-25, -25, -13", expect = ACCEPTABLE, desc = "floorDivAndGet(3), then getAndFloorDiv(2): floor(-73/3)=-25, floor(-25/2)=-13")
    @Outcome(expect = FORBIDDEN, desc = "a division was lost (CAS loop broken) or it truncated")
    @State
    public static class GetAndFloorDivVsFloorDivAndGet {
        private final PaddedAtomicLong a = new PaddedAtomicLong(-73);
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.getAndFloorDiv(2); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.floorDivAndGet(3); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "0, 1, 3", expect = ACCEPTABLE, desc = "getAndBitwiseOr(1), then getAndBitwiseOr(2)")
    @Outcome(id = "2, 0, 3", expect = ACCEPTABLE, desc = "getAndBitwiseOr(2), then getAndBitwiseOr(1)")
    @Outcome(expect = FORBIDDEN, desc = "a bit was lost")
    @State
    public static class GetAndBitwiseOrTwice {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.getAndBitwiseOr(1); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.getAndBitwiseOr(2); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "3, 2, 6", expect = ACCEPTABLE, desc = "getAndBitwiseAnd(~1), then getAndBitwiseXor(4)")
    @Outcome(id = "7, 3, 6", expect = ACCEPTABLE, desc = "getAndBitwiseXor(4), then getAndBitwiseAnd(~1)")
    @Outcome(expect = FORBIDDEN, desc = "a bitwise update was lost")
    @State
    public static class GetAndBitwiseAndVsXor {
        private final PaddedAtomicLong a = new PaddedAtomicLong(3);
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.getAndBitwiseAnd(~1L); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.getAndBitwiseXor(4); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "getAndSet(1), then getAndSet(2)")
    @Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "getAndSet(2), then getAndSet(1)")
    @Outcome(expect = FORBIDDEN, desc = "both saw the initial value: a value was lost")
    @State
    public static class GetAndSetVsGetAndSet {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.getAndSet(1); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.getAndSet(2); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "actor1's CAS won")
    @Outcome(id = "false, true, 2", expect = ACCEPTABLE, desc = "actor2's CAS won")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won")
    @State
    public static class CompareAndSetVsCompareAndSet {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(ZZJ_Result r) { r.r1 = a.compareAndSet(0, 1); }
        @Actor public void actor2(ZZJ_Result r) { r.r2 = a.compareAndSet(0, 2); }
        @Arbiter public void arbiter(ZZJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "actor1 won; actor2's witness is actor1's value")
    @Outcome(id = "2, 0, 2", expect = ACCEPTABLE, desc = "actor2 won; actor1's witness is actor2's value")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won, or a wrong witness")
    @State
    public static class CompareAndExchangeTwice {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.compareAndExchange(0, 1); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.compareAndExchange(0, 2); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    @JCStressTest
    @Outcome(id = "1, 4, 4", expect = ACCEPTABLE, desc = "updateAndGet(2x+1), then accumulateAndGet(3, +)")
    @Outcome(id = "7, 3, 7", expect = ACCEPTABLE, desc = "accumulateAndGet(3, +), then updateAndGet(2x+1)")
    @Outcome(expect = FORBIDDEN, desc = "an update was lost")
    @State
    public static class UpdateVsAccumulate {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void actor1(JJJ_Result r) { r.r1 = a.updateAndGet(x -> 2 * x + 1); }
        @Actor public void actor2(JJJ_Result r) { r.r2 = a.accumulateAndGet(3, Long::sum); }
        @Arbiter public void arbiter(JJJ_Result r) { r.r3 = a.get(); }
    }

    /** Message passing: data written before {@code setRelease} is visible after {@code getAcquire} sees the flag. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "flag not seen yet")
    @Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "flag not seen yet, data seen early")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "flag and data seen")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag seen without the data written before it: release/acquire broken")
    @State
    public static class ReleaseAcquirePublishes {
        private final PaddedAtomicLong flag = new PaddedAtomicLong();
        private final PaddedAtomicLong data = new PaddedAtomicLong();
        @Actor public void writer() { data.setPlain(42); flag.setRelease(1); }
        @Actor public void reader(JJ_Result r) { r.r1 = flag.getAcquire(); r.r2 = data.getPlain(); }
    }

    /** Dekker's store-load pattern: volatile set/get forbid both threads missing each other's write. */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both missed: volatile set/get not sequentially consistent")
    @State
    public static class VolatileIsSequentiallyConsistent {
        private final PaddedAtomicLong x = new PaddedAtomicLong();
        private final PaddedAtomicLong y = new PaddedAtomicLong();
        @Actor public void actor1(JJ_Result r) { x.set(1); r.r1 = y.get(); }
        @Actor public void actor2(JJ_Result r) { y.set(1); r.r2 = x.get(); }
    }

    /** The counterpart: release/acquire alone does not order a store before a later load (documented, allowed). */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "at least one saw the other")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "both missed: allowed for release/acquire (store-load reordering)")
    @State
    public static class ReleaseAcquireIsNotSequentiallyConsistent {
        private final PaddedAtomicLong x = new PaddedAtomicLong();
        private final PaddedAtomicLong y = new PaddedAtomicLong();
        @Actor public void actor1(JJ_Result r) { x.setRelease(1); r.r1 = y.getAcquire(); }
        @Actor public void actor2(JJ_Result r) { y.setRelease(1); r.r2 = x.getAcquire(); }
    }

    /** Opaque mode is coherent: a reader never sees the variable go back to an older value. */
    @JCStressTest
    @Outcome(id = {"0, 0", "0, 1", "0, 2", "1, 1", "1, 2", "2, 2"}, expect = ACCEPTABLE, desc = "reads in write order")
    @Outcome(id = {"1, 0", "2, 0", "2, 1"}, expect = FORBIDDEN, desc = "the value went back in time: not coherent")
    @State
    public static class OpaqueIsCoherent {
        private final PaddedAtomicLong a = new PaddedAtomicLong();
        @Actor public void writer() { a.setOpaque(1); a.setOpaque(2); }
        @Actor public void reader(JJ_Result r) { r.r1 = a.getOpaque(); r.r2 = a.getOpaque(); }
    }
}
