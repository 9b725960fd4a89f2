package io.ft4j.internal.os;

/**
 * The OS operations ft4j's thread control needs, on OS thread ids (Linux TIDs). One implementation per OS, chosen once
 * at class initialization by {@link Os}; {@link UnsupportedThreads} stands in where there is none, so callers ask
 * {@link #isSupported()} instead of catching linkage errors.
 *
 * <p>A refused call throws {@link OsCallException} carrying the call and its errno; the API layer adds the advice.
 */
public interface NativeThreads {
    /** Scheduler policies, numbered as Linux numbers them. */
    int SCHED_OTHER = 0;
    /** First-in first-out real-time policy. */
    int SCHED_FIFO = 1;
    /** Round-robin real-time policy. */
    int SCHED_RR = 2;
    /** Batch (CPU-bound, non-interactive) policy. */
    int SCHED_BATCH = 3;
    /** Very low priority background policy. */
    int SCHED_IDLE = 5;
    /** Earliest-deadline-first policy: runs ahead of FIFO and RR; set with sched_setattr, which ft4j does not call. */
    int SCHED_DEADLINE = 6;

    /**
     * Returns whether the calls below work on this OS.
     *
     * @return whether the calls below work on this OS
     */
    boolean isSupported();

    /**
     * Returns the CPU the calling thread runs on now.
     *
     * @return the CPU number
     */
    int currentCpu();

    /**
     * Returns the calling thread's OS thread id.
     *
     * @return the TID
     */
    int currentTid();

    /**
     * Returns a thread's CPU mask.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @return the thread's CPU mask, bit {@code i} of word {@code i / 64} set when CPU {@code i} is allowed
     */
    long[] getAffinity(int tid);

    /**
     * Sets a thread's CPU mask.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @param mask the CPU mask to set, as {@link #getAffinity(int)} returns it
     */
    void setAffinity(int tid, long[] mask);

    /**
     * Returns a thread's nice value.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @return the nice value, -20 to 19
     */
    int getNice(int tid);

    /**
     * Sets a thread's nice value.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @param nice the nice value, -20 to 19
     */
    void setNice(int tid, int nice);

    /**
     * Returns a thread's scheduling policy and real-time priority.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @return {@code {policy, priority}}
     */
    int[] getScheduler(int tid);

    /**
     * Sets a thread's scheduling policy and real-time priority.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @param policy one of the SCHED_ constants
     * @param priority 1 to 99 for FIFO and RR, 0 otherwise
     */
    void setScheduler(int tid, int policy, int priority);

    /**
     * Returns the priority the kernel schedules a thread at now.
     *
     * @param tid an OS thread id, 0 for the calling thread
     * @return the priority the kernel schedules it at now, field 18 of its {@code /proc} stat line: -100..-2 for
     *     real-time priorities 99..1, 20 + nice otherwise; lower runs first. Unlike {@link #getScheduler(int)} it
     *     includes priority inheritance.
     */
    int kernelPriority(int tid);

    /**
     * Blocks in FUTEX_LOCK_PI on a priority-inheritance futex word until the calling thread owns it; the kernel
     * queues waiters by priority and boosts the owner.
     *
     * @param word a 4-byte native word holding 0 or an owner's TID (and flag bits)
     * @param timed whether {@code deadline} applies
     * @param deadline a {@link System#nanoTime()} deadline
     * @return 0 once owned, else the errno (ETIMEDOUT, EINTR, EAGAIN, EDEADLK, ESRCH, ...)
     */
    int futexLockPi(java.lang.foreign.MemorySegment word, boolean timed, long deadline);

    /**
     * FUTEX_UNLOCK_PI: releases a word owned by the calling thread, handing it to the highest-priority waiter.
     *
     * @param word the futex word
     * @return 0, or the errno
     */
    int futexUnlockPi(java.lang.foreign.MemorySegment word);

    /** mlockall flag: lock the pages mapped now. */
    int MCL_CURRENT = 1;
    /** mlockall flag: lock pages mapped later too. */
    int MCL_FUTURE = 2;
    /** mlockall flag (Linux 4.4+): lock pages as they are first touched, rather than touching them all now. */
    int MCL_ONFAULT = 4;

    /**
     * mlockall: locks the process's pages in memory, so that no page fault on them waits for disk.
     *
     * @param flags MCL_ flags
     */
    void lockMemory(int flags);

    /** munlockall: undoes {@link #lockMemory(int)} for every page of the process. */
    void unlockMemory();

    /**
     * Returns the calling thread's timer slack: how late the kernel may fire its timers to batch wake-ups.
     *
     * @return the slack in nanoseconds
     */
    long timerSlack();

    /**
     * Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK).
     *
     * @param nanos the slack in nanoseconds, at least 1; 0 restores the thread's default
     */
    void setTimerSlack(long nanos);

    /**
     * Sleeps until {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()} on Linux, reaches a deadline
     * (clock_nanosleep with TIMER_ABSTIME, resumed after a signal). Not woken by {@link Thread#interrupt()}.
     *
     * @param deadline the deadline, in nanoseconds of {@code CLOCK_MONOTONIC}
     */
    void sleepUntil(long deadline);

    /**
     * Returns {@code CLOCK_MONOTONIC} in nanoseconds, as clock_gettime reads it.
     *
     * @return the time
     */
    long monotonicNanos();
}
