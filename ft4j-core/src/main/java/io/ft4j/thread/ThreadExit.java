package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 *       keeps no carrier thread busy while it waits. Because they run on another thread, such actions must not read
 *       the dead thread's thread-locals: capture what they need when registering.</li>
 * </ul>
 * The watcher is a daemon virtual thread, so actions of a thread that is still alive when the JVM exits (the
 * {@code main} thread among them) do not run: release process-lifetime resources with a shutdown hook instead.
 * Actions run in registration order, each at most once. One that throws is reported to the thread's uncaught
 * exception handler (or the default one) and the others still run. An action may register further actions: on a
 * thread built by {@link ThreadBuilder} they run on it too, after the ones already registered; on a watcher they are
 * the watcher's own and run when it ends.
 *
 * <p>Memory effects: everything the thread did happens-before its actions run (same thread, or
 * {@link Thread#join()}).
 */
/*
 * Algorithm. Each thread that registers gets one Actions object, kept in a ThreadLocal: an intrusive doubly-linked
 * list of Entry nodes in registration order, guarded by the Actions object's monitor. register() appends at the tail;
 * unregister() unlinks its entry wherever it is; the run pops the head one entry at a time, releases the monitor, and
 * runs the action. An entry leaves the list exactly once (unlinked by unregister, or popped by the run), and leaving
 * it clears every reference the entry holds (action, neighbours), so a withdrawn or finished action, and whatever it
 * captured, is garbage as soon as the caller drops its Registration; the entry itself is garbage once the caller
 * does. A thread that creates and removes CleanableThreadLocal values for the life of the process therefore holds
 * one empty Actions object, not a record of every value it ever had.
 *
 * Entry state. REGISTERED -> RAN (the run's claim) or REGISTERED -> CANCELLED (unregister), by CAS on a volatile int,
 * so exactly one of the two wins whatever the interleaving; list membership is separate and only says whether the
 * entry still needs unlinking. An entry that lost to unregister may still be linked when the run reaches it (the CAS
 * came first, the unlink not yet): the run pops it, its claim fails, and it is skipped.
 *
 * Neither Actions nor Entry refers to the owner thread: the run receives it as an argument (the thread itself, or the
 * watcher that joined it), so a Registration kept after its action ran or was withdrawn does not keep the thread, or
 * its thread-locals, reachable. The entry keeps its Actions (final, so an entry handed to another thread through a
 * race still finds its list): the list's head and tail, whose entries are pending and so reachable anyway, and the
 * uncaught exception handler read at the first registration.
 *
 * Linearization points. unregister: its successful CAS REGISTERED -> CANCELLED. Running an action: the run's
 * successful CAS REGISTERED -> RAN, made under the monitor as the entry is popped; the action runs after it, outside
 * the monitor, so an action may register or withdraw actions of this same thread. Order: the run always pops the
 * head, and register appends at the tail under the same monitor, so actions run in registration order, including
 * ones that earlier actions register (ControlledThread case: the list is still installed while it runs).
 *
 * Memory ordering. The monitor orders the list links and the action field (written by register, read and cleared by
 * the run and by unregister). The state CAS is volatile. Everything the owner did happens-before the run: program
 * order on a ControlledThread, Thread.join on the watcher.
 *
 * Contention and progress. Only the owner registers and only one thread runs the list (the owner or, after it ended,
 * its watcher), so the monitor is contended only by an unregister from another thread; every critical section is a
 * few field writes and never blocks or runs user code. Owners and watchers may be virtual threads: monitors no longer
 * pin a carrier (JEP 491), and nothing blocks while holding one anyway.
 *
 * Known non-guarantees. An action registered on a ControlledThread after its run finished (say from code the JVM runs
 * after run() returns) gets a fresh list with no watcher and never runs. Actions of a thread still alive at JVM exit
 * do not run (the watcher is a daemon).
 */
public final class ThreadExit {
    private static final ThreadLocal<Actions> ACTIONS = new ThreadLocal<>();

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
            Thread self = Thread.currentThread();
            actions = new Actions(self.getUncaughtExceptionHandler());
            ACTIONS.set(actions);
            if (!(self instanceof ControlledThread)) {
                actions.watch(self);
            }
        }
        Entry entry = new Entry(actions, action);
        actions.append(entry);
        return entry;
    }

    /** Runs the calling thread's actions now: the end of a {@link ControlledThread}. */
    static void runActionsOfCurrentThread() {
        Actions actions = ACTIONS.get();
        if (actions != null) {
            actions.runAll(Thread.currentThread()); // still installed: an action may register another; it runs too
            ACTIONS.remove();
        }
    }

    /** One thread's pending actions, in registration order; the list and the entries' links are guarded by this. */
    private static final class Actions {
        /** Read while the thread lives: a terminated thread reports no handler. */
        private final Thread.UncaughtExceptionHandler handler;
        private Entry head;
        private Entry tail;

        Actions(Thread.UncaughtExceptionHandler handler) {
            this.handler = handler;
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
                runAll(owner);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        synchronized void append(Entry e) {
            Entry last = tail;
            e.prev = last;
            if (last == null) {
                head = e;
            } else {
                last.next = e;
            }
            tail = e;
            e.linked = true;
        }

        /** Unlinks {@code e} if the run has not popped it yet: called after its withdrawal. */
        synchronized void remove(Entry e) {
            if (e.linked) {
                unlink(e);
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
            for (Entry e; (e = head) != null; ) {
                Runnable action = e.action;
                unlink(e);
                if (e.claim()) { // linearization point of running the action
                    return action;
                }
            }
            return null;
        }

        /** Removes a linked entry and clears its references; the caller holds the monitor. */
        private void unlink(Entry e) {
            Entry p = e.prev;
            Entry n = e.next;
            if (p == null) {
                head = n;
            } else {
                p.next = n;
            }
            if (n == null) {
                tail = p;
            } else {
                n.prev = p;
            }
            e.prev = null;
            e.next = null;
            e.action = null;
            e.linked = false;
        }

        private void report(Thread owner, Throwable t) {
            Thread.UncaughtExceptionHandler h = handler != null ? handler : Thread.getDefaultUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(owner, t);
            } else {
                System.err.print("Exception in a thread-exit action of \"" + owner.getName() + "\" ");
                t.printStackTrace();
            }
        }
    }

    private static final class Entry implements Registration {
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
        private Entry prev;
        private Entry next;
        private boolean linked;

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
