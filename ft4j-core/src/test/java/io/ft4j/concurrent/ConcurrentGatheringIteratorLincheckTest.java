package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The first failure wins, and stays: fail(i) is linearizable to "keep i unless a failure is kept", and the cause a
 * consumer gets is the kept one. The model checker stalls one fail() between its test of the kept failure and its
 * write, which a check-then-set lets overwrite a failure the consumer has already seen. One consumer at a time is the
 * contract, so the consumer's operation is in one non-parallel group.
 */
@Param(name = "cause", gen = IntGen.class, conf = "0:2")
public class ConcurrentGatheringIteratorLincheckTest extends Linearizability {
    private static final List<RuntimeException> CAUSES = List.of(
            new RuntimeException("cause 0"), new RuntimeException("cause 1"), new RuntimeException("cause 2"));

    private final ConcurrentGatheringIterator<Integer> g = new ConcurrentGatheringIterator<>();

    /** Lincheck's stress mode costs a minute here; real threads race fail() in ConcurrentGatheringIteratorTest. */
    @Override
    protected boolean stressMode() {
        return false;
    }

    @Operation
    public void fail(@Param(name = "cause") int cause) {
        g.fail(CAUSES.get(cause));
    }

    /** @return the index of the cause the consumer gets, or -1 if the gather has not failed */
    @Operation(nonParallelGroup = "consumer")
    public int cause() {
        if (!g.isFailed()) {
            return -1;
        }
        try {
            g.iterator(0, false).next(); // key 0 is never inserted: a failed gather throws at once
            throw new AssertionError("a failed gather delivered a key that was never inserted");
        } catch (ConcurrentGatheringIterator.GatheringException e) {
            return CAUSES.indexOf(e.getCause());
        }
    }
}
