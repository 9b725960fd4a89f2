package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A builder of platform threads that apply a CPU set, a scheduling policy and a nice value when they start, before
 * user code runs, in the shape of JDK 21's {@link Thread.Builder.OfPlatform}: {@link #name(String)},
 * {@link #name(String, long)}, {@link #daemon(boolean)}, {@link #uncaughtExceptionHandler}, {@link #unstarted},
 * {@link #start} and {@link #factory()}, plus ft4j's {@link #cpus}, {@link #nice} and {@link #policy}.
 *
 * <pre>{@code
 * ThreadFactory workers = new ThreadBuilder().name("worker-", 0).cpus(CpuSet.of(2, 3)).nice(5).daemon(true)
 *         .factory();
 * ExecutorService pool = Executors.newFixedThreadPool(2, workers);        // worker-0, worker-1
 * ControlledThread golden = new ThreadBuilder().name("golden").policy(SchedulingPolicy.fifo(10)).start(task);
 * }</pre>
 *
 * <p>A builder is not thread-safe: configure it on one thread. The {@link ThreadFactory} that {@link #factory()}
 * returns is, and keeps the settings the builder had when it was created. Settings left unset are inherited from the
 * creating thread as the OS does (affinity, policy and nice value are inherited by new threads). Without a name,
 * threads are named {@code ft4j-0}, {@code ft4j-1}, ...
 *
 * <p><b>When the OS refuses a setting</b> (a policy without {@code CAP_SYS_NICE}, a CPU outside the machine), the
 * thread ends without running its task. {@link #start(Runnable)} throws the {@link ThreadControlException} to its
 * caller and nowhere else; a thread from {@link #unstarted} or {@link #factory()} has no caller waiting for it, so
 * the exception goes to its uncaught exception handler.
 */
public final class ThreadBuilder {
    /** Numbers this builder's threads when the name is a prefix; each factory takes a copy. */
    private final AtomicLong counter = new AtomicLong();
    private String name = "ft4j-";
    private boolean numbered = true;
    private boolean daemon;
    private CpuSet cpus;
    private Integer nice;
    private SchedulingPolicy policy;
    private Long timerSlack;
    private CpuPool reservePool;
    private boolean wholeCore;
    private Thread.UncaughtExceptionHandler handler;

    /** Creates a builder with no settings: non-daemon threads named {@code ft4j-0}, {@code ft4j-1}, ... */
    public ThreadBuilder() {}

    /**
     * Names every thread {@code name}, as {@link Thread.Builder#name(String)} does.
     *
     * @param name the name of each thread built from now on
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     */
    public ThreadBuilder name(String name) {
        this.name = Checks.requireNonNull(name, "name");
        this.numbered = false;
        return this;
    }

    /**
     * Names threads {@code prefix} followed by a counter that starts at {@code start}, as
     * {@link Thread.Builder#name(String, long)} does: {@code name("worker-", 0)} gives {@code worker-0},
     * {@code worker-1}, ...
     *
     * @param prefix the text before the number
     * @param start the number of the next thread built; 0 or more
     * @return this builder
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if {@code start} is negative
     */
    public ThreadBuilder name(String prefix, long start) {
        Checks.requireNonNull(prefix, "prefix");
        if (start < 0) {
            throw new IllegalArgumentException(Checks.badArgument("start", start, ">= 0"));
        }
        this.name = prefix;
        this.numbered = true;
        counter.set(start);
        return this;
    }

    /**
     * Makes the threads daemon threads, or not, as {@link Thread.Builder.OfPlatform#daemon(boolean)} does.
     *
     * @param on whether the threads are daemon threads
     * @return this builder
     */
    public ThreadBuilder daemon(boolean on) {
        this.daemon = on;
        return this;
    }

    /**
     * Makes the threads daemon threads; the same as {@code daemon(true)}.
     *
     * @return this builder
     */
    public ThreadBuilder daemon() {
        return daemon(true);
    }

    /**
     * Restricts the threads to {@code cpus} (their affinity mask), applied before the task runs.
     *
     * @param cpus the CPUs the threads may run on
     * @return this builder
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if {@code cpus} is empty
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
     * Gives the threads a nice value, applied before the task runs. Lowering it below the creator's needs
     * {@code CAP_SYS_NICE} (or a matching {@code RLIMIT_NICE}).
     *
     * @param nice the nice value, -20 (most CPU) to 19 (least)
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ThreadBuilder nice(int nice) {
        this.nice = Scheduling.checkNice(nice);
        return this;
    }

    /**
     * Gives the threads an OS scheduling policy, applied before the task runs. The real-time policies need
     * {@code CAP_SYS_NICE}.
     *
     * @param policy the scheduling policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public ThreadBuilder policy(SchedulingPolicy policy) {
        this.policy = Checks.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Gives the threads a timer slack ({@link Scheduling#setTimerSlack(long)}), applied before the task runs; needs no
     * privilege. 1 ns makes their timed waits wake as close to the deadline as the hardware allows.
     *
     * @param nanos the slack in nanoseconds, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code nanos} is less than 1
     */
    public ThreadBuilder timerSlack(long nanos) {
        this.timerSlack = Scheduling.checkTimerSlack(nanos);
        return this;
    }

    /**
     * Makes each thread reserve a CPU of its own from {@code pool} ({@link CpuPool#reserveAny()}) before its task
     * runs, pinned there if the pool binds; the reservation is released when the thread ends. If none is free, the
     * thread ends with {@link CpuUnavailableException} without running its task ({@link #start(Runnable)} throws it).
     *
     * @param pool the pool to reserve from
     * @return this builder
     * @throws NullPointerException if {@code pool} is null
     */
    public ThreadBuilder reserveCpu(CpuPool pool) {
        this.reservePool = Checks.requireNonNull(pool, "pool");
        this.wholeCore = false;
        return this;
    }

    /**
     * As {@link #reserveCpu(CpuPool)}, but each thread reserves a whole physical core ({@link CpuPool#reserveCore()}).
     *
     * @param pool the pool to reserve from
     * @return this builder
     * @throws NullPointerException if {@code pool} is null
     */
    public ThreadBuilder reserveCore(CpuPool pool) {
        this.reservePool = Checks.requireNonNull(pool, "pool");
        this.wholeCore = true;
        return this;
    }

    /**
     * Sets the threads' uncaught exception handler, as {@link Thread.Builder#uncaughtExceptionHandler} does.
     *
     * @param handler the handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is null
     */
    public ThreadBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.handler = Checks.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Creates a thread that is not started, as {@link Thread.Builder#unstarted(Runnable)} does. When started it
     * applies the settings, then runs {@code task}; if the OS refuses a setting, the thread ends with
     * {@link ThreadControlException}, given to its uncaught exception handler, without running the task. Use
     * {@link #start(Runnable)} to get that failure in the caller instead.
     *
     * @param task what the thread runs
     * @return the new, unstarted thread
     * @throws NullPointerException if {@code task} is null
     * @throws UnsupportedOperationException if CPUs, a nice value, a policy or a timer slack are set and the OS is not Linux
     */
    public ControlledThread unstarted(Runnable task) {
        return config().newThread(task, false);
    }

    /**
     * Creates and starts a thread, and returns once its settings are applied, as {@link Thread.Builder#start} does
     * (which returns at once: here the settings are known to be in place when this returns).
     *
     * @param task what the thread runs
     * @return the running thread
     * @throws NullPointerException if {@code task} is null
     * @throws ThreadControlException if the OS refused a setting; the task did not run, and the exception is
     *     reported here only, not to the thread's uncaught exception handler
     * @throws UnsupportedOperationException if CPUs, a nice value, a policy or a timer slack are set and the OS is not Linux
     */
    public ControlledThread start(Runnable task) {
        ControlledThread thread = config().newThread(task, true);
        thread.start();
        thread.awaitReady();
        RuntimeException failure = thread.startFailure();
        if (failure != null) {
            throw failure;
        }
        return thread;
    }

    /**
     * Returns a thread-safe {@link ThreadFactory} that builds threads with this builder's current settings, as
     * {@link Thread.Builder#factory()} does: for {@code Executors}, {@code ThreadPoolExecutor} and anything else that
     * takes a factory. Later changes to the builder do not affect it. A numbered name starts from the number the
     * builder's next thread would get, and the factory counts on its own from there, as the JDK's does.
     *
     * @return the factory; its {@code newThread} returns a {@link ControlledThread} as {@link #unstarted} does
     */
    public ThreadFactory factory() {
        Config config = config(numbered ? new AtomicLong(counter.get()) : null);
        return task -> config.newThread(task, false);
    }

    private Config config() {
        return config(numbered ? counter : null);
    }

    private Config config(AtomicLong numbers) {
        if (cpus != null && reservePool != null) {
            throw new IllegalStateException("both cpus(...) and a CPU reservation are set: a reserving thread is pinned"
                    + " to the CPU it reserves, so set one of them");
        }
        return new Config(name, numbers, daemon, cpus, nice, policy, timerSlack, reservePool, wholeCore, handler);
    }

    /** A snapshot of the settings. */
    record Config(String name, AtomicLong counter, boolean daemon, CpuSet cpus, Integer nice,
                  SchedulingPolicy policy, Long timerSlack, CpuPool reservePool, boolean wholeCore,
                  Thread.UncaughtExceptionHandler handler) {
        ControlledThread newThread(Runnable task, boolean failureToStarter) {
            Checks.requireNonNull(task, "task");
            if (needsOs() && !Threads.OS.isSupported()) {
                throw new UnsupportedOperationException("CPU sets, nice values, policies and timer slack need Linux; "
                        + "check Affinity.isSupported() first");
            }
            String threadName = counter == null ? name : name + counter.getAndIncrement();
            return new ControlledThread(this, task, threadName, failureToStarter);
        }

        boolean needsOs() {
            return cpus != null || nice != null || policy != null || timerSlack != null || reservePool != null;
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
            if (timerSlack != null) {
                Scheduling.setTimerSlack(timerSlack);
            }
            if (cpus != null) {
                Affinity.set(cpus);
            }
            if (reservePool != null) { // released by the thread's exit actions
                if (wholeCore) {
                    reservePool.reserveCore();
                } else {
                    reservePool.reserveAny();
                }
            }
        }
    }
}
