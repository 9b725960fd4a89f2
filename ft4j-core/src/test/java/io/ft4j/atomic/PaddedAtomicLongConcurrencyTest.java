package io.ft4j.atomic;

import static io.ft4j.testing.Race.race;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every read-modify-write under real contention, with a final value that any lost update would change. The threads
 * start together on a barrier; each test repeats so that the interleavings differ.
 */
@Timeout(60)
class PaddedAtomicLongConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void incrDecrAndAddLoseNothing() throws Exception {
        int perThread = 200_000;
        PaddedAtomicLong a = new PaddedAtomicLong();
        race(THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                switch (i % 4) {
                    case 0 -> a.incrementAndGet();
                    case 1 -> a.getAndAdd(3);
                    case 2 -> a.addAndGet(-1);
                    default -> a.addAndGet(-2);
                }
            }
        });
        // per 4 operations: +1 +3 -1 -2 = +1
        assertEquals((long) THREADS * perThread / 4, a.get());
    }

    @Test
    void mulLosesNothing() throws Exception {
        // 3 is odd, hence invertible mod 2^64: the product is 3^(n) whatever the order, and any lost
        // multiplication gives a different residue.
        int perThread = 50_000;
        PaddedAtomicLong a = new PaddedAtomicLong(1);
        race(THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                if ((i & 1) == 0) {
                    a.multiplyAndGet(3);
                } else {
                    a.getAndMultiply(3);
                }
            }
        });
        long expected = 1;
        for (long i = 0; i < (long) THREADS * perThread; i++) {
            expected *= 3;
        }
        assertEquals(expected, a.get());
    }

    @Test
    void floorDivLosesNothing() throws Exception {
        for (int round = 0; round < 200; round++) {
            PaddedAtomicLong a = new PaddedAtomicLong(1L << 62);
            race(THREADS, t -> {
                for (int i = 0; i < 7; i++) {
                    if ((i & 1) == 0) {
                        a.floorDivAndGet(2);
                    } else {
                        a.getAndFloorDiv(2);
                    }
                }
            });
            assertEquals(1L << (62 - 7 * THREADS), a.get(), "round " + round);
        }
    }

    @Test
    void bitwiseOpsLoseNothing() throws Exception {
        // Each thread owns 8 bits. OR sets them, XOR flips each an even number of times, AND clears the odd ones.
        int rounds = 20_000;
        PaddedAtomicLong a = new PaddedAtomicLong();
        race(THREADS, t -> {
            long mine = 0xFFL << (8 * t);
            for (int i = 0; i < rounds; i++) {
                a.getAndBitwiseOr(mine);
                a.getAndBitwiseXor(mine);
                a.getAndBitwiseXor(mine);
            }
            a.getAndBitwiseAnd(~(0xAAL << (8 * t)));
        });
        assertEquals(0x5555555555555555L, a.get());
    }

    @Test
    void exchangeAndCasHandOffEveryToken() throws Exception {
        // Tokens 1..n are swapped through the cell; each one taken out is counted. At the end, every token ever put
        // in was taken out exactly once or is still in the cell.
        int perThread = 100_000;
        PaddedAtomicLong cell = new PaddedAtomicLong(0);
        PaddedAtomicLong sumOut = new PaddedAtomicLong();
        race(THREADS, t -> {
            for (int i = 1; i <= perThread; i++) {
                long token = (long) t * perThread + i;
                long out;
                if ((i & 1) == 0) {
                    out = cell.getAndSet(token);
                } else {
                    long seen = cell.get();
                    while (true) {
                        long witness = cell.compareAndExchange(seen, token);
                        if (witness == seen) {
                            break;
                        }
                        seen = witness;
                    }
                    out = seen;
                }
                sumOut.getAndAdd(out);
            }
        });
        long n = (long) THREADS * perThread;
        assertEquals(n * (n + 1) / 2, sumOut.get() + cell.get());
    }

    @Test
    void functionUpdatesLoseNothing() throws Exception {
        int perThread = 100_000;
        PaddedAtomicLong a = new PaddedAtomicLong();
        race(THREADS, t -> {
            for (int i = 0; i < perThread; i++) {
                if ((i & 1) == 0) {
                    a.updateAndGet(x -> x + 2);
                } else {
                    a.getAndAccumulate(1, Long::sum);
                }
            }
        });
        assertEquals((long) THREADS * perThread / 2 * 3, a.get());
    }
}
