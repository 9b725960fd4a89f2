package io.ft4j.concurrent;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * BatchExecutor over a counting source is linearizable to "return the next number": each load takes effect at its
 * claim. Batches of 2 make refills frequent under the checker, which explores a thread stalled between reading a
 * batch and claiming an index (ft_utils' stale-index race).
 */
public class BatchExecutorLincheckTest {
    private int produced;
    private final BatchExecutor<Integer> b = new BatchExecutor<>(() -> produced++, 2);

    @Operation public Integer load() { return b.load(); }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(30).invocationsPerIteration(2_000).check(getClass());
    }
}
