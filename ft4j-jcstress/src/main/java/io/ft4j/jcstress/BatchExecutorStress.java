package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.concurrent.BatchExecutor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/** BatchExecutor under jcstress: two racing loads across a refill get distinct results, in production order. */
public class BatchExecutorStress {

    /** Batches of one: every load refills, so the race is between a claim and a refill. */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "each load got its own result")
    @Outcome(expect = FORBIDDEN, desc = "a result was handed out twice (stale-index race) or lost")
    @State
    public static class TwoLoadsTwoResults {
        private int next;
        private final BatchExecutor<Integer> b = new BatchExecutor<>(() -> next++, 1);
        @Actor public void actor1(II_Result r) { r.r1 = b.load(); }
        @Actor public void actor2(II_Result r) { r.r2 = b.load(); }
    }
}
