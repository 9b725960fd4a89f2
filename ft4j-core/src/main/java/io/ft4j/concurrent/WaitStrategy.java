package io.ft4j.concurrent;

/**
 * The ways a blocked consumer or producer of an ft4j queue can wait.
 *
 * <p>Both strategies are correct on their own: a waiter registers before it parks, and whoever makes progress possible
 * wakes it, so no element is noticed late. They differ in what a short wait costs. {@link #SPINNING} stands for the
 * "lock-free" mode of ft_utils' queues, without its 50 ms sleeps.
 */
public enum WaitStrategy {
    /**
     * Spin about ten microseconds and yield a few times, then park until the thread that makes progress possible
     * unparks it. A hand-off that comes within that window costs no system call; idle consumers then use no CPU,
     * and a hand-off to a parked thread costs a few microseconds of wake-up. The right choice when threads
     * outnumber cores or the queue is often empty.
     */
    BLOCKING(1_000, 4),
    /**
     * Spin for tens of microseconds, then yield a while, then park as {@link #BLOCKING} does. Keeps a hand-off within a
     * cache miss when producers and consumers run at the same time on their own cores, at the price of burning a core
     * while waiting.
     */
    SPINNING(4_000, 64);

    final int spins;
    final int yields;

    WaitStrategy(int spins, int yields) {
        this.spins = spins;
        this.yields = yields;
    }
}
