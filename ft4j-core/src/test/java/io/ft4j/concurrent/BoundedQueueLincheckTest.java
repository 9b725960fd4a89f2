package io.ft4j.concurrent;

import io.ft4j.testing.Linearizability;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a bounded ConcurrentQueue at capacity 1 (on two-slot segments, so that segment hand-overs happen
 * under the checker) and at capacity 2, with readers beside producers, consumers and out-of-turn removers.
 *
 * <p>What is checked is exactly what ConcurrentQueue promises. Every result is linearizable except a refused offer
 * while another insertion or a removal is in progress (an element holds its place from the start of its insertion
 * to the end of its removal; see the class Javadoc). So {@link #offer} returns a refusal only when no other
 * insertion or removal overlapped the attempt, and tries again otherwise: a refusal that nothing in progress
 * explains fails the check. {@code size()} and
 * {@code remainingCapacity()} are estimates; their promise, a value within [0, capacity], is checked.
 */
@Param(name = "e", gen = IntGen.class, conf = "1:3")
public class BoundedQueueLincheckTest extends Linearizability {
    final int capacity;
    final ConcurrentQueue<Integer> q;
    /** Insertions and removals begun and ended: equal when none is in progress. */
    final AtomicLong started = new AtomicLong();
    final AtomicLong ended = new AtomicLong();

    public BoundedQueueLincheckTest() {
        this.capacity = capacity();
        this.q = new ConcurrentQueue<>(segmentLength(), capacity, WaitStrategy.BLOCKING);
    }

    int capacity() {
        return 1;
    }

    /** Lincheck's stress mode costs minutes here; real threads run bounded queues in the liveness harness. */
    @Override
    protected boolean stressMode() {
        return false;
    }

    int segmentLength() {
        return 2;
    }

    @Operation
    public boolean offer(@Param(name = "e") int e) {
        for (;;) {
            long before = started.get();
            boolean quiet = ended.get() == before; // no other insertion or removal in progress now
            started.incrementAndGet();
            boolean accepted;
            try {
                accepted = q.offer(e);
            } finally {
                ended.incrementAndGet();
            }
            if (accepted) {
                return true;
            }
            if (quiet && started.get() == before + 1) {
                return false; // none began during the attempt either: the queue was full
            }
            Thread.yield(); // another insertion or removal overlapped: the place it holds may have decided this
        }
    }

    @Operation
    public Integer poll() {
        started.incrementAndGet();
        try {
            return q.poll();
        } finally {
            ended.incrementAndGet();
        }
    }

    @Operation
    public boolean remove(@Param(name = "e") int e) {
        started.incrementAndGet();
        try {
            return q.remove(e);
        } finally {
            ended.incrementAndGet();
        }
    }

    @Operation public Integer peek() { return q.peek(); }
    @Operation public boolean isEmpty() { return q.isEmpty(); }
    @Operation public boolean contains(@Param(name = "e") int e) { return q.contains(e); }
    @Operation public boolean sizeInBounds() { int s = q.size(); return s >= 0 && s <= capacity; }
    @Operation
    public boolean remainingCapacityInBounds() {
        int r = q.remainingCapacity();
        return r >= 0 && r <= capacity;
    }

    /** Capacity 2 on segments of 256 slots (run by the test below: Surefire skips nested classes). */
    public static class CapacityTwo extends BoundedQueueLincheckTest {
        @Override
        int capacity() {
            return 2;
        }

        @Override
        int segmentLength() {
            return 256;
        }
    }

    @Test
    void modelCheckingCapacityTwo() {
        Linearizability.modelCheck(CapacityTwo.class);
    }
}
