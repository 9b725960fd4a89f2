package io.ft4j.concurrent;

import io.ft4j.testing.Liveness;
import io.ft4j.testing.Liveness.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every blocking collection of ft4j under the liveness harness ({@link Liveness}): producers, consumers, observers and
 * removers at capacities 1, 2 and 4, both wait strategies, with a watchdog that fails on 2 s without progress, and
 * exactly-once delivery checked at the end.
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
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void noStallNoLossNoDuplicate(Config config) throws Exception {
        Liveness.run(config);
    }
}
