package io.ft4j.concurrent;

import io.ft4j.testing.Liveness;
import io.ft4j.testing.Liveness.Config;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every blocking collection of ft4j under the liveness harness ({@link Liveness}): producers, consumers, observers and
 * removers at capacities 1, 2 and 4 (the bounded ConcurrentDeque at both ends), both wait strategies, with a watchdog
 * that fails on 2 s without progress, and exactly-once delivery checked at the end.
 */
@Timeout(120)
class BlockingCollectionsLivenessTest {
    static final int PER_PRODUCER = 3_000;

    static Stream<Config> configs() {
        List<Config> all = new ArrayList<>();
        for (int cap : new int[] {1, 2, 4}) {
            for (WaitStrategy ws : WaitStrategy.values()) {
                all.add(new Config("ConcurrentQueue(" + cap + ", " + ws + ")",
                        ConcurrentQueue.<Integer>builder().capacity(cap).waitStrategy(ws).build(), cap, 2, 2, 1, 1,
                        PER_PRODUCER, q -> ((ConcurrentQueue<Integer>) q).shutdownNow(), false));
            }
            all.add(new Config("StdConcurrentQueue(" + cap + ")", new StdConcurrentQueue<>(cap), cap, 2, 2, 1, 1,
                    PER_PRODUCER, q -> ((StdConcurrentQueue<Integer>) q).shutdownNow(), false));
            for (WaitStrategy ws : WaitStrategy.values()) {
                all.add(new Config("ConcurrentDeque(" + cap + ", " + ws + ")", new ConcurrentDeque<>(cap, ws), cap,
                        2, 2, 1, 1, PER_PRODUCER, q -> ((ConcurrentDeque<Integer>) q).shutdownNow(), false));
            }
            // The other end: producers putFirst/offerFirst, consumers takeLast/pollLast.
            all.add(new Config("ConcurrentDeque(" + cap + ", first in, last out)",
                    new FromTheFront(new ConcurrentDeque<>(cap)), cap, 2, 2, 1, 1, PER_PRODUCER,
                    q -> ((FromTheFront) q).deque.shutdownNow(), false));
        }
        for (WaitStrategy ws : WaitStrategy.values()) {
            all.add(new Config("ConcurrentQueue(unbounded, " + ws + ")",
                    ConcurrentQueue.<Integer>builder().waitStrategy(ws).build(), Integer.MAX_VALUE, 2, 2, 1, 1,
                    PER_PRODUCER, q -> ((ConcurrentQueue<Integer>) q).shutdownNow(), false));
            all.add(new Config("ConcurrentDeque(" + ws + ")", new ConcurrentDeque<>(ws), Integer.MAX_VALUE, 2, 2, 1, 1,
                    PER_PRODUCER, q -> ((ConcurrentDeque<Integer>) q).shutdownNow(), false));
        }
        // More threads than cores, few places: the case where wake-ups matter most.
        all.add(new Config("ConcurrentQueue(1, crowded)", ConcurrentQueue.<Integer>builder().capacity(1).build(), 1,
                4, 4, 2, 2, PER_PRODUCER / 2, q -> ((ConcurrentQueue<Integer>) q).shutdownNow(), false));
        // Only put and take: a lost wake-up has no timed call to hide behind and stalls the run.
        for (int cap : new int[] {1, 2}) {
            for (WaitStrategy ws : WaitStrategy.values()) {
                all.add(new Config("ConcurrentQueue(" + cap + ", " + ws + ", put/take only)",
                        ConcurrentQueue.<Integer>builder().capacity(cap).waitStrategy(ws).build(), cap, 3, 3, 1, 1,
                        PER_PRODUCER, q -> ((ConcurrentQueue<Integer>) q).shutdownNow(), true));
            }
            all.add(new Config("StdConcurrentQueue(" + cap + ", put/take only)", new StdConcurrentQueue<>(cap), cap,
                    3, 3, 1, 1, PER_PRODUCER, q -> ((StdConcurrentQueue<Integer>) q).shutdownNow(), true));
        }
        all.add(new Config("ConcurrentDeque(put/take only)", new ConcurrentDeque<>(), Integer.MAX_VALUE, 3, 3, 1, 1,
                PER_PRODUCER, q -> ((ConcurrentDeque<Integer>) q).shutdownNow(), true));
        for (int cap : new int[] {1, 2}) {
            all.add(new Config("ConcurrentDeque(" + cap + ", put/take only)", new ConcurrentDeque<>(cap), cap, 3, 3, 1,
                    1, PER_PRODUCER, q -> ((ConcurrentDeque<Integer>) q).shutdownNow(), true));
            all.add(new Config("ConcurrentDeque(" + cap + ", putFirst/takeLast only)",
                    new FromTheFront(new ConcurrentDeque<>(cap)), cap, 3, 3, 1, 1, PER_PRODUCER,
                    q -> ((FromTheFront) q).deque.shutdownNow(), true));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void noStallNoLossNoDuplicate(Config config) throws Exception {
        Liveness.run(config);
    }

    /**
     * A deque seen as a FIFO queue that producers enter at the front and consumers leave at the back, so that the
     * harness drives putFirst, offerFirst (timed and not), takeLast, pollLast (timed and not) and removals from the
     * back. Out-of-turn removal and reading go to the deque itself.
     */
    static final class FromTheFront extends AbstractQueue<Integer> implements BlockingQueue<Integer> {
        final ConcurrentDeque<Integer> deque;

        FromTheFront(ConcurrentDeque<Integer> deque) {
            this.deque = deque;
        }

        @Override public boolean offer(Integer e) { return deque.offerFirst(e); }
        @Override public void put(Integer e) throws InterruptedException { deque.putFirst(e); }
        @Override public boolean offer(Integer e, long timeout, TimeUnit unit) throws InterruptedException {
            return deque.offerFirst(e, timeout, unit);
        }
        @Override public Integer poll() { return deque.pollLast(); }
        @Override public Integer take() throws InterruptedException { return deque.takeLast(); }
        @Override public Integer poll(long timeout, TimeUnit unit) throws InterruptedException {
            return deque.pollLast(timeout, unit);
        }
        @Override public Integer peek() { return deque.peekLast(); }
        @Override public int remainingCapacity() { return deque.remainingCapacity(); }
        @Override public int size() { return deque.size(); }
        @Override public boolean isEmpty() { return deque.isEmpty(); }
        @Override public boolean remove(Object o) { return deque.removeLastOccurrence(o); }
        @Override public boolean removeIf(Predicate<? super Integer> filter) { return deque.removeIf(filter); }
        @Override public boolean contains(Object o) { return deque.contains(o); }
        @Override public Object[] toArray() { return deque.toArray(); }
        @Override public Iterator<Integer> iterator() { return deque.descendingIterator(); }
        @Override public int drainTo(Collection<? super Integer> c) { return drainTo(c, Integer.MAX_VALUE); }

        @Override
        public int drainTo(Collection<? super Integer> c, int maxElements) {
            int n = 0;
            for (Integer e; n < maxElements && (e = deque.pollLast()) != null; n++) {
                c.add(e);
            }
            return n;
        }
    }
}
