package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

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
 * exception handler (or the default one) and the others still run.
 *
 * <p>Memory effects: everything the thread did happens-before its actions run (same thread, or
 * {@link Thread#join()}).
 */
/*
 * Design notes. Each thread's actions are an append-only list owned by that thread (only the thread itself registers,
 * so appends need no lock). Each entry has a state word: REGISTERED -> RAN or REGISTERED -> CANCELLED by CAS, so
 * unregister() from any thread races safely with the run: exactly one of them wins. The linearization point of
 * unregister and of running an action is that CAS.
 */
public final class ThreadExit {
    private static final ThreadLocal<Actions> ACTIONS = new ThreadLocal<>();

    private ThreadExit() {}

    /**
     * A handle to an action registered by {@link ThreadExit#register(Runnable)}; {@link #unregister()} withdraws it.
     */
    public interface Registration {
        /**
         * Withdraws the action if it has not run yet.
         *
         * @return true if the action was withdrawn and will not run; false if it has run, is running, or was already
         *     withdrawn
         */
        boolean unregister();
    }

    /**
     * Registers {@code action} to run once when the calling thread ends.
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
            actions = new Actions(self);
            ACTIONS.set(actions);
            if (!(self instanceof ControlledThread)) {
                actions.watch();
            }
        }
        Entry entry = new Entry(action);
        actions.entries.add(entry);
        return entry;
    }

    /** Runs the calling thread's actions now: the end of a {@link ControlledThread}. */
    static void runActionsOfCurrentThread() {
        Actions actions = ACTIONS.get();
        if (actions != null) {
            actions.runAll(); // still installed: an action that registers another one appends to this list
            ACTIONS.remove();
        }
    }

    /** One thread's actions, in registration order. */
    private static final class Actions {
        final Thread owner;
        final List<Entry> entries = new ArrayList<>();
        final Thread.UncaughtExceptionHandler handler;

        Actions(Thread owner) {
            this.owner = owner;
            // Read while the thread lives: a terminated thread reports no handler.
            this.handler = owner.getUncaughtExceptionHandler();
        }

        void watch() {
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
                runAll();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        void runAll() {
            // By index: an action may register another one on this thread (ControlledThread case); it runs too.
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.claim()) {
                    try {
                        e.action.run();
                    } catch (Throwable t) {
                        report(t);
                    }
                }
            }
        }

        private void report(Throwable t) {
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

        final Runnable action;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;

        Entry(Runnable action) {
            this.action = action;
        }

        boolean claim() {
            return STATE.compareAndSet(this, REGISTERED, RAN);
        }

        @Override
        public boolean unregister() {
            return STATE.compareAndSet(this, REGISTERED, CANCELLED);
        }
    }
}
