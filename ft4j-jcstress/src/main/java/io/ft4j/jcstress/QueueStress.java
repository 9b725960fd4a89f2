package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.concurrent.ConcurrentDeque;
import io.ft4j.concurrent.ConcurrentQueue;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** ConcurrentQueue's and ConcurrentDeque's claims under jcstress: safe publication, and shutdown loses nothing. */
public class QueueStress {
    /** A mutable element, so that publication has something to get wrong. */
    static final class Box {
        int x;
    }

    /** An element taken from the queue is seen complete: the producer's store and the consumer's swap pair up. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not there yet")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "taken, and complete")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "taken, but its contents not visible")
    @State
    public static class OfferPublishesTheElement {
        private final ConcurrentQueue<Box> q = new ConcurrentQueue<>();
        @Actor public void producer() { Box b = new Box(); b.x = 42; q.offer(b); }
        @Actor public void consumer(I_Result r) { Box b = q.poll(); r.r1 = b == null ? -1 : b.x; }
    }

    /**
     * An offer racing shutdownNow: the element is either refused (offer returns false) or accepted, and then it was
     * either handed back by shutdownNow or is still there for nobody: r1 = accepted, r2 = handed back.
     */
    @JCStressTest
    @Outcome(id = {"0, 0", "1, 1"}, expect = ACCEPTABLE, desc = "refused, or accepted and handed back")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "accepted but neither taken nor handed back: lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "refused but handed back: delivered to a caller told it failed")
    @State
    public static class ShutdownNowLosesNothing {
        private final ConcurrentQueue<Integer> q = new ConcurrentQueue<>();
        private List<Integer> rest = List.of();
        private volatile int accepted;

        @Actor
        public void producer() {
            accepted = q.offer(1) ? 1 : 0; // a shut-down queue refuses with false, as BlockingQueue.offer does
        }

        @Actor
        public void stopper() {
            rest = q.shutdownNow();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = accepted;
            r.r2 = rest.size() + q.size();
        }
    }

    /** The same race through {@code add}, which refuses by throwing {@link io.ft4j.concurrent.ShutDownException}. */
    @JCStressTest
    @Outcome(id = {"0, 0", "1, 1"}, expect = ACCEPTABLE, desc = "refused, or accepted and handed back")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "accepted but neither taken nor handed back: lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "refused but handed back: delivered to a caller told it failed")
    @State
    public static class AddRacingShutdownNowLosesNothing {
        private final ConcurrentQueue<Integer> q = new ConcurrentQueue<>();
        private List<Integer> rest = List.of();
        private volatile int accepted;

        @Actor
        public void producer() {
            try {
                q.add(1);
                accepted = 1;
            } catch (IllegalStateException refused) {
                accepted = 0;
            }
        }

        @Actor
        public void stopper() {
            rest = q.shutdownNow();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = accepted;
            r.r2 = rest.size() + q.size();
        }
    }

    /**
     * A reader racing a producer on an empty capacity-1 queue never makes the producer's offer fail: readers close a
     * slot whose producer has not stored yet, which must cost the producer a retry, never its place. r1 = the offer's
     * result (1 accepted), r2 = what peek saw (-1 nothing, else the element).
     */
    @JCStressTest
    @Outcome(id = {"1, -1", "1, 1"}, expect = ACCEPTABLE, desc = "accepted; peek saw the queue before or after")
    @Outcome(id = {"0, -1", "0, 1"}, expect = FORBIDDEN, desc = "a reader made an offer on an empty queue fail")
    @State
    public static class ReaderNeverRefusesAnOffer {
        private final ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().capacity(1).build();
        @Actor public void producer(II_Result r) { r.r1 = q.offer(1) ? 1 : 0; }
        @Actor public void reader(II_Result r) { q.isEmpty(); q.contains(1); Integer e = q.peek(); r.r2 = e == null ? -1 : e; }
    }

    /**
     * The same race after the queue's one place was used and given back (an offer and a poll), so that the reader
     * meets the positions a consumer left behind: still the offer must succeed.
     */
    @JCStressTest
    @Outcome(id = {"1, -1", "1, 2"}, expect = ACCEPTABLE, desc = "accepted; peek saw the queue before or after")
    @Outcome(id = {"0, -1", "0, 2"}, expect = FORBIDDEN, desc = "a reader made an offer on an empty queue fail")
    @State
    public static class ReaderNeverRefusesAnOfferAfterAPoll {
        private final ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().capacity(1).build();

        public ReaderNeverRefusesAnOfferAfterAPoll() {
            q.offer(1);
            q.poll();
        }

        @Actor public void producer(II_Result r) { r.r1 = q.offer(2) ? 1 : 0; }
        @Actor public void reader(II_Result r) { q.size(); Integer e = q.peek(); q.isEmpty(); r.r2 = e == null ? -1 : e; }
    }

    /** The deque publishes through its monitor: an element taken from either end is seen complete. */
    @JCStressTest
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "not there yet")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "taken, and complete")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "taken, but its contents not visible")
    @State
    public static class DequePublishesTheElement {
        private final ConcurrentDeque<Box> d = new ConcurrentDeque<>();
        @Actor public void producer() { Box b = new Box(); b.x = 42; d.addFirst(b); }
        @Actor public void consumer(I_Result r) { Box b = d.pollLast(); r.r1 = b == null ? -1 : b.x; }
    }
}
