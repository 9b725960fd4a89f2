package io.ft4j.thread;

import io.ft4j.internal.os.NativeThreads;
import io.ft4j.internal.util.Checks;

/**
 * Static methods that read and set a thread's OS scheduling: its nice value and its scheduler policy (see
 * {@link SchedulingPolicy}). These are real OS priorities.
 *
 * <p>{@code Thread.setPriority} has no effect on Linux with the JVM's default flags; these calls do, one system call
 * each ({@code setpriority}/{@code getpriority} on the thread id,
 * {@code sched_setscheduler}/{@code sched_getscheduler}). They act on the calling thread or on a
 * {@link ControlledThread}, so a controller can reconfigure a worker.
 *
 * <pre>{@code
 * Scheduling.Settings saved = Scheduling.current();
 * try (Scheduling.Scope rt = Scheduling.apply(SchedulingPolicy.fifo(10))) {
 *     // short real-time section
 * }   // policy and nice value restored exactly
 * }</pre>
 *
 * <p>Without CAP_SYS_NICE, raising the nice value (lowering priority) works; lowering it fails with EACCES and
 * real-time policies with EPERM, reported as {@link ThreadControlException} with a hint. Virtual threads are refused.
 */
public final class Scheduling {
    /** The lowest nice value (highest priority). */
    public static final int MIN_NICE = -20;
    /** The highest nice value (lowest priority). */
    public static final int MAX_NICE = 19;

    private Scheduling() {}

    /** The highest {@link #rank}: SCHED_FIFO or SCHED_RR at priority 99. */
    public static final int MAX_RANK = 199;

    /**
     * A thread's scheduling state: what {@link #restore(Settings)} puts back.
     *
     * @param policy the scheduler policy and its static priority
     * @param nice the nice value, {@value #MIN_NICE} to {@value #MAX_NICE}; Linux keeps it under every policy but
     *     applies it under OTHER and BATCH only
     */
    public record Settings(SchedulingPolicy policy, int nice) {
        /**
         * Returns one number that orders threads the way Linux runs them, higher first: 100 + the real-time priority
         * for FIFO and RR (101..199), 20 - nice for OTHER and BATCH (1..40, so nice 0 is 20), 0 for IDLE. This is the
         * scale of {@link io.ft4j.lock.PriorityLock}'s priorities.
         *
         * @return the rank, 0..{@link #MAX_RANK}
         */
        public int rank() {
            return switch (policy.policy()) {
                case FIFO, RR -> 100 + policy.priority();
                case OTHER, BATCH -> 20 - nice;
                case IDLE -> 0;
            };
        }
    }

    /**
     * Returns the calling thread's {@linkplain Settings#rank() rank}; a few system calls.
     *
     * @return the rank, 0 to {@link #MAX_RANK}
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static int rank() {
        return rank(Thread.currentThread());
    }

    /**
     * Returns a thread's {@linkplain Settings#rank() rank}; a few system calls.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return its rank, 0 to {@link #MAX_RANK}; {@link #MAX_RANK} for SCHED_DEADLINE, which runs ahead of every
     *     real-time priority (and which ft4j reads but does not set)
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException if the OS refuses: ESRCH if the thread has ended
     */
    public static int rank(Thread thread) {
        int tid = Threads.tidOf(thread);
        int[] p = Threads.OS.getScheduler(tid);
        if (p[0] == NativeThreads.SCHED_DEADLINE) {
            return MAX_RANK;
        }
        return new Settings(new SchedulingPolicy(SchedulingPolicy.Policy.fromLinux(p[0]), p[1]),
                Threads.OS.getNice(tid)).rank();
    }

    /**
     * Returns the priority the kernel runs the thread at right now, as {@code ps -o pri} and
     * {@code /proc/<tid>/stat} (field 18) report it: -101 for SCHED_DEADLINE, -100..-2 for real-time priorities
     * 99..1, 20 + nice (0..39) otherwise; lower runs first. Unlike {@link #policy(Thread)}, which reads the thread's
     * own setting, it includes a boost by priority inheritance ({@link io.ft4j.lock.PriorityInheritanceLock}).
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return its effective kernel priority, -101 to 39
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException ESRCH if the thread's {@code /proc} entry cannot be read
     */
    public static int kernelPriority(Thread thread) {
        return Threads.OS.kernelPriority(Threads.tidOf(thread));
    }

    /**
     * Returns whether this OS supports scheduling control; true on Linux.
     *
     * @return whether the methods of this class that act on threads work here
     */
    public static boolean isSupported() {
        return Threads.OS.isSupported();
    }

    /**
     * Returns the calling thread's nice value.
     *
     * @return the nice value, {@value #MIN_NICE} to {@value #MAX_NICE}
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static int nice() {
        return nice(Thread.currentThread());
    }

    /**
     * Returns a thread's nice value.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return its nice value, {@value #MIN_NICE} to {@value #MAX_NICE}
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException if the OS refuses: ESRCH if the thread has ended
     */
    public static int nice(Thread thread) {
        return Threads.OS.getNice(Threads.tidOf(thread));
    }

