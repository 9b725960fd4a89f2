package io.ft4j.internal.wait;

/**
 * Contention backoff for compare-and-set retry loops.
 *
 * <p><b>Why.</b> When two threads retry a CAS on one cache line, every failed attempt still steals the line from the
 * thread that was about to succeed. Pausing the loser for a short, growing time lets the winner finish a run of
 * operations while the line stays in its cache: throughput goes up and so, on average, does each thread's progress.
 * This is the classic exponential backoff for CAS loops (Anderson 1990; Herlihy and Shavit, "The Art of
 * Multiprocessor Programming", 7.4).
 *
 * <p><b>How.</b> The n-th consecutive failure spins {@code 2^min(n, MAX_SHIFT)} times on {@link Thread#onSpinWait()}
 * (x86 PAUSE). The cap keeps the longest pause near a microsecond, short enough not to matter when threads outnumber
 * cores, so there is no yield or park here: a CAS loop is lock-free and some thread always completes. The blocking
 * strategies (park, spin-yield-park) belong to the waiting layer beside this class, not to CAS loops.
 *
 * <p>Allocation-free, lambda-free and stateless: the caller keeps the failure count in a local.
 */
public final class Backoff {
    /** Upper bound of the exponent: at most {@code 2^6 = 64} spin-wait hints per pause. */
    static final int MAX_SHIFT = 6;

    private Backoff() {}

    /**
     * Pauses after a failed CAS.
     *
     * @param failures how many consecutive failures preceded this one (0 for the first)
     * @return the count to pass next time
     */
    public static int pause(int failures) {
        int spins = 1 << Math.min(failures, MAX_SHIFT);
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        return failures + 1;
    }
}
