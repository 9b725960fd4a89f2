package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of an unbounded ConcurrentQueue against a sequential FIFO queue, in model-checking and stress mode.
 * Bounded queues, whose refused offers are linearizable only with no removal in progress, are checked in
 * {@link BoundedQueueLincheckTest}. {@link TinySegments} runs the same
 * operations on two-slot segments, so that segment hand-overs happen under the checker. Iterations are bounded:
 * Lincheck's defaults take minutes.
 */
@Param(name = "e", gen = IntGen.class, conf = "1:4")
public class ConcurrentQueueLincheckTest extends Linearizability {
    final ConcurrentQueue<Integer> q = newQueue();

    ConcurrentQueue<Integer> newQueue() {
        return new ConcurrentQueue<>();
    }

    @Operation public boolean offer(@Param(name = "e") int e) { return q.offer(e); }
    @Operation public Integer poll() { return q.poll(); }
    @Operation public Integer peek() { return q.peek(); }
    @Operation public boolean remove(@Param(name = "e") int e) { return q.remove(e); }
    @Operation public boolean isEmpty() { return q.isEmpty(); }

    /** The same operations on segments of two slots (run by the two tests below: Surefire skips nested classes). */
    public static class TinySegments extends ConcurrentQueueLincheckTest {
        @Override
        ConcurrentQueue<Integer> newQueue() {
            return new ConcurrentQueue<>(2, Integer.MAX_VALUE, WaitStrategy.BLOCKING);
        }
    }

    @Test
    void modelCheckingAcrossSegments() {
        Linearizability.modelCheck(TinySegments.class);
    }

    @Test
    void stressAcrossSegments() {
        Linearizability.stress(TinySegments.class);
    }
}