    /**
     * Sets the calling thread's nice value. Raising it needs no privilege; lowering it needs CAP_SYS_NICE or a
     * {@code RLIMIT_NICE} that allows it.
     *
     * @param nice the nice value, {@value #MIN_NICE} (highest priority) to {@value #MAX_NICE} (lowest)
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EACCES when lowering it without CAP_SYS_NICE
     */
    public static void setNice(int nice) {
        setNice(Thread.currentThread(), nice);
    }

    /**
     * Sets a thread's nice value. Raising it needs no privilege; lowering it needs CAP_SYS_NICE or a
     * {@code RLIMIT_NICE} that allows it.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @param nice the nice value, {@value #MIN_NICE} (highest priority) to {@value #MAX_NICE} (lowest)
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException EACCES when lowering it without CAP_SYS_NICE, ESRCH if the thread has ended
     */
    public static void setNice(Thread thread, int nice) {
        checkNice(nice);
        Threads.OS.setNice(Threads.tidOf(thread), nice);
    }

    static int checkNice(int nice) {
        if (nice < MIN_NICE || nice > MAX_NICE) {
            throw new IllegalArgumentException(Checks.badArgument("nice", nice, MIN_NICE + ".." + MAX_NICE));
        }
        return nice;
    }

    /**
     * Returns the calling thread's scheduler policy and static priority.
     *
     * @return the policy and priority
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws IllegalStateException if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot
     *     express
     * @throws ThreadControlException if the OS refuses
     */
    public static SchedulingPolicy policy() {
        return policy(Thread.currentThread());
    }

    /**
     * Returns a thread's scheduler policy and static priority.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return its policy and priority
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated, or if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot express
     * @throws ThreadControlException if the OS refuses: ESRCH if the thread has ended
     */
    public static SchedulingPolicy policy(Thread thread) {
        int[] p = Threads.OS.getScheduler(Threads.tidOf(thread));
        return new SchedulingPolicy(SchedulingPolicy.Policy.fromLinux(p[0]), p[1]);
    }

    /**
     * Sets the calling thread's scheduler policy and static priority.
     *
     * @param policy the policy to set on the calling thread
     * @throws NullPointerException if {@code policy} is null
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EPERM for FIFO/RR without CAP_SYS_NICE
     */
    public static void setPolicy(SchedulingPolicy policy) {
        setPolicy(Thread.currentThread(), policy);
    }

    /**
     * Sets a thread's scheduler policy and static priority.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @param policy the policy to set
     * @throws NullPointerException if {@code thread} or {@code policy} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException EPERM for FIFO/RR without CAP_SYS_NICE, ESRCH if the thread has ended
     */
    public static void setPolicy(Thread thread, SchedulingPolicy policy) {
        Checks.requireNonNull(policy, "policy");
        Threads.OS.setScheduler(Threads.tidOf(thread), policy.policy().linux, policy.priority());
    }

    /**
     * Returns the calling thread's scheduling settings, to put back later with {@link #restore(Settings)}.
     *
     * @return the policy and nice value
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws IllegalStateException if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot
     *     express
     * @throws ThreadControlException if the OS refuses
     */
    public static Settings current() {
        return current(Thread.currentThread());
    }

    /**
     * Returns a thread's scheduling settings, to put back later with {@link #restore(Thread, Settings)}.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return its policy and nice value
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated, or if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot express
     * @throws ThreadControlException if the OS refuses: ESRCH if the thread has ended
     */
    public static Settings current(Thread thread) {
        return new Settings(policy(thread), nice(thread));
    }

    /**
     * Puts back settings read by {@link #current()}: the policy first, then the nice value (which Linux keeps
     * separately and applies under OTHER and BATCH).
     *
     * @param settings what to restore
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalArgumentException if {@code settings.nice()} is out of range
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EPERM for FIFO/RR or EACCES for a lower nice value, without CAP_SYS_NICE
     */
    public static void restore(Settings settings) {
        restore(Thread.currentThread(), settings);
    }

    /**
     * Puts back a thread's settings read by {@link #current(Thread)}: the policy first, then the nice value.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @param settings what to restore
     * @throws NullPointerException if {@code thread} or {@code settings} is null
     * @throws IllegalArgumentException if {@code settings.nice()} is out of range
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException EPERM for FIFO/RR or EACCES for a lower nice value, without CAP_SYS_NICE; ESRCH
     *     if the thread has ended
     */
    public static void restore(Thread thread, Settings settings) {
        Checks.requireNonNull(settings, "settings");
        setPolicy(thread, settings.policy());
        setNice(thread, settings.nice());
    }

