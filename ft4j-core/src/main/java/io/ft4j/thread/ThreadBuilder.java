package io.ft4j.thread;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.internal.util.Checks;
import java.util.concurrent.ThreadFactory;

/**
 * Builds platform threads that apply a CPU set, a scheduling policy and a nice value on start, before user code runs.
 * Usable wherever a {@link ThreadFactory} is:
 *
 * <pre>{@code
 * ThreadBuilder workers = new ThreadBuilder().name("worker").cpus(CpuSet.of(2, 3)).nice(5).daemon(true);
 * ExecutorService pool = Executors.newFixedThreadPool(2, workers);
 * ControlledThread golden = new ThreadBuilder().name("golden").policy(SchedulingPolicy.fifo(10)).start(task);
 * }</pre>
 *
 * <p>Configure a builder on one thread, then share it: {@link #newThread} reads a snapshot of the settings and may be
 * called from any thread (names are numbered atomically). Settings left unset are inherited from the creating thread
 * as the OS does (affinity and policy are inherited by new threads; so is the nice value).
 */
public final class ThreadBuilder implements ThreadFactory {
    private final PaddedAtomicLong counter = new PaddedAtomicLong();
    private String prefix = "ft4j";
    private boolean daemon;
    private CpuSet cpus;
    private Integer nice;
    private SchedulingPolicy policy;
    private Thread.UncaughtExceptionHandler handler;

    /** Creates a builder with no settings: threads named {@code ft4j-0}, {@code ft4j-1}, ..., non-daemon. */
    public ThreadBuilder() {}

    /**
     * @param prefix threads are named {@code prefix-0}, {@code prefix-1}, ...
     * @return this builder
     */
    public ThreadBuilder name(String prefix) {
        this.prefix = Checks.requireNonNull(prefix, "prefix");
        return this;
    }

    /**
     * @param on whether the threads are daemon threads
     * @return this builder
     */
    public ThreadBuilder daemon(boolean on) {
        this.daemon = on;
        return this;
    }

    /**
     * @param cpus the CPUs the threads may run on
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public ThreadBuilder cpus(CpuSet cpus) {
        Checks.requireNonNull(cpus, "cpus");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException(Checks.badArgument("cpus", "{}", "at least one CPU"));
        }
        this.cpus = cpus;
        return this;
    }

    /**
     * @param nice -20 to 19
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ThreadBuilder nice(int nice) {
        this.nice = Scheduling.checkNice(nice);
        return this;
    }

    /**
     * @param policy the scheduling policy
     * @return this builder
     */
    public ThreadBuilder policy(SchedulingPolicy policy) {
        this.policy = Checks.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param handler the threads' uncaught exception handler
     * @return this builder
     */
    public ThreadBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.handler = Checks.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Creates an unstarted thread. When started it applies the settings, then runs {@code task}; if the OS refuses
     * a setting, the thread ends with {@link ThreadControlException} (to its uncaught exception handler) without
     * running the task. Use {@link #start(Runnable)} to get that failure in the caller.
     *
     * @param task what the thread runs
     * @return the thread
     */
    @Override
    public ControlledThread newThread(Runnable task) {
        Checks.requireNonNull(task, "task");
        Config config = new Config(daemon, cpus, nice, policy, handler);
        if (config.needsOs() && !Threads.OS.isSupported()) {
            throw new UnsupportedOperationException("CPU sets, nice values and policies need Linux; "
                    + "check Affinity.isSupported() first");
        }
        return new ControlledThread(config, task, prefix + "-" + (counter.incrementAndGet() - 1));
    }

    /**
     * Creates and starts a thread, and returns once its settings are applied.
     *
     * @param task what the thread runs
     * @return the running thread
     * @throws ThreadControlException if the OS refused a setting; the task did not run
     */
    public ControlledThread start(Runnable task) {
        ControlledThread thread = newThread(task);
        thread.start();
        thread.awaitReady();
        RuntimeException failure = thread.startFailure();
        if (failure != null) {
            throw failure;
        }
        return thread;
    }

    /** A snapshot of the settings, taken per thread. */
    record Config(boolean daemon, CpuSet cpus, Integer nice, SchedulingPolicy policy,
                  Thread.UncaughtExceptionHandler handler) {
        boolean needsOs() {
            return cpus != null || nice != null || policy != null;
        }

        /**
         * Priority first, then CPUs: a thread moved to a CPU where a real-time thread spins would otherwise wait
         * there, still at its old priority, until that thread stops, before it could raise its own.
         */
        void applyToCurrentThread() {
            if (policy != null) {
                Scheduling.setPolicy(policy);
            }
            if (nice != null) {
                Scheduling.setNice(nice);
            }
            if (cpus != null) {
                Affinity.set(cpus);
            }
        }
    }
}
