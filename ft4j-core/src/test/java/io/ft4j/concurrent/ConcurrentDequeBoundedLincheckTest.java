package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * Linearizability of a bounded ConcurrentDeque (capacity 2) against a sequential bounded deque, in model-checking
 * mode: refusals at both ends, all-or-nothing bulk insertion (a refused one returns false here) and the exact
 * remainingCapacity, with removals beside them. Every operation is one critical section, so unlike the bounded
 * ConcurrentQueue every result, refusals included, must be linearizable. Real threads run the bounded deque in
 * BlockingCollectionsLivenessTest.
 */
@Param(name = "e", gen = IntGen.class, conf = "1:3")
public class ConcurrentDequeBoundedLincheckTest extends Linearizability {
    private final ConcurrentDeque<Integer> d = new ConcurrentDeque<>(2);

    @Operation public boolean offerFirst(@Param(name = "e") int e) { return d.offerFirst(e); }
    @Operation public boolean offerLast(@Param(name = "e") int e) { return d.offerLast(e); }
    @Operation public Integer pollFirst() { return d.pollFirst(); }
    @Operation public Integer pollLast() { return d.pollLast(); }
    @Operation public boolean remove(@Param(name = "e") int e) { return d.remove(e); }
    @Operation public int remainingCapacity() { return d.remainingCapacity(); }

    @Operation
    public boolean addAllFirst(@Param(name = "e") int e) {
        try {
            return d.addAllFirst(List.of(e, e + 1));
        } catch (IllegalStateException full) {
            return false;
        }
    }

    @Override
    protected boolean stressMode() {
        return false;
    }
}