    /**
     * Returns the calling thread's timer slack: how late the kernel may fire the thread's timers (sleeps, timed
     * parks, timeouts) so that it can batch wake-ups. Linux's default is 50,000 ns for normal threads; real-time
     * threads (FIFO, RR) get no slack whatever this says.
     *
     * @return the slack in nanoseconds
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static long timerSlack() {
        Threads.currentTid(); // refuses a virtual thread: its carrier's slack is not its own
        return Threads.OS.timerSlack();
    }

    /**
     * Sets the calling thread's timer slack ({@code prctl(PR_SET_TIMERSLACK)}); needs no privilege. A slack of 1 ns
     * makes the thread's timed waits wake as close to their deadline as the hardware allows, at the cost of more
     * wake-ups for the machine; threads it creates inherit it.
     *
     * @param nanos the slack in nanoseconds, at least 1
     * @throws IllegalArgumentException if {@code nanos} is less than 1 (0 would mean "the default" to Linux; set
     *     50,000, or what {@link #timerSlack()} said before, to restore it)
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static void setTimerSlack(long nanos) {
        checkTimerSlack(nanos);
        Threads.currentTid();
        Threads.OS.setTimerSlack(nanos);
    }

    static long checkTimerSlack(long nanos) {
        if (nanos < 1) {
            throw new IllegalArgumentException(Checks.badArgument("nanos", nanos, "at least 1 (nanoseconds)"));
        }
        return nanos;
    }

    /**
     * Sleeps until {@link System#nanoTime()} reaches {@code deadline}, by asking the kernel to wake the thread at
     * that absolute time ({@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)}), so that a periodic loop does not
     * drift by the time each round took, as {@code LockSupport.parkNanos(deadline - System.nanoTime())} can. How late
     * the thread wakes depends on its {@linkplain #setTimerSlack(long) timer slack} and policy. Returns at once if the
     * deadline has passed.
     *
     * <p>Unlike {@link Thread#sleep}, this is not interrupted by {@link Thread#interrupt()} (the flag stays set for
     * the caller to see): keep deadlines short.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @throws UnsupportedOperationException if the calling thread is virtual (it would block its carrier), or if
     *     {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static void sleepUntil(long deadline) {
        Threads.currentTid();
        Threads.OS.sleepUntil(deadline + Clock.MONOTONIC_MINUS_NANO_TIME);
    }

    /** The offset between CLOCK_MONOTONIC and System.nanoTime(): 0 on HotSpot, which reads that clock. */
    private static final class Clock {
        static final long MONOTONIC_MINUS_NANO_TIME = offset();

        private static long offset() {
            long best = Long.MAX_VALUE;
            long offset = 0L;
            for (int i = 0; i < 5; i++) { // keep the reading whose two nanoTime calls bracket it most tightly
                long before = System.nanoTime();
                long mono = Threads.OS.monotonicNanos();
                long after = System.nanoTime();
                if (after - before < best) {
                    best = after - before;
                    offset = mono - (before + (after - before) / 2);
                }
            }
            return Math.abs(offset) < 1_000_000L ? 0L : offset;
        }
    }

    /**
     * Sets the calling thread's policy until the returned scope is closed, which restores policy and nice value.
     *
     * @param policy the policy for the scope
     * @return the scope; close it on this thread
     * @throws NullPointerException if {@code policy} is null
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws IllegalStateException if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot
     *     express
     * @throws ThreadControlException EPERM for FIFO/RR without CAP_SYS_NICE
     */
    public static Scope apply(SchedulingPolicy policy) {
        Settings saved = current();
        setPolicy(policy);
        return new Scope(saved);
    }

    /**
     * Sets the calling thread's nice value until the returned scope is closed, which restores policy and nice value.
     * Without CAP_SYS_NICE (or a {@code RLIMIT_NICE} that allows it), a scope that raised the nice value cannot lower
     * it back: its {@code close()} throws {@link ThreadControlException} (EACCES).
     *
     * @param nice the nice value for the scope, {@value #MIN_NICE} to {@value #MAX_NICE}
     * @return the scope; close it on this thread
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws IllegalStateException if the thread runs under SCHED_DEADLINE, which {@link SchedulingPolicy} cannot
     *     express
     * @throws ThreadControlException EACCES when lowering it without CAP_SYS_NICE
     */
    public static Scope applyNice(int nice) {
        checkNice(nice);
        Settings saved = current();
        setNice(nice);
        return new Scope(saved);
    }

    /**
     * An {@link AutoCloseable} that holds temporary scheduling settings of the thread that opened it; {@link #close()}
     * restores the ones before.
     */
    public static final class Scope extends ThreadScope {
        private final Settings saved;

        private Scope(Settings saved) {
            super("scheduling");
            this.saved = saved;
        }

        /**
         * Returns the settings that closing this scope restores.
         *
         * @return the calling thread's settings before this scope was opened
         */
        public Settings saved() {
            return saved;
        }

        @Override
        void restore() {
            Scheduling.restore(saved);
        }
    }
}
