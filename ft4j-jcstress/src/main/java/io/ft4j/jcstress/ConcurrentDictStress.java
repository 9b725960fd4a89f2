package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.concurrent.ConcurrentDict;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** ConcurrentDict's claims under jcstress: a lock-free get sees a put's value complete; one winner per race. */
public class ConcurrentDictStress {
    /** A mutable value, so that publication has something to get wrong. */
    static final class Box {
        int x;
    }

    /** A get that finds the value sees everything written to it before the put (release store / acquire load). */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not there yet")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "there, and complete")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "there, but its contents not visible: the read path is not acquiring")
    @State
    public static class PutPublishesTheValue {
        private final ConcurrentDict<Integer, Box> d = new ConcurrentDict<>(0, 0.75f, 1);
        @Actor public void writer() { Box b = new Box(); b.x = 42; d.put(7, b); }
        @Actor public void reader(I_Result r) { Box b = d.get(7); r.r1 = b == null ? -1 : b.x; }
    }

    @JCStressTest
    @Outcome(id = {"1, 0, 1", "0, 2, 2"}, expect = ACCEPTABLE, desc = "exactly one putIfAbsent won and its value stayed")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won, or the loser's value replaced the winner's")
    @State
    public static class PutIfAbsentHasOneWinner {
        private final ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        @Actor public void actor1(III_Result r) { r.r1 = d.putIfAbsent(1, 1) == null ? 1 : 0; }
        @Actor public void actor2(III_Result r) { r.r2 = d.putIfAbsent(1, 2) == null ? 2 : 0; }
        @Arbiter public void arbiter(III_Result r) { r.r3 = d.get(1); }
    }

    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "exactly one remove (pop) got the value")
    @Outcome(expect = FORBIDDEN, desc = "the value was popped twice or not at all")
    @State
    public static class PopIsExactlyOnce {
        private final ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        { d.put(1, 1); }
        @Actor public void actor1(ZZ_Result r) { r.r1 = d.remove(1) != null; }
        @Actor public void actor2(ZZ_Result r) { r.r2 = d.remove(1) != null; }
    }

    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both merges counted")
    @Outcome(expect = FORBIDDEN, desc = "a merge was lost")
    @State
    public static class MergeLosesNothing {
        private final ConcurrentDict<Integer, Integer> d = new ConcurrentDict<>(0, 0.75f, 1);
        @Actor public void actor1() { d.merge(1, 1, Integer::sum); }
        @Actor public void actor2() { d.merge(1, 1, Integer::sum); }
        @Arbiter public void arbiter(I_Result r) { r.r1 = d.get(1); }
    }
}
