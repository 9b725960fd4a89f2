package io.ft4j.internal.wait;

/**
 * Contention backoff for compare-and-set retry loops.
 *
 * <p><b>Why.</b> When two threads retry a CAS on one cache line, every failed attempt still steals the line from the
 * thread that was about to succeed. Pausing the loser lets the winner finish a run of operations while the line stays
 * in its cache: total throughput goes up, at the price of short-term fairness (the loser waits). This is the classic
 * exponential backoff for CAS loops (Anderson 1990; Herlihy and Shavit, "The Art of Multiprocessor Programming",
 * 7.4).
 *
 * <p><b>How much.</b> The n-th consecutive failure of one operation spins {@code 2^min(MIN_SHIFT + n, MAX_SHIFT)}
 * times on {@link Thread#onSpinWait()} (x86 PAUSE, about 9 ns on the 2-core Xeon ft4j is measured on; up to about
 * 40 ns on other Intel parts). The first pause is already 32 hints: a pause of one or two hints brings the loser back
 * just as the winner issues its next CAS, and measured slower than no backoff at all (mul at 2 threads, ops/us:
 * no backoff 142, first pause 1 hint 113, first pause 32 hints 307, anchor {@code AtomicLong.getAndAccumulate} 147).
 * The cap of 512 hints (about 5 us here) bounds the wait of the losing thread, so there is no yield or park: a CAS
 * loop is lock-free and some thread always completes. Blocking strategies belong to the waiting layer, not here.
 *
 * <p>Allocation-free, lambda-free and stateless: the caller keeps the failure count in a local.
 */
public final class Backoff {
    /** Exponent of the first pause: {@code 2^5 = 32} spin-wait hints. */
    static final int MIN_SHIFT = 5;
    /** Exponent of the longest pause: {@code 2^9 = 512} spin-wait hints. */
    static final int MAX_SHIFT = 9;

    private Backoff() {}

    /**
     * Pauses after a failed CAS.
     *
     * @param failures how many consecutive failures preceded this one (0 for the first)
     * @return the count to pass next time
     */
    public static int pause(int failures) {
        int spins = 1 << Math.min(MIN_SHIFT + failures, MAX_SHIFT);
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        return failures + 1;
    }
}
