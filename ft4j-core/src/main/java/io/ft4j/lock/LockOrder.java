package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Static methods that control lock-order checking, which finds potential deadlocks from the order in which threads
 * take locks, whether or not the threads ever deadlocked (the idea of Linux's lockdep).
 *
 * <p><b>What is checked.</b> While checking is on, every ft4j lock ({@link ReaderWriterLock}, {@link IntervalLock}, the
 * objects of a {@link CriticalSection}, and any lock passed through {@link #wrap(Lock, String)}) reports each
 * acquisition before it blocks. A per-thread list holds the locks the thread holds. Taking lock B while holding A
 * records the edge A&rarr;B in a global graph, with the source line and thread that first did so. An edge that closes
 * a cycle is a potential deadlock: the threads on the cycle, run at the wrong moment, would each wait for the next.
 * It is reported the first time the closing edge is seen, naming every acquisition site on the cycle. Locks may also
 * carry a level: a lock may only be taken while holding locks of lower levels, checked on every acquisition.
 *
 * <p><b>Read locks.</b> Edges carry the mode in which the earlier lock was held and the later one wanted. A cycle
 * passing through a lock L where both sides are read holds is a deadlock only if new readers of L can queue behind a
 * writer, which needs a writer of L. Such a cycle is reported when it closes if L has been write-locked by then, and
 * otherwise when L is first write-locked (in {@link Mode#STRICT} mode the write goes ahead and the next acquisition
 * along the cycle throws). A re-entrant acquisition, or a read taken under one's own write lock (downgrade), adds no edge.
 *
 * <p><b>No race between checkers.</b> Two threads closing the two halves of a cycle at the same moment do not miss
 * it: one of them reports.
 *
 * <p><b>Reported sites.</b> A site is the first frame outside ft4j-core: the caller's line, whichever ft4j lock or
 * view it called.
 *
 * <p><b>Cost.</b> Off (the default), each lock operation reads one static field. On, each acquisition costs a
 * thread-local lookup and one map lookup per lock already held; a new edge costs a stack walk and a graph search.
 * Turn checking on at startup ({@code -Dio.ft4j.lockOrder=report} or {@code strict}) or with {@link #setMode} before
 * the threads to be checked start: a change reaches running threads eventually, not at once.
 */
/*
 * Concurrency. Finding an edge that is already known is lock-free (Node.knows reads gen, then out); adding a new
 * edge, with its cycle search, runs under the one global lock GRAPH. Two threads closing the two halves of a cycle at
 * the same moment are therefore serialised: the second one sees the first one's edge and reports.
 */
public final class LockOrder {
    private LockOrder() {}

    /** The checking modes: what to do when an acquisition breaks the recorded order. */
    public enum Mode {
        /** No checking: each lock operation pays one static field read. */
        OFF,
        /** Record the order and hand each violation to the handler; the acquisition goes ahead. */
        REPORT,
        /** Record the order and throw {@link LockOrderViolationException} instead of acquiring. */
        STRICT
    }

    /** Read on every lock operation: a plain field, so checking off costs one load and a branch. */
    static boolean checking;

    /** The level of a lock that has none: it takes part in cycle checks only. */
    public static final int NO_LEVEL = Integer.MIN_VALUE;

    private static final ReentrantLock GRAPH = new ReentrantLock();
    private static final ThreadLocal<Held> HELD = ThreadLocal.withInitial(Held::new);
    /** Where ft4j-core's classes come from (a jar or a directory), to tell its frames from the caller's. */
    private static final URL CORE_LOCATION = location(LockOrder.class);
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final System.Logger LOG = System.getLogger(LockOrder.class.getName());
    private static final Consumer<LockOrderViolationException> LOG_WARNING =
            x -> LOG.log(System.Logger.Level.WARNING, x.getMessage());
    private static final IdentityNodes OBJECTS = new IdentityNodes();

    private static volatile Mode mode = Mode.OFF;
    private static volatile Consumer<? super LockOrderViolationException> handler = LOG_WARNING;
    /** Bumped by every mode change and reset: per-thread held lists of an older epoch are stale and cleared. */
    private static volatile int epoch;
    /** Bumped by {@link #reset()}: edges of an older generation are forgotten. Written under {@link #GRAPH}. */
    private static volatile int generation;

    static {
        String property = System.getProperty("io.ft4j.lockOrder");
        if (property != null) {
            setMode(parse(property));
        }
    }

    static Mode parse(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    Checks.badArgument("io.ft4j.lockOrder", text, "off, report or strict"), e);
        }
    }

    /**
     * Returns the current checking mode.
     *
     * @return the mode set last by {@link #setMode(Mode)} or the {@code io.ft4j.lockOrder} system property;
     *     {@link Mode#OFF} by default
     */
    public static Mode mode() {
        return mode;
    }

    /**
     * Turns checking on or off. Locks held while the mode changes are forgotten by the checker (their release is not
     * an error), so turn it on before the threads to be checked take locks.
     *
     * @param newMode the mode
     * @throws NullPointerException if {@code newMode} is null
     */
    public static void setMode(Mode newMode) {
        Checks.requireNonNull(newMode, "newMode");
        GRAPH.lock();
        try {
            mode = newMode;
            epoch++;
            checking = newMode != Mode.OFF;
        } finally {
            GRAPH.unlock();
        }
    }

    /**
     * Sets who hears about violations in {@link Mode#REPORT} mode. The default logs each one as a warning through
     * {@link System.Logger}. The handler runs on the thread that found the violation, holding whatever locks it
     * holds, before it acquires the next one: keep it short and lock-free.
     *
     * @param newHandler receives each violation once; replaces the current handler
     * @throws NullPointerException if {@code newHandler} is null
     */
    public static void onViolation(Consumer<? super LockOrderViolationException> newHandler) {
        handler = Checks.requireNonNull(newHandler, "newHandler");
    }

    /** Forgets every recorded edge and every held list, for tests and for phases of a program that restart. */
    public static void reset() {
        GRAPH.lock();
        try {
            generation++;
            epoch++;
        } finally {
            GRAPH.unlock();
        }
    }

    /**
     * Returns a view of a lock that ft4j did not create, checked like ft4j's own (exclusive mode). Every acquisition
     * must go through the returned view for its order to be seen. The lock is taken to be re-entrant, as
     * {@link ReentrantLock} is: a thread taking it again while holding it adds no order and is not reported. In {@link Mode#STRICT} mode the view's blocking
     * and timed acquisitions throw {@link LockOrderViolationException} instead of acquiring.
     *
     * @param lock the lock to check, such as a {@link ReentrantLock}
     * @param name the name used in reports
     * @return a view of {@code lock} that reports to the checker
     * @throws NullPointerException if {@code lock} or {@code name} is null
     */
    public static Lock wrap(Lock lock, String name) {
        Checks.requireNonNull(lock, "lock");
        return new CheckedLock(lock, new Node(Checks.requireNonNull(name, "name"), NO_LEVEL), false);
    }

    /**
     * Returns a view of a read-write lock that ft4j did not create, checked like {@link ReaderWriterLock}: its read
     * side is shared, its write side exclusive, and both are one lock in the graph. The lock is taken to be
     * re-entrant for readers, as {@link java.util.concurrent.locks.ReentrantReadWriteLock} is; a lock whose second
     * read hold can wait behind a queued writer (such as {@link java.util.concurrent.locks.StampedLock}'s read-write
     * view) can deadlock its own thread, which the checker does not report. In {@link Mode#STRICT} mode the
     * view's blocking and timed acquisitions throw {@link LockOrderViolationException} instead of acquiring.
     *
     * @param lock the lock to check, such as a {@link java.util.concurrent.locks.ReentrantReadWriteLock}
     * @param name the name used in reports
     * @return a view of {@code lock} whose two sides report to the checker
     * @throws NullPointerException if {@code lock} or {@code name} is null
     */
    public static ReadWriteLock wrap(ReadWriteLock lock, String name) {
        Checks.requireNonNull(lock, "lock");
        Node node = new Node(Checks.requireNonNull(name, "name"), NO_LEVEL);
        Lock read = new CheckedLock(lock.readLock(), node, true);
        Lock write = new CheckedLock(lock.writeLock(), node, false);
        return new ReadWriteLock() {
            @Override public Lock readLock() { return read; }
            @Override public Lock writeLock() { return write; }
        };
    }

    // ------------------------------------------------------------------ hooks called by the locks

    /** One lock in the graph: an ft4j lock, a wrapped lock, or an object used by a critical section. */
    static final class Node {
        final String name;
        final int level;
        /**
         * Whether this is a gate: an exclusive lock that its holders take before, and hold around, the locks whose
         * order it gates (a critical section's tie monitor).
         */
        final boolean gate;
        /** Whether the lock was ever taken exclusively; decides whether read-read steps through it can block. */
        volatile boolean written;
        /** Outgoing edges of {@link #gen}, by target, one slot per (held shared, wanted shared) pair. */
        volatile Map<Node, Edge[]> out;
        volatile int gen;
        /** Incoming edges of {@link #inGen}, read and written under {@link #GRAPH} only. */
        List<Edge> in;
        int inGen;

        Node(String name, int level) {
            this(name, level, false);
        }

        Node(String name, int level, boolean gate) {
            this.name = name;
            this.level = level;
            this.gate = gate;
        }

        /**
         * Whether this step is recorded and may pass: in strict mode a step that closed a cycle never passes, in report
         * mode one whose cycle was not reported yet (it was found in strict mode) does not either.
         */
        boolean knows(Node to, boolean heldShared, boolean wantShared, Mode m, List<Node> gates) {
            if (gen != generation) { // gen before out: a new map is published before its generation
                return false;
            }
            Map<Node, Edge[]> edges = out;
            if (edges == null) {
                return false;
            }
            Edge[] kinds = edges.get(to);
            Edge e = kinds == null ? null : kinds[kind(heldShared, wantShared)];
            // an edge recorded under a gate does not stand for the same step taken without it
            return e != null && gates.containsAll(e.gates)
                    && !(e.closedCycle && (m == Mode.STRICT || !e.reported));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The first time a thread took {@code to} while holding {@code from}; {@code gates} are the gates (critical
     * sections' tie monitors) held before {@code from} was taken, and still held, every time this step was seen. A
     * cycle whose edges all share a gate cannot deadlock: every thread on it holds that gate, so only one can be on
     * it at a time.
     */
    record Edge(Node from, boolean heldShared, Node to, boolean wantShared, String site, String thread,
            boolean closedCycle, boolean reported, List<Node> gates) {
        /**
         * This edge, marked as the one that closed a cycle: in strict mode it no longer passes, nor in report mode
         * unless {@code reported}.
         */
        Edge closing(boolean reported) {
            return new Edge(from, heldShared, to, wantShared, site, thread, true, reported, gates);
        }

        @Override
        public String toString() {
            return from.name + " (" + mode(heldShared) + ") then " + to.name + " (" + mode(wantShared) + ") at "
                    + site + " in thread \"" + thread + "\"";
        }
    }

    /** The locks one thread holds, most recent last; a lock held re-entrantly appears once per hold. */
    static final class Held {
        int epoch = LockOrder.epoch;
        Node[] nodes = new Node[8];
        boolean[] shared = new boolean[8];
        int size;

        /** The gates held at indexes below {@code end}, each once. */
        List<Node> gatesBelow(int end) {
            List<Node> gates = List.of();
            for (int i = 0; i < end; i++) {
                if (nodes[i].gate && !gates.contains(nodes[i])) {
                    gates = gates.isEmpty() ? new ArrayList<>(2) : gates;
                    gates.add(nodes[i]);
                }
            }
            return gates;
        }

        int indexOf(Node n) {
            for (int i = size - 1; i >= 0; i--) {
                if (nodes[i] == n) {
                    return i;
                }
            }
            return -1;
        }
    }

    static Node node(String name, Object owner, int level) {
        return new Node(name != null ? name : defaultName(owner), level);
    }

    static Node nodeOf(Object object) {
        return OBJECTS.get(object, null, false);
    }

    /** The node of an object used as a gate (see {@link Node#gate}), named {@code name} when first seen. */
    static Node gateOf(Object object, String name) {
        return OBJECTS.get(object, name, true);
    }

    private static String defaultName(Object owner) {
        return owner.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(owner));
    }

    private static Held held() {
        Held h = HELD.get();
        if (h.epoch != epoch) {
            java.util.Arrays.fill(h.nodes, null);
            h.size = 0;
            h.epoch = epoch;
        }
        return h;
    }

    /**
     * Called before a lock may block: records the order against every lock this thread holds and reports what
     * breaks it. In strict mode it throws, and the caller must not acquire.
     */
    static void acquiring(Node n, boolean shared) {
        Mode m = mode;
        if (m == Mode.OFF) {
            return;
        }
        if (!shared && !n.written) {
            firstWriter(m, n);
        }
        Held h = held();
        if (h.indexOf(n) >= 0) {
            return; // re-entrant, or a read under this thread's own write lock: no new order
        }
        // The order from each held lock is gated by every gate held since before that lock was taken (see Edge).
        for (int i = 0; i < h.size; i++) {
            step(m, h.nodes[i], h.shared[i], n, shared, h.gatesBelow(i));
        }
    }

    /**
     * Called before a thread that holds {@code n} gives it up and waits to get it back while keeping the locks it
     * took after {@code n} ({@link IntervalLock#cede()}): that wait is an acquisition of {@code n} under those locks.
     */
    static void reacquiring(Node n, boolean shared) {
        Mode m = mode;
        if (m == Mode.OFF) {
            return;
        }
        Held h = held();
        int first = -1;
        for (int i = 0; i < h.size && first < 0; i++) {
            first = h.nodes[i] == n ? i : -1;
        }
        if (first < 0) {
            return;
        }
        for (int i = first + 1; i < h.size; i++) {
            if (h.nodes[i] != n) {
                step(m, h.nodes[i], h.shared[i], n, shared, h.gatesBelow(i));
            }
        }
    }

    /** Checks and records one step: {@code n} wanted while {@code p} is held. */
    private static void step(Mode m, Node p, boolean ps, Node n, boolean shared, List<Node> gates) {
        if (p.level != NO_LEVEL && n.level != NO_LEVEL && n.level <= p.level) {
            violation(m, new LockOrderViolationException("Lock hierarchy broken: acquiring " + n.name
                    + " (level " + n.level + ", " + mode(shared) + ") while holding " + p.name + " (level "
                    + p.level + ") at " + site() + " in thread \"" + Thread.currentThread().getName()
                    + "\". Take locks in increasing level order."));
        }
        if (!p.knows(n, ps, shared, m, gates)) {
            addEdge(m, p, ps, n, shared, gates);
        }
    }

    /** Called once a lock is held. */
    static void acquired(Node n, boolean shared) {
        Held h = held();
        if (h.size == h.nodes.length) {
            h.nodes = java.util.Arrays.copyOf(h.nodes, h.size * 2);
            h.shared = java.util.Arrays.copyOf(h.shared, h.size * 2);
        }
        h.nodes[h.size] = n;
        h.shared[h.size++] = shared;
    }

    /** Called when a hold is released; a lock the checker never saw taken (mode changed since) is ignored. */
    static void released(Node n) {
        Held h = held();
        int i = h.indexOf(n);
        if (i < 0) {
            return;
        }
        System.arraycopy(h.nodes, i + 1, h.nodes, i, h.size - i - 1);
        System.arraycopy(h.shared, i + 1, h.shared, i, h.size - i - 1);
        h.nodes[--h.size] = null;
    }

    /**
     * Marks {@code n} as written and judges again the cycles that pass through it between two read holds: judged
     * harmless while no writer of {@code n} could queue between the readers, each of them is a potential deadlock
     * from now on. In report mode each is reported now; in strict mode its closing edge is marked, so the next
     * acquisition along it throws.
     */
    private static void firstWriter(Mode m, Node n) {
        List<LockOrderViolationException> found = new ArrayList<>();
        GRAPH.lock();
        try {
            if (n.written) {
                return; // another writer came first and did the work
            }
            n.written = true; // under GRAPH: a cycle search that ran before saw the old value, and its edge is in n.in
            if (n.in == null || n.inGen != generation) {
                return;
            }
            String site = null;
            for (int i = 0; i < n.in.size(); i++) {
                Edge e = n.in.get(i);
                if (!e.wantShared || e.closedCycle) {
                    continue;
                }
                List<Edge> back = pathBack(n, true, e.from, e.heldShared, e.gates);
                if (back == null) {
                    continue;
                }
                Edge closed = e.closing(m == Mode.REPORT);
                n.in.set(i, closed);
                e.from.out.get(n)[kind(e.heldShared, e.wantShared)] = closed;
                if (m == Mode.REPORT) {
                    if (site == null) {
                        site = site();
                    }
                    StringBuilder s = new StringBuilder("Potential deadlock: lock order cycle between ")
                            .append(back.size() + 1).append(" locks, real since ").append(n.name)
                            .append(" was first write-locked at ").append(site).append(" in thread \"")
                            .append(Thread.currentThread().getName())
                            .append("\": a writer queued on it blocks new readers, so its readers can wait for each "
                                    + "other.\n  earlier: ").append(e);
                    for (Edge b : back) {
                        s.append("\n  earlier: ").append(b);
                    }
                    s.append("\nTake these locks in one order everywhere.");
                    found.add(new LockOrderViolationException(s.toString()));
                }
            }
        } finally {
            GRAPH.unlock();
        }
        for (LockOrderViolationException x : found) {
            handler.accept(x);
        }
    }

    private static void addEdge(Mode m, Node from, boolean heldShared, Node to, boolean wantShared,
            List<Node> seenGates) {
        LockOrderViolationException found = null;
        GRAPH.lock();
        try {
            if (from.knows(to, heldShared, wantShared, m, seenGates)) {
                return; // another thread recorded it meanwhile
            }
            // gated only by what every sighting of this step held: the ones recorded before, and this one
            Edge[] seen = from.out != null && from.gen == generation ? from.out.get(to) : null;
            Edge before = seen == null ? null : seen[kind(heldShared, wantShared)];
            List<Node> gates = List.copyOf(before == null ? seenGates : common(before.gates, seenGates));
            List<Edge> back = pathBack(to, wantShared, from, heldShared, gates);
            Edge edge = new Edge(from, heldShared, to, wantShared, site(), Thread.currentThread().getName(),
                    back != null, back != null, gates); // strict mode throws below: a closing edge recorded is reported
            if (back != null) {
                StringBuilder s = new StringBuilder("Potential deadlock: lock order cycle between ")
                        .append(back.size() + 1).append(" locks.\n  now:     ").append(edge);
                for (Edge e : back) {
                    s.append("\n  earlier: ").append(e);
                }
                s.append("\nTake these locks in one order everywhere.");
                found = new LockOrderViolationException(s.toString());
                if (m == Mode.STRICT) {
                    throw found;
                }
            }
            int g = generation;
            if (from.out == null || from.gen != g) {
                from.out = new ConcurrentHashMap<>();
                from.gen = g;
            }
            Edge[] kinds = from.out.computeIfAbsent(to, k -> new Edge[4]);
            int k = kind(heldShared, wantShared);
            Edge replaced = kinds[k]; // non-null only for an edge marked closing, seen again
            kinds[k] = edge; // published to lock-free readers racily: a miss only retries here
            if (to.in == null || to.inGen != g) {
                to.in = new ArrayList<>();
                to.inGen = g;
            }
            if (replaced != null) {
                to.in.remove(replaced);
            }
            to.in.add(edge);
        } finally {
            GRAPH.unlock();
        }
        if (found != null) {
            handler.accept(found);
        }
    }

    /**
     * Searches for a path of recorded edges from {@code start} (acquired in mode {@code startShared}) back to
     * {@code target} (held in mode {@code targetShared}) along which every lock really blocks the next thread.
     * Breadth-first over (lock, mode it was entered in), so the reported cycle is a shortest one.
     */
    private static List<Edge> pathBack(Node start, boolean startShared, Node target, boolean targetShared,
            List<Node> closingGates) {
        record State(Node node, boolean enteredShared, List<Node> gates) {} // gates shared by every edge so far
        record Step(State from, Edge edge) {}
        Map<State, Step> via = new HashMap<>();
        ArrayDeque<State> todo = new ArrayDeque<>();
        State first = new State(start, startShared, closingGates);
        via.put(first, new Step(null, null));
        todo.add(first);
        int g = generation;
        while (!todo.isEmpty()) {
            State s = todo.poll();
            if (s.node == target && blocks(target, s.enteredShared, targetShared) && s.gates.isEmpty()) {
                List<Edge> path = new ArrayList<>();
                for (Step step = via.get(s); step.edge != null; step = via.get(step.from)) {
                    path.add(step.edge);
                }
                Collections.reverse(path);
                return path;
            }
            Map<Node, Edge[]> edges = s.node.out;
            if (edges == null || s.node.gen != g) {
                continue;
            }
            for (Edge[] kinds : edges.values()) {
                for (Edge e : kinds) {
                    if (e != null && blocks(s.node, s.enteredShared, e.heldShared)) {
                        State next = new State(e.to, e.wantShared, common(s.gates, e.gates));
                        if (via.putIfAbsent(next, new Step(s, e)) == null) {
                            todo.add(next);
                        }
                    }
                }
            }
        }
        return null;
    }

    /** The gates in both lists, as a new list (or an empty one). */
    private static List<Node> common(List<Node> a, List<Node> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return List.of();
        }
        List<Node> both = new ArrayList<>(a);
        both.retainAll(b);
        return both.isEmpty() ? List.of() : List.copyOf(both);
    }

    /**
     * Whether a thread wanting {@code lock} in mode {@code wantShared} can be blocked by one holding it in mode
     * {@code heldShared}. Two read holds block each other only through a waiting writer, which needs one.
     */
    private static boolean blocks(Node lock, boolean wantShared, boolean heldShared) {
        return !(wantShared && heldShared) || lock.written;
    }

    private static int kind(boolean heldShared, boolean wantShared) {
        return (heldShared ? 2 : 0) + (wantShared ? 1 : 0);
    }

    private static String mode(boolean shared) {
        return shared ? "read" : "write";
    }

    private static void violation(Mode m, LockOrderViolationException x) {
        if (m == Mode.STRICT) {
            throw x;
        }
        handler.accept(x);
    }

    /** The caller's frame: the first one outside ft4j-core, so that no lock class can be left out. */
    static String site() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isFt4jCore(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.toStackTraceElement().toString())
                .orElse("(unknown)"));
    }

    /**
     * Whether a class is part of ft4j-core: its module when ft4j-core is a named module, otherwise an
     * {@code io.ft4j} package loaded from the same place as this class (not ft4j's other artifacts, nor a user's
     * classes that share a package name).
     */
    static boolean isFt4jCore(Class<?> c) {
        Module module = LockOrder.class.getModule();
        if (module.isNamed()) {
            return c.getModule() == module;
        }
        return c.getPackageName().startsWith("io.ft4j.") && c.getClassLoader() == LockOrder.class.getClassLoader()
                && Objects.equals(location(c), CORE_LOCATION);
    }

    private static URL location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    // ------------------------------------------------------------------ wrapped locks and object nodes

    /** A foreign lock seen through the checker. */
    private static final class CheckedLock implements Lock {
        private final Lock lock;
        private final Node node;
        private final boolean shared;

        CheckedLock(Lock lock, Node node, boolean shared) {
            this.lock = lock;
            this.node = node;
            this.shared = shared;
        }

        @Override
        public void lock() {
            if (checking) {
                acquiring(node, shared);
            }
            lock.lock();
            if (checking) {
                acquired(node, shared);
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (checking) {
                acquiring(node, shared);
            }
            lock.lockInterruptibly();
            if (checking) {
                acquired(node, shared);
            }
        }

        @Override
        public boolean tryLock() {
            boolean locked = lock.tryLock(); // cannot wait, so cannot deadlock: no edge, but it counts as held
            if (locked && checking) {
                acquired(node, shared);
            }
            return locked;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (checking) {
                acquiring(node, shared);
            }
            boolean locked = lock.tryLock(time, unit);
            if (locked && checking) {
                acquired(node, shared);
            }
            return locked;
        }

        @Override
        public void unlock() {
            lock.unlock();
            if (checking) {
                released(node);
            }
        }

        @Override
        public Condition newCondition() {
            return lock.newCondition();
        }

        @Override
        public String toString() {
            return node.name + " " + lock;
        }
    }

    /** Nodes for arbitrary objects, by identity, without keeping the objects alive. */
    private static final class IdentityNodes {
        private final ConcurrentHashMap<Key, Node> nodes = new ConcurrentHashMap<>();
        private final ReferenceQueue<Object> dead = new ReferenceQueue<>();

        Node get(Object o, String name, boolean gate) {
            for (Object k; (k = dead.poll()) != null; ) {
                nodes.remove(k);
            }
            return nodes.computeIfAbsent(new Key(o, dead),
                    k -> new Node(name != null ? name : defaultName(o), NO_LEVEL, gate));
        }

        static final class Key extends WeakReference<Object> {
            private final int hash;

            Key(Object o, ReferenceQueue<Object> queue) {
                super(o, queue);
                hash = System.identityHashCode(o);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object other) {
                if (this == other) {
                    return true;
                }
                Object mine = get();
                return other instanceof Key k && mine != null && mine == k.get();
            }
        }
    }
}
