package io.ft4j.thread;

import io.ft4j.internal.util.Checks;

/**
 * Static methods that read and set CPU affinity: which CPUs a thread may run on, and which one it runs on now.
 *
 * <pre>{@code
 * try (Affinity.Scope pinned = Affinity.pin(2)) {
 *     // this thread runs on CPU 2 only
 * }   // the previous CPU set is back
 * }</pre>
 *
 * <p>Each call is one Linux system call through the Foreign Function and Memory API ({@code sched_setaffinity},
 * {@code sched_getaffinity}); {@link #currentCpu()} is glibc's {@code sched_getcpu}, which reads the kernel's rseq
 * area without a system call. Calls act on the calling thread, or on a {@link ControlledThread} (built by
 * {@link ThreadBuilder}) so that a controller can move a worker. Virtual threads are refused: they have no OS thread
 * of their own. Where the OS has no such calls, {@link #isSupported()} is false and every other method throws
 * {@link UnsupportedOperationException}.
 *
 * <p>Thread safety: the OS applies each call atomically; a thread's affinity is whatever the last call set.
 */
public final class Affinity {
    private Affinity() {}

    /**
     * Returns whether this OS supports affinity control; true on Linux.
     *
     * @return whether the other methods of this class work here
     */
    public static boolean isSupported() {
        return Threads.OS.isSupported();
    }

    /**
     * Returns the CPU the calling thread is running on at this instant; the answer may be stale by the time the caller
     * reads it unless the thread is pinned. A few nanoseconds.
     *
     * @return the CPU number, from 0
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     */
    public static int currentCpu() {
        return Threads.OS.currentCpu();
    }

    /**
     * Returns the CPUs the calling thread may run on.
     *
     * @return the calling thread's CPU set
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException if the OS refuses
     */
    public static CpuSet get() {
        return get(Thread.currentThread());
    }

    /**
     * Returns the CPUs a thread may run on.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @return the CPUs that thread may run on
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException if the OS refuses: ESRCH if the thread has ended
     */
    public static CpuSet get(Thread thread) {
        return CpuSet.fromMask(Threads.OS.getAffinity(Threads.tidOf(thread)));
    }

    /**
     * Restricts the calling thread to {@code cpus}.
     *
     * @param cpus the CPUs to allow; must hold at least one CPU this process may use
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if {@code cpus} is empty
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EINVAL if no CPU in the set is usable
     */
    public static void set(CpuSet cpus) {
        set(Thread.currentThread(), cpus);
    }

    /**
     * Restricts {@code thread} to {@code cpus}.
     *
     * @param thread the calling thread or a started {@link ControlledThread}
     * @param cpus the CPUs to allow; must hold at least one CPU this process may use
     * @throws NullPointerException if {@code thread} or {@code cpus} is null
     * @throws IllegalArgumentException if {@code cpus} is empty
     * @throws UnsupportedOperationException if {@code thread} is virtual, or is neither the calling thread nor a
     *     {@link ControlledThread}, or if {@link #isSupported()} is false
     * @throws IllegalStateException if {@code thread} is a {@link ControlledThread} that has not been started or has
     *     terminated
     * @throws ThreadControlException EINVAL if no CPU in the set is usable, ESRCH if the thread has ended
     */
    public static void set(Thread thread, CpuSet cpus) {
        Checks.requireNonNull(cpus, "cpus");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException(Checks.badArgument("cpus", "{}", "at least one CPU"));
        }
        Threads.OS.setAffinity(Threads.tidOf(thread), cpus.toMask());
    }

    /**
     * Pins the calling thread to one CPU until the returned scope is closed, which restores the previous set.
     *
     * @param cpu the CPU number, 0 to {@value CpuSet#MAX_CPUS} - 1
     * @return the scope; close it on this thread
     * @throws IllegalArgumentException if {@code cpu} is out of range
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EINVAL if this process may not use that CPU
     */
    public static Scope pin(int cpu) {
        return restrict(CpuSet.of(cpu));
    }

    /**
     * Restricts the calling thread to {@code cpus} until the returned scope is closed, which restores the previous
     * set.
     *
     * @param cpus the CPUs to allow; must hold at least one CPU this process may use
     * @return the scope; close it on this thread
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if {@code cpus} is empty
     * @throws UnsupportedOperationException if the calling thread is virtual, or if {@link #isSupported()} is false
     * @throws ThreadControlException EINVAL if no CPU in the set is usable
     */
    public static Scope restrict(CpuSet cpus) {
        CpuSet previous = get();
        set(cpus);
        return new Scope(previous);
    }

    /**
     * An {@link AutoCloseable} that holds a temporary CPU affinity of the thread that opened it; {@link #close()}
     * restores the one before.
     */
    public static final class Scope extends ThreadScope {
        private final CpuSet previous;

        private Scope(CpuSet previous) {
            super("affinity");
            this.previous = previous;
        }

        /**
         * Returns the CPU set that closing this scope restores.
         *
         * @return the calling thread's CPU set before this scope was opened
         */
        public CpuSet previous() {
            return previous;
        }

        @Override
        void restore() {
            set(previous);
        }
    }
}
