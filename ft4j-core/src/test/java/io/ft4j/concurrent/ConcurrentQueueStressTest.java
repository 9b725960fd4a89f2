package io.ft4j.concurrent;

import static io.ft4j.testing.Race.race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.ft4j.testing.Blocked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ft_utils' queue and deque stress scenarios 6, 7 and 8 (inventory 4.2), and a shutdown race. */
@Timeout(120)
class ConcurrentQueueStressTest {

    /** Scenario 6, the timeout storm: consumers time out again and again while values trickle in; none is lost. */
    @Test
    void timeoutStormLosesNothing() throws Exception {
        for (WaitStrategy ws : WaitStrategy.values()) {
            ConcurrentQueue<Integer> q = ConcurrentQueue.<Integer>builder().waitStrategy(ws).build();
            int values = 512;
            ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
            AtomicInteger timeouts = new AtomicInteger();
            race(5, t -> {
                try {
                    if (t == 0) {
                        for (int i = 0; i < values; i++) {
                            q.put(i);
                            if (i % 8 == 0) {
                                Thread.sleep(1); // pacing, so that consumers time out in between
                            }
                        }
                    } else {
                        while (received.size() < values) {
                            Integer v = q.poll(ThreadLocalRandom.current().nextInt(0, 3), TimeUnit.MILLISECONDS);
                            if (v == null) {
                                timeouts.incrementAndGet();
                            } else {
                                received.add(v);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            BitSet seen = new BitSet();
            received.forEach(v -> {
                assertTrue(!seen.get(v), "value " + v + " received twice");
                seen.set(v);
            });
            assertEquals(values, seen.cardinality(), ws + ": every value received once");
            assertTrue(timeouts.get() > 0, "the storm produced timeouts");
            assertEquals(0, q.size(), "no placeholder left behind");
        }
    }

    /** Scenario 7: the queue.Queue facade's join with ten consumers, and a blocked put released by shutdown. */
    @Test
    void joinWaitsForTenConsumersAndShutdownReleasesABlockedPut() throws Exception {
        StdConcurrentQueue<Integer> q = new StdConcurrentQueue<>(16);
        AtomicInteger done = new AtomicInteger();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            consumers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        q.take();
                        done.incrementAndGet();
                        q.taskDone();
                    }
                } catch (ShutDownException | InterruptedException end) {
                    // the queue was shut down: this consumer is finished
                }
            }));
        }
        for (int i = 0; i < 10_000; i++) {
            q.put(i); // blocks whenever 16 are waiting
        }
        q.join();
        assertEquals(10_000, done.get(), "join returned before every task was done");
        assertEquals(0, q.unfinishedTasks());
        assertThrows(IllegalStateException.class, q::taskDone);
        q.shutdown();
        for (Thread c : consumers) {
            c.join();
        }

        StdConcurrentQueue<Integer> full = new StdConcurrentQueue<>(1);
        full.put(1);
        Blocked blocked = Blocked.start(() -> {
            full.put(2); // full: parks
            return null;
        });
        full.shutdown();
        assertInstanceOf(ShutDownException.class, blocked.outcome());
        assertEquals(1, full.unfinishedTasks(), "the refused put is not a task");
        CountDownLatch joined = new CountDownLatch(1);
        Thread joiner = Thread.ofPlatform().start(() -> {
            try {
                full.join();
                joined.countDown();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(1), full.shutdownNow()); // releases join
        assertTrue(joined.await(10, TimeUnit.SECONDS));
        joiner.join();
    }

    /**
     * N producers and M consumers while the queue is shut down (gracefully or at once) at a random moment: every
     * element whose insertion returned is taken exactly once or returned by shutdownNow exactly once.
     */
    @Test
    void shutdownRaceAccountsForEveryAcceptedElement() throws Exception {
        for (int round = 0; round < 40; round++) {
            boolean now = round % 2 == 0;
            BlockingQueue<Integer> q = round % 4 < 2
                    ? ConcurrentQueue.<Integer>builder().scaling(1).build()
                    : ConcurrentQueue.<Integer>builder().scaling(1).capacity(64).build();
            ConcurrentLinkedQueue<Integer> accepted = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Integer> taken = new ConcurrentLinkedQueue<>();
            List<Integer> returned = new ArrayList<>();
            int producers = 3;
            int consumers = 2;
            int stopAfter = ThreadLocalRandom.current().nextInt(1, 20_000);
            AtomicInteger produced = new AtomicInteger();
            race(producers + consumers + 1, t -> {
                try {
                    if (t < producers) {
                        for (int i = 0; ; i++) {
                            int v = t * 1_000_000 + i;
                            q.put(v);
                            accepted.add(v);
                            produced.incrementAndGet();
                        }
                    } else if (t < producers + consumers) {
                        for (;;) {
                            taken.add(q.take());
                        }
                    } else {
                        while (produced.get() < stopAfter) {
                            Thread.onSpinWait();
                        }
                        ConcurrentQueue<Integer> cq = (ConcurrentQueue<Integer>) q;
                        if (now) {
                            returned.addAll(cq.shutdownNow());
                        } else {
                            cq.shutdown();
                        }
                    }
                } catch (ShutDownException end) {
                    // producers are refused and consumers run dry: the expected ending
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            List<Integer> out = new ArrayList<>(taken);
            out.addAll(returned);
            out.addAll(q); // a graceful shutdown whose consumers all ended leaves nothing, but check anyway
            assertEquals(accepted.size(), out.size(), "round " + round + ": accepted vs taken + returned");
            assertEquals(new java.util.HashSet<>(accepted), new java.util.HashSet<>(out), "round " + round);
        }
    }

    /** Scenario 8: ten threads append at both ends, interleaved; everything arrives, evens left and odds right. */
    @Test
    void dequeInterleavingKeepsEveryElementOnItsSide() throws Exception {
        ConcurrentDeque<Integer> d = new ConcurrentDeque<>();
        race(10, t -> {
            for (int i = 0; i < 1_000; i++) {
                int v = (t * 1_000 + i) * 2;
                d.addFirst(v);       // even at the left
                d.addLast(v + 1);    // odd at the right
                if (i % 100 == 0) {
                    Thread.yield();
                }
            }
        });
        List<Integer> all = new ArrayList<>(d);
        assertEquals(20_000, all.size());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, all.get(i) % 2, "left half holds the evens");
            assertEquals(1, all.get(10_000 + i) % 2, "right half holds the odds");
        }
        assertEquals(20_000, new java.util.HashSet<>(all).size());
    }
}
