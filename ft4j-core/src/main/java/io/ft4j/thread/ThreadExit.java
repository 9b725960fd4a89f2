package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.util.LinkedNodes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Static methods that register actions to run once when a thread ends: destructors for thread-local state. The idea
 * comes from ft_utils' {@code weave} module.
 *
 * <pre>{@code
 * ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
 * ThreadExit.Registration r = ThreadExit.register(() -> release(scratch));
 * ...
 * r.unregister();   // optional: the action will not run
 * }</pre>
 *
 * <h2>When the actions run</h2>
 * <ul>
 *   <li><b>Threads built by {@link ThreadBuilder}</b>: on the thread itself, right after its task returns or throws,
 *       before it terminates.</li>
 *   <li><b>Any other thread</b> (platform or virtual): on a watcher virtual thread that waits in
 *       {@link Thread#join()} for the thread to terminate, then runs them. The JVM wakes joiners as the thread exits,
 *       so the delay is the time to schedule a virtual thread: microseconds to a millisecond, well under the 100 ms
 *       bound ft4j promises. The watcher is started by the thread's first registration, costs one virtual thread, and
 *       keeps no carrier thread busy while it waits. A thread has one watcher and one list of actions for its whole
 *       life, even if its thread-locals are erased between tasks, as
 *       {@link java.util.concurrent.ForkJoinPool#commonPool()} workers do. Because they run on another thread, such
 *       actions must not read the dead thread's thread-locals: capture what they need when registering.</li>
 * </ul>
 * The watcher is a daemon virtual thread, which the JVM's exit could outrun, so the first such registration also adds
 * a shutdown hook. It runs the pending actions of every such thread that has terminated by then (the last non-daemon
 * thread, or the {@code main} thread once {@code main} has returned), for at most one second in all: actions still
 * running or waiting then (one that blocks, say) are abandoned as the JVM exits. Such actions run in no order with
 * the JVM's other shutdown hooks: an action and a hook of your own must not wait for each other (take no lock the
 * other may hold), or the JVM cannot exit. Actions of a thread still alive when the JVM shuts down (a daemon thread, or the thread that
 * calls {@link System#exit} and those running then) do not run: release process-lifetime resources with a shutdown
 * hook of your own instead.
 *
 * <p>Actions run in registration order, each at most once. An action may register further actions: on a thread built
 * by {@link ThreadBuilder} they run on it too, after the ones already registered; on a watcher they are the watcher's
 * own and run when it ends.
 *
 * <h2>Failures</h2>
 * An action that throws does not stop the others: the exception goes to an uncaught exception handler, called with
 * the thread that registered the action, and the next action runs. An exception thrown by that handler is ignored,
 * as the JVM ignores one from a thread's handler. The handler is
 * <ul>
 *   <li>for a thread built by {@link ThreadBuilder}: the one it has when the action fails, as
 *       {@link Thread#getUncaughtExceptionHandler()} returns it then (a handler set by the task or by an earlier action
 *       is used);</li>
 *   <li>for any other thread: the one {@link Thread#getUncaughtExceptionHandler()} returned when the thread first
 *       registered an action, since a terminated thread reports none; a handler set after that first registration is
 *       not used.</li>
 * </ul>
 * Either way, a thread with no handler of its own reports its thread group, which passes the exception to the
 * {@linkplain Thread#getDefaultUncaughtExceptionHandler() default handler} as set when the action fails, or prints it
 * to {@link System#err}.
 *
 * <p>Memory effects: everything the thread did happens-before its actions run (same thread, or
 * {@link Thread#join()}; where the shutdown hook runs them, the thread has terminated, which
 * {@link Thread#isAlive()} observed).
 */
/*
 * Algorithm. Each thread that registers gets one Actions object: an intrusive doubly-linked list (LinkedNodes) of
 * Entry nodes in registration order, guarded by the Actions object's monitor. register() appends at the tail; unregister() unlinks
 * its entry wherever it is; the run pops the head one entry at a time, releases the monitor, and runs the action. An
 * entry leaves the list exactly once (unlinked by unregister, or popped by the run), and leaving it clears every
 * reference the entry holds (action, neighbours), so a withdrawn or finished action, and whatever it captured, is
 * garbage as soon as the caller drops its Registration; the entry itself is garbage once the caller does. A thread
 * that creates and removes CleanableThreadLocal values for the life of the process therefore holds one empty Actions
 * object, not a record of every value it ever had.
 *
 * Where the Actions object is kept. A ControlledThread keeps it in the ACTIONS ThreadLocal only, and runs it itself.
 * Any other thread is recorded in WATCHED (thread -> Actions), the source of truth; ACTIONS only caches the lookup.
 * WATCHED matters because some threads erase all their thread-locals between tasks (JDK 25's common-pool workers,
 * and any ForkJoinWorkerThread built with preserveThreadLocals = false): with the ThreadLocal alone, each task's first
 * registration would start a new list and a new watcher, thousands per worker, whose lists would run in no order. Only
 * the thread itself adds its WATCHED entry (at its first registration), and its watcher removes it after the run, once
 * the thread has terminated, so the map holds the live threads that registered and the dead ones not yet run.
 *
 * JVM exit. The watcher is a daemon, and daemon threads stop when the last hook has run; a watcher woken by the last
 * non-daemon thread's end may not be scheduled before that. So the first watched registration adds a shutdown hook
 * (ExitHook) that runs the lists of the WATCHED threads that have terminated. The watcher and the hook may both try to
 * run a list: each run holds the list's runLock throughout, so one runs it and the other then finds it empty; the
 * hook waits for a list another thread is running, up to EXIT_WAIT_NANOS for all lists together (a watcher that has
 * the lock is running and, carriers being daemon threads that run during the hooks, will finish, unless an action
 * blocks).
 *
 * Entry state. REGISTERED -> RAN (the run's claim) or REGISTERED -> CANCELLED (unregister), by CAS on a volatile int,
 * so exactly one of the two wins whatever the interleaving; list membership is separate and only says whether the
 * entry still needs unlinking. An entry that lost to unregister may still be linked when the run reaches it (the CAS
 * came first, the unlink not yet): the run pops it, its claim fails, and it is skipped.
 *
 * Neither Actions nor Entry refers to the owner thread: the run receives it as an argument (the thread itself, or the
 * watcher or hook that found it terminated), so a Registration kept after its action ran or was withdrawn does not
 * keep the thread, or its thread-locals, reachable (the WATCHED entry goes with the run). The entry keeps its Actions
 * (final, so an entry handed to another thread through a race still finds its list): the list's head and tail, whose
 * entries are pending and so reachable anyway, and, for a watched thread, the uncaught exception handler read at its
 * first registration (Thread.getUncaughtExceptionHandler returns null once the thread has terminated). A
 * ControlledThread's list stores no handler: its actions run on the live thread, which is asked at each failure.
 *
 * Linearization points. unregister: its successful CAS REGISTERED -> CANCELLED. Running an action: the run's
 * successful CAS REGISTERED -> RAN, made under the monitor as the entry is popped; the action runs after it, outside
 * the monitor, so an action may register or withdraw actions of this same thread. Order: the run always pops the
 * head, register appends at the tail under the same monitor, and only the runLock holder runs a watched list, so
 * actions run in registration order, including ones that earlier actions register (ControlledThread case: the list is
 * still installed while it runs).
 *
 * Memory ordering. The monitor orders the list links and the action field (written by register, read and cleared by
 * the run and by unregister). The state CAS is volatile. Everything the owner did happens-before the run: program
 * order on a ControlledThread, Thread.join on the watcher; the hook runs only lists of threads that isAlive() saw
 * terminated, which is a synchronization with the thread's end like join's. WATCHED publishes each Actions object
 * safely (CHM put/get).
 *
 * Contention and progress. Only the owner registers and only one thread at a time runs the list (the owner, or after
 * it ended its watcher or the hook, under runLock), so the monitor is contended only by an unregister from another
 * thread; every critical section is a few field writes and never blocks or runs user code. runLock is contended only
 * at JVM exit. Owners and watchers may be virtual threads: monitors no longer pin a carrier (JEP 491), and nothing
 * blocks while holding one anyway.
 *
 * Known non-guarantees. An action registered on a ControlledThread after its run finished (say from code the JVM runs
 * after run() returns) gets a fresh list with no watcher and never runs. Actions of a thread still alive at JVM exit
 * do not run, nor those of a thread that terminates after the hook took its look at WATCHED. An action the hook runs
 * runs alongside the other shutdown hooks, in no order with them.
 */
public final class ThreadExit {
    /* A cache for watched threads (WATCHED is the truth), the only record for a ControlledThread. */
    private static final ThreadLocal<Actions> ACTIONS = new ThreadLocal<>();
    /* The lists of the threads that a watcher runs, by thread, until the run. */
    private static final ConcurrentHashMap<Thread, Actions> WATCHED = new ConcurrentHashMap<>();
    /* How long the exit hook waits, for all lists together, for the watchers that are running them. */
    private static final long EXIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private ThreadExit() {}

    /**
     * A handle to an action registered by {@link ThreadExit#register(Runnable)}; {@link #unregister()} withdraws it.
     *
     * <p>A handle holds no reference to the action once the action has run or been withdrawn, nor to the thread that
     * registered it.
     */
    public interface Registration {
        /**
         * Withdraws the action if it has not run yet. May be called from any thread, at any time, also while the
         * registering thread's actions run. Each action is either withdrawn by exactly one successful call or run
         * once, never both.
         *
         * <p>A successful call drops {@link ThreadExit}'s references to the action at once, so what it captured can be
         * garbage-collected while the registering thread still lives.
         *
         * @return true if the action was withdrawn and will not run; false if it has run, is running, or was already
         *     withdrawn
         */
        boolean unregister();
    }

    /**
     * Registers {@code action} to run once when the calling thread ends.
     *
     * <p>{@link ThreadExit} holds the action until it runs or is withdrawn, and no longer.
     *
     * @param action what to run; it runs on the calling thread, or on a watcher thread if the calling thread was not
     *     built by {@link ThreadBuilder}
     * @return a handle to withdraw it
     * @throws NullPointerException if {@code action} is null
     */
    public static Registration register(Runnable action) {
        Checks.requireNonNull(action, "action");
        Actions actions = ACTIONS.get();
        if (actions == null) {
            actions = actionsOfCurrentThread();
        }
        Entry entry = new Entry(actions, action);
        actions.append(entry);
        return entry;
    }

    /** The calling thread's list, found or created (with its watcher), and cached in ACTIONS. */
    private static Actions actionsOfCurrentThread() {
        Thread self = Thread.currentThread();
        Actions actions;
        if (self instanceof ControlledThread) {
            actions = new Actions(null, false);
        } else if ((actions = WATCHED.get(self)) == null) { // else: thread-locals erased since; same list
            ExitHook.ensureAdded();
            actions = new Actions(self.getUncaughtExceptionHandler(), true);
            actions.watch(self); // first: if it cannot start, nothing is left behind
            WATCHED.put(self, actions); // only self adds its entry; the watcher removes it once self has ended
        }
        ACTIONS.set(actions);
        return actions;
    }

    /** Runs the calling thread's actions now: the end of a {@link ControlledThread}. */
    static void runActionsOfCurrentThread() {
        Actions actions = ACTIONS.get();
        if (actions != null) {
            actions.runAll(Thread.currentThread()); // still installed: an action may register another; it runs too
            ACTIONS.remove();
        }
    }

    /**
     * Returns the list of actions a thread that is not a {@link ControlledThread} has registered, or null if it has
     * none pending: for tests, which compare identities.
     */
    static Object watchedActionsOf(Thread thread) {
        return WATCHED.get(thread);
    }

    /**
     * The exit hook's work: runs the pending actions of the watched threads that have terminated, on a daemon thread
     * it waits for until the deadline, so that an action that blocks cannot keep the JVM from exiting.
     */
    private static void runActionsOfTerminatedThreads() {
        long deadline = System.nanoTime() + EXIT_WAIT_NANOS;
        Thread runner = Thread.ofPlatform().name("ft4j-thread-exit-at-jvm-exit").daemon(true)
                .inheritInheritableThreadLocals(false).unstarted(() -> {
                    for (Map.Entry<Thread, Actions> e : WATCHED.entrySet()) {
                        Thread owner = e.getKey();
                        if (!owner.isAlive()) { // never NEW: only a running thread registers
                            e.getValue().runAtExit(owner, deadline);
                        }
                    }
                });
        runner.setContextClassLoader(ThreadExit.class.getClassLoader());
        runner.start();
        try {
            runner.join(java.time.Duration.ofNanos(Math.max(1L, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JVM is exiting: stop waiting
        }
    }

    /** Adds the shutdown hook once, when first needed: class initialization runs the static block exactly once. */
    private static final class ExitHook {
        static {
            Thread hook = Thread.ofPlatform().name("ft4j-thread-exit-hook").inheritInheritableThreadLocals(false)
                    .unstarted(ThreadExit::runActionsOfTerminatedThreads);
            hook.setContextClassLoader(ThreadExit.class.getClassLoader()); // pin no application's loader
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // too late for a hook: the JVM is exiting, and the watchers race it as they would without one
            }
        }

        private ExitHook() {}

        static void ensureAdded() {
            // nothing: calling this initializes the class
        }
    }

    /** One thread's pending actions, in registration order; the list and the entries' links are guarded by this. */
    private static final class Actions {
        /** A watched thread's handler, read while it lived (a terminated thread reports none); else null. */
        private final Thread.UncaughtExceptionHandler handler;
        /** Held by whichever of the watcher and the exit hook runs a watched list; null for a ControlledThread's. */
        private final ReentrantLock runLock;
        /** Guarded by this object's monitor. */
        private final LinkedNodes<Entry> entries = new LinkedNodes<>();

        Actions(Thread.UncaughtExceptionHandler handler, boolean watched) {
            this.handler = handler;
            this.runLock = watched ? new ReentrantLock() : null;
        }

        /** Starts the watcher that runs the actions once {@code owner} has terminated. */
        void watch(Thread owner) {
            Thread.ofVirtual().name("ft4j-thread-exit").start(() -> {
                boolean interrupted = false;
                while (true) {
                    try {
                        owner.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                runLock.lock();
                try {
                    runAll(owner);
                } finally {
                    runLock.unlock();
                }
                WATCHED.remove(owner, this); // after the run: until then the exit hook may need it
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /**
         * Runs the actions of the terminated {@code owner} from the exit hook, unless its watcher is running them and
         * does not finish by {@code deadline}; then they are left to it.
         */
        void runAtExit(Thread owner, long deadline) {
            try {
                if (!runLock.tryLock(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                runAll(owner); // nothing to do if the watcher ran them first
            } finally {
                runLock.unlock();
            }
        }

        synchronized void append(Entry e) {
            entries.addLast(e);
        }

        /** Unlinks {@code e} if the run has not popped it yet: called after its withdrawal. */
        synchronized void remove(Entry e) {
            if (entries.remove(e)) {
                e.action = null;
            }
        }

        /** Runs the actions one by one until none is left, actions registered meanwhile included. */
        void runAll(Thread owner) {
            for (Runnable action; (action = claimNext()) != null; ) {
                try {
                    action.run();
                } catch (Throwable t) {
                    report(owner, t);
                }
            }
        }

        /**
         * Pops entries from the head until one is claimed (skipping withdrawn ones) and returns its action, or null
         * when the list is empty.
         */
        private synchronized Runnable claimNext() {
            for (Entry e; (e = entries.pollFirst()) != null; ) {
                Runnable action = e.action;
                e.action = null;
                if (e.claim()) { // linearization point of running the action
                    return action;
                }
            }
            return null;
        }

        /**
         * Hands {@code t} to the handler the class Javadoc names; an exception from the handler is ignored, as the
         * JVM ignores one from Thread's dispatch of an uncaught exception, so that the next action still runs.
         */
        private void report(Thread owner, Throwable t) {
            try {
                Thread.UncaughtExceptionHandler h = owner.getUncaughtExceptionHandler(); // null once terminated
                if (h == null) {
                    h = handler != null ? handler : Thread.getDefaultUncaughtExceptionHandler();
                }
                if (h != null) {
                    h.uncaughtException(owner, t);
                } else {
                    System.err.print("Exception in a thread-exit action of \"" + owner.getName() + "\" ");
                    t.printStackTrace();
                }
            } catch (Throwable ignored) {
                // nothing is left to tell
            }
        }
    }

    private static final class Entry extends LinkedNodes.Node<Entry> implements Registration {
        private static final int REGISTERED = 0;
        private static final int RAN = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Actions home;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        /* Guarded by home's monitor; null once the entry has left the list. */
        private Runnable action;

        Entry(Actions home, Runnable action) {
            this.home = home;
            this.action = action;
        }

        boolean claim() {
            return STATE.compareAndSet(this, REGISTERED, RAN);
        }

        @Override
        public boolean unregister() {
            if (!STATE.compareAndSet(this, REGISTERED, CANCELLED)) { // linearization point
                return false;
            }
            home.remove(this);
            return true;
        }
    }
}
