package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * BatchExecutor over a counting source is linearizable to "return the next number": each load takes effect at its
 * claim. Batches of 2 make refills frequent under the checker, which explores a thread stalled between reading a
 * batch and claiming an index (ft_utils' stale-index race).
 */
public class BatchExecutorLincheckTest extends Linearizability {
    private int produced;
    private final BatchExecutor<Integer> b = new BatchExecutor<>(() -> produced++, 2);

    @Operation public Integer load() { return b.load(); }

}
