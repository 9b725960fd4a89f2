package io.ft4j.concurrent;

import io.ft4j.internal.util.Checks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link ConcurrentMap} with lock-free reads and a lock per bin for writes, the shape of
 * {@link java.util.concurrent.ConcurrentHashMap}, with removals through its views that never remove a value they did
 * not see. It takes its name and its sharded design from the {@code ConcurrentDict} of ft_utils, a library for
 * free-threaded Python.
 *
 * <pre>{@code
 * ConcurrentDict<String, Long> counts = new ConcurrentDict<>(10_000); // room for 10,000 entries
 * counts.merge(word, 1L, Long::sum);                                  // atomic
 * Long first = counts.putIfAbsent("k", 1L);                            // the previous value, or null
 * Long gone = counts.remove("k");
 * Map<String, Long> copy = counts.snapshot();                          // a HashMap copy
 * }</pre>
 *
 * <p>Null keys and values are rejected with {@link NullPointerException}, as {@link
 * java.util.concurrent.ConcurrentHashMap} does. Every single-key operation, including {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent}, {@code merge}, {@code putIfAbsent} and the {@code replace} and
 * {@code remove} variants, is atomic; the functions they take run at most once (compute: exactly once), while the
 * key's bin is locked, so they must be short and must not update this map. An update of the same bin from inside
 * the function throws {@link IllegalStateException} and changes nothing. An update of another bin that makes the
 * table grow takes effect and then throws {@link IllegalStateException} when the resize it started reaches the
 * locked bin (the map stays consistent; a later update finishes the resize). An update of another key is otherwise
 * not detected and can deadlock against a thread doing the reverse, as with ConcurrentHashMap.
 *
 * <p><b>Concurrency level.</b> Every bin is its own write lock, and even a small map starts with
 * {@code 4 x concurrencyLevel} bins (rounded up to a power of two; the number of CPUs unless a constructor is given
 * one), so that many writers seldom meet. Reads never lock.
 *
 * <p><b>Weak guarantees.</b> {@link #size()}, {@link #isEmpty()}, {@link #snapshot()}, {@link #clear()},
 * {@link #putAll(Map)}, {@code equals} and {@code hashCode} are not atomic: under concurrent updates they reflect
 * some interleaving of them. Iterators and the key, value and entry views are weakly consistent: they never throw
 * {@link java.util.ConcurrentModificationException}, return each entry at most once, return every entry that was
 * present when iteration began and not removed since, and may or may not reflect later changes. Their spliterators
 * report {@link java.util.Spliterator#CONCURRENT} and {@link java.util.Spliterator#NONNULL}, and the key and entry
 * views' also {@link java.util.Spliterator#DISTINCT}, as ConcurrentHashMap's do. {@code Entry.setValue} writes
 * through with {@code put}.
 *
 * <p><b>Removal through the views.</b> A removal that a view decides on while walking the map removes an entry only if
 * its key still maps to the value the walk read, as {@link #remove(Object, Object) remove(key, value)} does: {@code
 * Iterator.remove} (from any of the three views; after {@code Entry.setValue}, the value set), {@code removeIf},
 * {@code retainAll}, {@code removeAll} when it walks the view, and {@code values().remove}. So a key that another
 * thread updates between the test and the removal keeps its new value, and each of these methods returns true only
 * if it removed something. ConcurrentHashMap does this for {@code values().removeIf} and {@code
 * entrySet().removeIf}; here every view does it, including the key view, whose test sees only the key. A removal that
 * names its target removes what it names: {@code keySet().remove(k)} removes k whatever its value, {@code
 * entrySet().remove(e)} removes e's key only if it maps to e's value, and {@code removeAll(c)} on those two views,
 * when {@code c} is the smaller, does that for each element of {@code c}. {@code clear()} removes unconditionally.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
/*
 * Design notes
 *
 * Algorithm. One power-of-two table of chained bins, the shape of JDK 8's ConcurrentHashMap (Lea), written anew
 * with a simpler resize. A key's hash is folded (h ^ h >>> 16) and its low bits pick the bin, so small integer keys
 * fill consecutive bins (lookups walk memory in order; a multiplicative mix measured 15-35% slower on get). An
 * empty bin is filled by CAS; any other change to a bin happens under the monitor of the bin's first node, so two
 * writers meet only when their keys share a bin. Nodes have a final hash and key and volatile value and next; bins
 * are read with acquire and written with release or CAS. Readers take no lock and write nothing.
 *
 * Resize. One thread at a time (a CAS-claimed flag) doubles the table: it moves each old bin, under that bin's lock,
 * into bins i and i + n of the next table (copying the nodes in front of the bin's last same-side run and sharing
 * that run), then leaves a Forward node in the old bin. Readers and writers that meet a Forward go on in the next
 * table, so nobody waits for a resize, and writers into moved bins never disturb the resizer, which only writes
 * next-table bins that no other old bin maps to. The resizer's progress is kept, so a resize that had to stop (see
 * recursion below) is finished by the next thread that needs one. Threads do not help move bins: on the few cores
 * this map targets, helping costs more in contention than it saves.
 *
 * Computations. compute/computeIfAbsent on an empty bin CAS a Reservation node in and hold its monitor while the
 * function runs, so the bin is locked before the key exists. While a function runs, its bin's first node is marked
 * "computing" (a plain field, read only by threads holding that node's monitor, that is by the same thread
 * re-entering): any update or move of that bin by the same thread finds the mark and throws.
 *
 * Size. A LongAdder: uncontended inserts CAS one base cell; contended ones spread over cells per thread. A resize is
 * considered after inserts into occupied bins (see addCount: summing the cells is what threads inserting private
 * keys must not do on every insert), against 3/4 of the table; keys that never collide, like small integers, fill
 * the table once before it doubles.
 *
 * Linearization points. get/containsKey: the acquire read of the bin that holds the key, or of a bin without it.
 * put on an absent key: the CAS or release store that links its node; on a present key: the volatile write of the
 * node's value. remove: the release store or volatile write that unlinks the node. compute/merge/putIfAbsent/
 * replace: the same writes, under the bin's monitor, so read-decide-write is one step. A removal through a view:
 * that of remove(key, valueTheWalkRead), so a view never removes a value it did not see (ConcurrentHashMap's
 * removeValueIf/removeEntryIf; its iterators' remove() and keySet().removeIf still remove the key unconditionally).
 *
 * Memory ordering. A value read by get() happens-after everything the writing thread did before the write that
 * stored it (release store, CAS or volatile write, matched by acquire or volatile reads on the read path).
 *
 * Known non-guarantees. No whole-map snapshot: size, iteration, clear and snapshot see bins one at a time
 * (ft_utils' "not thread consistent", made explicit).
 */
public final class ConcurrentDict<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
    static final int MOVED = -1;
    static final int RESERVED = -2;
    private static final int HASH_BITS = 0x7fffffff;
    private static final int MIN_TABLE = 2;
    private static final float DEFAULT_LOAD_FACTOR = 0.75f;
    private static final int MAX_TABLE = 1 << 30;
    private static final VarHandle BIN = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final VarHandle RESIZING;

    static {
        try {
            RESIZING = MethodHandles.lookup().findVarHandle(ConcurrentDict.class, "resizing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Node<K, V>[] table;
    /** The table being filled by a resize in progress, or null. */
    private volatile Node<K, V>[] nextTable;
    /** The count above which the table doubles. */
    private volatile int threshold;
    /** 1 while a thread moves bins; the claim that makes resizes one at a time. */
    private volatile int resizing;
    /** Bins below this index are still to be moved; guarded by the resizing claim. */
    private int transferIndex;
    private final LongAdder count = new LongAdder();

    private transient KeySet<K, V> keySet;
    private transient Values<K, V> values;
    private transient EntrySet<K, V> entrySet;

    /**
     * Creates an empty map with room for a few entries per CPU and a write lock per bin for about as many
     * concurrent writers as there are CPUs.
     */
    public ConcurrentDict() {
        this(0, DEFAULT_LOAD_FACTOR, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates an empty map sized to hold {@code initialCapacity} entries without growing, as
     * {@link java.util.concurrent.ConcurrentHashMap#ConcurrentHashMap(int)} does.
     *
     * @param initialCapacity how many entries to make room for; 0 or more
     * @throws IllegalArgumentException if {@code initialCapacity < 0}
     */
    public ConcurrentDict(int initialCapacity) {
        this(initialCapacity, DEFAULT_LOAD_FACTOR, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates an empty map sized to hold {@code initialCapacity} entries at a density of {@code loadFactor} entries
     * per bin without growing, as {@link java.util.concurrent.ConcurrentHashMap#ConcurrentHashMap(int, float)} does.
     * As there, the load factor only sizes the initial table; the table doubles when it is three quarters full.
     *
     * @param initialCapacity how many entries to make room for; 0 or more
     * @param loadFactor the entries per bin the initial size is computed for; greater than 0
     * @throws IllegalArgumentException if {@code initialCapacity < 0} or {@code loadFactor} is not greater than 0
     */
    public ConcurrentDict(int initialCapacity, float loadFactor) {
        this(initialCapacity, loadFactor, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates an empty map sized for {@code initialCapacity} entries and for about {@code concurrencyLevel} threads
     * writing at once, as {@link java.util.concurrent.ConcurrentHashMap#ConcurrentHashMap(int, float, int)} does.
     * Every bin is its own write lock; the table starts with at least {@code 4 x concurrencyLevel} bins (rounded up to
     * a power of two), so that that many writers seldom meet on one bin even while the map is small.
     *
     * @param initialCapacity how many entries to make room for; 0 or more
     * @param loadFactor the entries per bin the initial size is computed for; greater than 0
     * @param concurrencyLevel about how many threads will update the map at once; 1 or more
     * @throws IllegalArgumentException if {@code initialCapacity < 0}, {@code loadFactor} is not greater than 0, or
     *     {@code concurrencyLevel < 1}
     */
    public ConcurrentDict(int initialCapacity, float loadFactor, int concurrencyLevel) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException(Checks.badArgument("initialCapacity", initialCapacity, ">= 0"));
        }
        if (!(loadFactor > 0.0f)) {
            throw new IllegalArgumentException(Checks.badArgument("loadFactor", loadFactor, "> 0 (0.75 is usual)"));
        }
        Checks.requirePositive(concurrencyLevel, "concurrencyLevel");
        double forCapacity = Math.ceil(initialCapacity / (double) loadFactor);
        double wanted = Math.max(4.0 * concurrencyLevel, Math.max(MIN_TABLE, forCapacity));
        int n = tableSizeFor((int) Math.min(MAX_TABLE, wanted));
        table = newTable(n);
        threshold = thresholdFor(n);
    }

    /**
     * Creates a map holding the entries of {@code initial}, as
     * {@link java.util.concurrent.ConcurrentHashMap#ConcurrentHashMap(Map)} does.
     *
     * @param initial the entries to copy; no null keys or values
     * @throws NullPointerException if {@code initial} or any of its keys or values is null
     */
    public ConcurrentDict(Map<? extends K, ? extends V> initial) {
        this(Checks.requireNonNull(initial, "initial").size());
        putAll(initial);
    }

    /** The number of bins in the current table; for tests. */
    int tableLength() {
        return table.length;
    }

    private static int tableSizeFor(int c) {
        return c <= 1 ? 1 : Integer.highestOneBit(c - 1) << 1;
    }

    private static int thresholdFor(int n) {
        return n >= MAX_TABLE ? Integer.MAX_VALUE : n - (n >>> 2);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Node<K, V>[] newTable(int n) {
        return (Node<K, V>[]) new Node<?, ?>[n];
    }

    /** Folds the high half of the key's hash into the low half and clears the sign, which marks special nodes. */
    private static int spread(int h) {
        return (h ^ (h >>> 16)) & HASH_BITS;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Node<K, V> tabAt(Node<K, V>[] tab, int i) {
        return (Node<K, V>) BIN.getAcquire(tab, i);
    }

    private static <K, V> boolean casTabAt(Node<K, V>[] tab, int i, Node<K, V> expected, Node<K, V> node) {
        return BIN.compareAndSet(tab, i, expected, node);
    }

    private static <K, V> void setTabAt(Node<K, V>[] tab, int i, Node<K, V> node) {
        BIN.setRelease(tab, i, node);
    }

    private static <K, V> Node<K, V>[] forwarded(Node<K, V> f) {
        return ((Forward<K, V>) f).nextTable;
    }

    /** Caller holds {@code f}'s monitor and has checked that f still heads its bin. */
    private static void checkNotComputing(Node<?, ?> f) {
        if (f.computing) {
            throw new IllegalStateException("recursive update: a function given to compute, computeIfAbsent, "
                    + "computeIfPresent or merge must not update this map");
        }
    }

    private static boolean matches(Node<?, ?> e, int h, Object key) {
        Object k;
        return e.hash == h && ((k = e.key) == key || key.equals(k));
    }

    // -----------------------------------------------------------------------------------------------------------
    // Reads: no lock

    /**
     * Returns the value for {@code key}, or null if there is none. Never blocks.
     *
     * @param key the key
     * @return its value, or null
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V get(Object key) {
        int h = spread(Checks.requireNonNull(key, "key").hashCode());
        Node<K, V>[] tab = table;
        outer:
        for (;;) {
            for (Node<K, V> e = tabAt(tab, h & (tab.length - 1)); e != null; e = e.next) { // linearization point
                int eh = e.hash;
                if (eh == h) {
                    Object k = e.key;
                    if (k == key || key.equals(k)) {
                        return e.value;
                    }
                } else if (eh < 0) {
                    if (eh == MOVED) {
                        tab = forwarded(e);
                        continue outer;
                    }
                    return null; // a reservation: the key is being computed, not yet present
                }
            }
            return null;
        }
    }

    /**
     * Returns the value for {@code key}, or {@code defaultValue} if there is none. Never blocks.
     *
     * @param key the key
     * @param defaultValue what to return if {@code key} has no value
     * @return its value, or {@code defaultValue}
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v != null ? v : defaultValue;
    }

    /**
     * Returns whether the map holds {@code key}. Never blocks.
     *
     * @param key the key
     * @return whether the map holds {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /**
     * Returns whether some key maps to a value equal to {@code value}. Scans every entry: O(size), weakly consistent.
     *
     * @param value the value to look for
     * @return whether some key maps to a value equal to it
     * @throws NullPointerException if {@code value} is null
     */
    @Override
    public boolean containsValue(Object value) {
        Checks.requireNonNull(value, "value");
        for (ValueWalker<K, V> it = new ValueWalker<>(this); it.hasNext(); ) {
            V v = it.next();
            if (v == value || value.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the number of entries: exact when no write is in progress, otherwise some value the map held or is about
     * to hold; not an atomic snapshot.
     *
     * @return the number of entries, at most {@link Integer#MAX_VALUE}
     */
    @Override
    public int size() {
        return (int) Math.min(mappingCount(), Integer.MAX_VALUE);
    }

    /**
     * Returns the number of entries as a long, for maps that may hold more than {@link Integer#MAX_VALUE}; as weak as
     * {@link #size()}.
     *
     * @return the number of entries
     */
    public long mappingCount() {
        return Math.max(0L, count.sum());
    }

    /**
     * Returns whether the map holds no entry; as weak as {@link #size()}.
     *
     * @return true if the map held no entry when counted
     */
    @Override
    public boolean isEmpty() {
        return count.sum() <= 0L;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Single-key writes: CAS into an empty bin, otherwise under the monitor of the bin's first node

    /**
     * Maps {@code key} to {@code value}, replacing any value it had, atomically.
     *
     * @param key the key
     * @param value the value
     * @return the value before, or null if the key was absent
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public V put(K key, V value) {
        return putVal(key, value, false);
    }

    /**
     * Maps {@code key} to {@code value} if {@code key} is absent, atomically.
     *
     * @param key the key
     * @param value the value to insert if the key is absent
     * @return the value already there (and the map is unchanged), or null if {@code value} was inserted
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public V putIfAbsent(K key, V value) {
        return putVal(key, value, true);
    }

    private V putVal(K key, V value, boolean onlyIfAbsent) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        int h = spread(key.hashCode());
        int binCount;
        Node<K, V>[] tab = table;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                if (casTabAt(tab, i, null, new Node<>(h, key, value, null))) { // linearization point
                    binCount = 0;
                    break;
                }
                continue;
            }
            int fh = f.hash;
            if (fh == MOVED) {
                tab = forwarded(f);
                continue;
            }
            if (onlyIfAbsent && matches(f, h, key)) {
                return f.value; // present at this read: nothing to lock
            }
            V old = null;
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue; // the bin changed hands (a removal, a move or a finished reservation): retry
                }
                checkNotComputing(f);
                binCount = 1;
                for (Node<K, V> e = f;; binCount++) {
                    if (matches(e, h, key)) {
                        old = e.value;
                        if (!onlyIfAbsent) {
                            e.value = value; // linearization point: the volatile write
                        }
                        break;
                    }
                    Node<K, V> next = e.next;
                    if (next == null) {
                        e.next = new Node<>(h, key, value, null); // linearization point
                        break;
                    }
                    e = next;
                }
            }
            if (old != null) {
                return old;
            }
            break;
        }
        addCount(1, binCount, h);
        return null;
    }

    /**
     * Removes {@code key} and its value, atomically.
     *
     * @param key the key
     * @return the value removed, or null if there was none
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public V remove(Object key) {
        return replaceNode(Checks.requireNonNull(key, "key"), null, null);
    }

    /**
     * Removes {@code key} only if it maps to a value equal to {@code value}, atomically.
     *
     * @param key the key
     * @param value the value the key must map to
     * @return true if the key was removed
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public boolean remove(Object key, Object value) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        return replaceNode(key, null, value) != null;
    }

    /**
     * Replaces the value of {@code key} with {@code newValue} only if it is equal to {@code oldValue}, atomically.
     *
     * @param key the key
     * @param oldValue the value the key must map to
     * @param newValue the value to store
     * @return true if the value was replaced
     * @throws NullPointerException if any argument is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(oldValue, "oldValue");
        Checks.requireNonNull(newValue, "newValue");
        return replaceNode(key, newValue, oldValue) != null;
    }

    /**
     * Replaces the value of {@code key} with {@code value} only if the key is present, atomically.
     *
     * @param key the key
     * @param value the value to store
     * @return the value before, or null if the key was absent (and the map is unchanged)
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public V replace(K key, V value) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        return replaceNode(key, value, null);
    }

    /**
     * Replaces key's value with {@code value}, or removes the key if {@code value} is null, provided the current value
     * equals {@code expected} (null: any).
     *
     * @return the value before, or null if the key was absent or did not match
     */
    private V replaceNode(Object key, V value, Object expected) {
        int h = spread(key.hashCode());
        Node<K, V>[] tab = table;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                return null;
            }
            if (f.hash == MOVED) {
                tab = forwarded(f);
                continue;
            }
            V old = null;
            boolean removed = false;
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                for (Node<K, V> e = f, pred = null; e != null; pred = e, e = e.next) {
                    if (matches(e, h, key)) {
                        V ev = e.value;
                        if (expected == null || expected == ev || expected.equals(ev)) {
                            old = ev;
                            if (value != null) {
                                e.value = value; // linearization point
                            } else {
                                removed = true;
                                unlink(tab, i, pred, e); // linearization point
                            }
                        }
                        break;
                    }
                }
            }
            if (removed) {
                addCount(-1, -1, 0);
            }
            return old;
        }
    }

    /** Caller holds the bin's monitor; {@code pred} is e's predecessor, or null if e heads the bin. */
    private static <K, V> void unlink(Node<K, V>[] tab, int i, Node<K, V> pred, Node<K, V> e) {
        if (pred == null) {
            setTabAt(tab, i, e.next);
        } else {
            pred.next = e.next;
        }
    }

    /**
     * Returns the value of {@code key}, first computing it with {@code mappingFunction} and inserting it if the key is
     * absent. Atomic: the function runs at most once, with the key's bin locked, and only if the key is absent.
     *
     * @param key the key
     * @param mappingFunction computes the value from the key; a null result inserts nothing
     * @return the value present or computed, or null if the function returned null
     * @throws NullPointerException if {@code key} or {@code mappingFunction} is null
     * @throws IllegalStateException if the function updates this map's same bin, or on a recursive update as
     *     described for {@link #put}
     * @throws RuntimeException or Error if the function does so, in which case the mapping is unchanged
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(mappingFunction, "mappingFunction");
        int h = spread(key.hashCode());
        Node<K, V>[] tab = table;
        V val;
        int binCount;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                Reservation<K, V> r = new Reservation<>();
                synchronized (r) {
                    if (!casTabAt(tab, i, null, r)) {
                        continue;
                    }
                    Node<K, V> node = null;
                    r.computing = true;
                    try {
                        val = mappingFunction.apply(key);
                        if (val != null) {
                            node = new Node<>(h, key, val, null);
                        }
                    } finally {
                        r.computing = false;
                        setTabAt(tab, i, node); // linearization point (a null function result: no change)
                    }
                }
                binCount = 0;
                break;
            }
            if (f.hash == MOVED) {
                tab = forwarded(f);
                continue;
            }
            for (Node<K, V> e = f; e != null; e = e.next) {
                if (matches(e, h, key)) {
                    return e.value; // present: no lock, the common case
                }
            }
            boolean added = false;
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                binCount = 1;
                for (Node<K, V> e = f;; binCount++) {
                    if (matches(e, h, key)) {
                        return e.value;
                    }
                    if (e.next == null) {
                        f.computing = true;
                        try {
                            val = mappingFunction.apply(key);
                        } finally {
                            f.computing = false;
                        }
                        if (val != null) {
                            e.next = new Node<>(h, key, val, null); // linearization point
                            added = true;
                        }
                        break;
                    }
                    e = e.next;
                }
            }
            if (!added) {
                return null;
            }
            break;
        }
        if (val != null) {
            addCount(1, binCount, h);
        }
        return val;
    }

    /**
     * Replaces the value of {@code key}, if present, with one computed from the key and its value, or removes the key
     * if the result is null. Atomic: the function runs at most once, with the key's bin locked, and only if the key is
     * present.
     *
     * @param key the key
     * @param remappingFunction computes the new value from the key and its current value
     * @return the new value, or null if the key was absent or is now removed
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     * @throws IllegalStateException if the function updates this map's same bin, or on a recursive update as
     *     described for {@link #put}
     * @throws RuntimeException or Error if the function does so, in which case the mapping is unchanged
     */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Node<K, V>[] tab = table;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                return null;
            }
            if (f.hash == MOVED) {
                tab = forwarded(f);
                continue;
            }
            V val = null;
            boolean removed = false;
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                for (Node<K, V> e = f, pred = null; e != null; pred = e, e = e.next) {
                    if (matches(e, h, key)) {
                        val = apply(f, remappingFunction, key, e.value);
                        if (val != null) {
                            e.value = val;
                        } else {
                            removed = true;
                            unlink(tab, i, pred, e);
                        }
                        break;
                    }
                }
            }
            if (removed) {
                addCount(-1, -1, 0);
            }
            return val;
        }
    }

    /**
     * Maps {@code key} to a value computed from the key and its current value (null if absent), or removes the key if
     * the result is null. Atomic: the function runs exactly once, with the key's bin locked.
     *
     * @param key the key
     * @param remappingFunction computes the new value from the key and its current value, or null
     * @return the new value, or null if the key is now absent
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     * @throws IllegalStateException if the function updates this map's same bin, or on a recursive update as
     *     described for {@link #put}
     * @throws RuntimeException or Error if the function does so, in which case the mapping is unchanged
     */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Node<K, V>[] tab = table;
        V val = null;
        int delta = 0;
        int binCount;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                Reservation<K, V> r = new Reservation<>();
                synchronized (r) {
                    if (!casTabAt(tab, i, null, r)) {
                        continue;
                    }
                    Node<K, V> node = null;
                    try {
                        val = apply(r, remappingFunction, key, null);
                        if (val != null) {
                            node = new Node<>(h, key, val, null);
                            delta = 1;
                        }
                    } finally {
                        setTabAt(tab, i, node);
                    }
                }
                binCount = 0;
                break;
            }
            if (f.hash == MOVED) {
                tab = forwarded(f);
                continue;
            }
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                binCount = 1;
                for (Node<K, V> e = f, pred = null;; binCount++) {
                    if (matches(e, h, key)) {
                        val = apply(f, remappingFunction, key, e.value);
                        if (val != null) {
                            e.value = val;
                        } else {
                            delta = -1;
                            unlink(tab, i, pred, e);
                        }
                        break;
                    }
                    pred = e;
                    if ((e = e.next) == null) {
                        val = apply(f, remappingFunction, key, null);
                        if (val != null) {
                            delta = 1;
                            pred.next = new Node<>(h, key, val, null);
                        }
                        break;
                    }
                }
            }
            break;
        }
        if (delta != 0) {
            addCount(delta, binCount, h);
        }
        return val;
    }

    /**
     * Maps {@code key} to {@code value} if it is absent, otherwise to {@code remappingFunction(old, value)}, removing
     * the key if that is null. Atomic: the function runs at most once, with the key's bin locked.
     *
     * @param key the key
     * @param value the value to insert if the key is absent, and the second argument of the function
     * @param remappingFunction computes the new value from the current one and {@code value}
     * @return the new value, or null if the key is now absent
     * @throws NullPointerException if any argument is null
     * @throws IllegalStateException if the function updates this map's same bin, or on a recursive update as
     *     described for {@link #put}
     * @throws RuntimeException or Error if the function does so, in which case the mapping is unchanged
     */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Node<K, V>[] tab = table;
        V val;
        int delta = 0;
        int binCount;
        for (;;) {
            int i = h & (tab.length - 1);
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                if (casTabAt(tab, i, null, new Node<>(h, key, value, null))) {
                    val = value;
                    delta = 1;
                    binCount = 0;
                    break;
                }
                continue;
            }
            if (f.hash == MOVED) {
                tab = forwarded(f);
                continue;
            }
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                binCount = 1;
                for (Node<K, V> e = f, pred = null;; binCount++) {
                    if (matches(e, h, key)) {
                        V old = e.value;
                        f.computing = true;
                        try {
                            val = remappingFunction.apply(old, value);
                        } finally {
                            f.computing = false;
                        }
                        if (val != null) {
                            e.value = val;
                        } else {
                            delta = -1;
                            unlink(tab, i, pred, e);
                        }
                        break;
                    }
                    pred = e;
                    if ((e = e.next) == null) {
                        val = value;
                        delta = 1;
                        pred.next = new Node<>(h, key, value, null);
                        break;
                    }
                }
            }
            break;
        }
        if (delta != 0) {
            addCount(delta, binCount, h);
        }
        return val;
    }

    /** Runs a user function with its bin marked, so that a same-thread update of the bin is refused. */
    private static <K, V> V apply(Node<K, V> lockedHead, BiFunction<? super K, ? super V, ? extends V> function,
                                  K key, V old) {
        lockedHead.computing = true;
        try {
            return function.apply(key, old);
        } finally {
            lockedHead.computing = false;
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Size and resize

    /**
     * Adds {@code delta} to the count and, after some inserts into occupied bins, doubles the table if the count is
     * past the threshold. Summing reads every thread's counter cell, which other cores keep writing, so it is kept
     * off the common path: every insert behind two or more nodes sums, but one behind a single node sums only for
     * one hash in 16. Keys that spread perfectly (small integers) first collide at load 1, and then 16 inserts
     * later at most the table doubles.
     */
    private void addCount(long delta, int binCount, int h) {
        count.add(delta);
        if ((binCount >= 2 || (binCount == 1 && (h & 15) == 0)) && count.sum() > threshold) {
            resize();
        }
    }

    /**
     * Doubles the table, or finishes a doubling that a recursive update interrupted. Returns at once if another
     * thread is resizing: it will finish, and until then everyone reads and writes through the Forward nodes.
     */
    private void resize() {
        if (!RESIZING.compareAndSet(this, 0, 1)) {
            return;
        }
        try {
            Node<K, V>[] tab = table;
            Node<K, V>[] next = nextTable;
            int n = tab.length;
            if (next == null) {
                if (n >= MAX_TABLE || count.sum() <= threshold) {
                    return; // someone else just doubled it
                }
                next = newTable(n << 1);
                nextTable = next;
                transferIndex = n;
            }
            Forward<K, V> fwd = new Forward<>(next);
            for (int i = transferIndex - 1; i >= 0; i--) {
                transferIndex = i + 1;
                transfer(tab, next, i, fwd);
            }
            transferIndex = 0;
            threshold = thresholdFor(next.length);
            table = next;
            nextTable = null;
        } finally {
            RESIZING.setRelease(this, 0);
        }
    }

    /** Moves bin i of {@code tab} into bins i and i + n of {@code next}, then forwards it. */
    private static <K, V> void transfer(Node<K, V>[] tab, Node<K, V>[] next, int i, Forward<K, V> fwd) {
        int n = tab.length;
        for (;;) {
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                if (casTabAt(tab, i, null, fwd)) {
                    return;
                }
                continue;
            }
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f); // only this thread can have marked it: a function updating the map
                int runBit = f.hash & n;
                Node<K, V> lastRun = f;
                for (Node<K, V> p = f.next; p != null; p = p.next) {
                    int b = p.hash & n;
                    if (b != runBit) {
                        runBit = b;
                        lastRun = p;
                    }
                }
                Node<K, V> lo = runBit == 0 ? lastRun : null;
                Node<K, V> hi = runBit == 0 ? null : lastRun;
                for (Node<K, V> p = f; p != lastRun; p = p.next) {
                    if ((p.hash & n) == 0) {
                        lo = new Node<>(p.hash, p.key, p.value, lo);
                    } else {
                        hi = new Node<>(p.hash, p.key, p.value, hi);
                    }
                }
                setTabAt(next, i, lo);
                setTabAt(next, i + n, hi);
                setTabAt(tab, i, fwd);
                return;
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Whole-map operations: one bin at a time

    /**
     * Removes every entry, one bin at a time (each bin atomically; not the map as a whole).
     *
     * @throws IllegalStateException on a recursive update: if called from inside a function this map is running for
     *     {@code compute} and the like, and it meets that function's locked bin (see the class description)
     */
    @Override
    public void clear() {
        Node<K, V>[] tab = table;
        for (int i = 0; i < tab.length; i++) {
            clearBin(tab, i);
        }
    }

    private void clearBin(Node<K, V>[] tab, int i) {
        for (;;) {
            Node<K, V> f = tabAt(tab, i);
            if (f == null) {
                return;
            }
            if (f.hash == MOVED) {
                Node<K, V>[] next = forwarded(f);
                clearBin(next, i);
                clearBin(next, i + tab.length);
                return;
            }
            long removed = 0;
            synchronized (f) {
                if (tabAt(tab, i) != f) {
                    continue;
                }
                checkNotComputing(f);
                for (Node<K, V> e = f; e != null; e = e.next) {
                    removed++;
                }
                setTabAt(tab, i, null);
            }
            addCount(-removed, -1, 0);
            return;
        }
    }

    /**
     * Returns a copy of the entries in a new {@link HashMap}. The copy is weakly consistent, like iteration: every
     * entry present throughout the copy is in it.
     *
     * @return a new, independent map
     */
    public Map<K, V> snapshot() {
        HashMap<K, V> copy = HashMap.newHashMap(size());
        for (ValueWalker<K, V> it = new ValueWalker<>(this); it.hasNext(); ) {
            V v = it.next();
            copy.put(it.lastKey, v);
        }
        return copy;
    }

    /**
     * Returns a {@link Set} view of the keys, backed by the map. It supports removal but not addition; iteration is
     * weakly consistent, and removals decided while walking the view follow the rules in the class description.
     *
     * @return the key view
     */
    @Override
    public Set<K> keySet() {
        KeySet<K, V> ks = keySet;
        return ks != null ? ks : (keySet = new KeySet<>(this));
    }

    /**
     * Returns a {@link Collection} view of the values, backed by the map. It supports removal but not addition;
     * iteration is weakly consistent, and removals follow the rules in the class description.
     *
     * @return the value view
     */
    @Override
    public Collection<V> values() {
        Values<K, V> vs = values;
        return vs != null ? vs : (values = new Values<>(this));
    }

    /**
     * Returns a {@link Set} view of the entries, backed by the map. It supports removal but not addition; iteration is
     * weakly consistent, its entries' {@code setValue} writes through with {@code put}, and removals follow the rules
     * in the class description.
     *
     * @return the entry view
     */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        EntrySet<K, V> es = entrySet;
        return es != null ? es : (entrySet = new EntrySet<>(this));
    }

    // -----------------------------------------------------------------------------------------------------------

    /**
     * A chain node. Hash and key never change; value and next are volatile for lock-free readers. {@code computing}
     * is written and read only under this node's monitor (12 + 4 x 4 + 1 bytes: still one 32-byte object).
     */
    static class Node<K, V> {
        final int hash;
        final K key;
        volatile V value;
        volatile Node<K, V> next;
        boolean computing;

        Node(int hash, K key, V value, Node<K, V> next) {
            this.hash = hash;
            this.key = key;
            this.value = value;
            this.next = next;
        }
    }

    /** Left in a moved bin: the bin's entries are in {@code nextTable}, at the same index and at index + n. */
    static final class Forward<K, V> extends Node<K, V> {
        final Node<K, V>[] nextTable;

        Forward(Node<K, V>[] nextTable) {
            super(MOVED, null, null, null);
            this.nextTable = nextTable;
        }
    }

    /** Holds an empty bin, locked, while a compute function decides whether the key gets a value. */
    static final class Reservation<K, V> extends Node<K, V> {
        Reservation() {
            super(RESERVED, null, null, null);
        }
    }

    /**
     * Walks the table bin by bin; a forwarded bin is walked in the next table (its two halves), so a resize in
     * progress neither hides nor repeats entries. Each step reads the entry's key and value once; removal through the
     * walker is {@code remove(key, thatValue)}.
     */
    abstract static class Walker<K, V, T> implements Iterator<T> {
        final ConcurrentDict<K, V> map;
        private final Node<K, V>[] base;
        private int index;
        private Node<K, V>[][] pendingTables;
        private int[] pendingIndexes;
        private int pending;
        private Node<K, V> next;
        /** The key of the entry last returned, or null if there is none to remove. */
        K lastKey;
        /** The value read with {@link #lastKey}. */
        V lastValue;

        Walker(ConcurrentDict<K, V> map) {
            this.map = map;
            this.base = map.table;
            advance();
        }

        private void push(Node<K, V>[] tab, int i) {
            if (pendingTables == null) {
                pendingTables = newTables(8);
                pendingIndexes = new int[8];
            } else if (pending == pendingIndexes.length) {
                pendingTables = java.util.Arrays.copyOf(pendingTables, pending * 2);
                pendingIndexes = java.util.Arrays.copyOf(pendingIndexes, pending * 2);
            }
            pendingTables[pending] = tab;
            pendingIndexes[pending++] = i;
        }

        @SuppressWarnings("unchecked")
        private static <K, V> Node<K, V>[][] newTables(int n) {
            return (Node<K, V>[][]) new Node<?, ?>[n][];
        }

        private void advance() {
            Node<K, V> e = next == null ? null : next.next;
            while (e == null) {
                Node<K, V>[] tab;
                int i;
                if (pending > 0) {
                    tab = pendingTables[--pending];
                    i = pendingIndexes[pending];
                    pendingTables[pending] = null;
                } else if (index < base.length) {
                    tab = base;
                    i = index++;
                } else {
                    break;
                }
                Node<K, V> f = tabAt(tab, i);
                if (f == null) {
                    continue;
                }
                if (f.hash == MOVED) {
                    Node<K, V>[] nt = forwarded(f);
                    push(nt, i + tab.length);
                    push(nt, i);
                } else if (f.hash >= 0) {
                    e = f;
                }
            }
            next = e;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        /** Moves to the next entry and reads its key and value, once: what next() returns and remove() expects. */
        final void step() {
            Node<K, V> e = next;
            if (e == null) {
                throw new NoSuchElementException();
            }
            lastKey = e.key;
            lastValue = e.value; // never null: a node keeps its value when it is unlinked
            advance();
        }

        /** The value a removal of the last entry expects its key to hold. */
        V expectedValue() {
            return lastValue;
        }

        /** Removes the last entry if its key still maps to the expected value; returns whether it did. */
        final boolean removeLast() {
            K k = lastKey;
            lastKey = null;
            return map.remove(k, expectedValue());
        }

        @Override
        public final void remove() {
            Checks.requireState(lastKey != null, "next() has not been called, or remove() was already called");
            removeLast();
        }

        /**
         * Walks the rest of the map, removing each element {@code filter} accepts if its key still maps to the value
         * read for it.
         *
         * @return whether anything was removed
         */
        final boolean removeIf(Predicate<? super T> filter) {
            boolean removed = false;
            while (hasNext()) {
                if (filter.test(next()) && removeLast()) {
                    removed = true;
                }
            }
            return removed;
        }
    }

    static final class KeyWalker<K, V> extends Walker<K, V, K> {
        KeyWalker(ConcurrentDict<K, V> map) {
            super(map);
        }

        @Override
        public K next() {
            step();
            return lastKey;
        }
    }

    static final class ValueWalker<K, V> extends Walker<K, V, V> {
        ValueWalker(ConcurrentDict<K, V> map) {
            super(map);
        }

        @Override
        public V next() {
            step();
            return lastValue;
        }
    }

    static final class EntryWalker<K, V> extends Walker<K, V, Map.Entry<K, V>> {
        private Entry<K, V> lastEntry;

        EntryWalker(ConcurrentDict<K, V> map) {
            super(map);
        }

        @Override
        public Map.Entry<K, V> next() {
            step();
            return lastEntry = new Entry<>(map, lastKey, lastValue);
        }

        /** What the caller last saw: the value read, or the one it set through the entry since. */
        @Override
        V expectedValue() {
            return lastEntry.getValue();
        }
    }

    /** An entry handed out by iteration: a snapshot of one mapping whose setValue writes through with put. */
    static final class Entry<K, V> implements Map.Entry<K, V> {
        private final ConcurrentDict<K, V> map;
        private final K key;
        private V value;

        Entry(ConcurrentDict<K, V> map, K key, V value) {
            this.map = map;
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V v) {
            Checks.requireNonNull(v, "value");
            V old = value;
            value = v;
            map.put(key, v);
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && value.equals(e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ value.hashCode();
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    static final class KeySet<K, V> extends AbstractSet<K> {
        private final ConcurrentDict<K, V> map;

        KeySet(ConcurrentDict<K, V> map) {
            this.map = map;
        }

        @Override
        public Iterator<K> iterator() {
            return new KeyWalker<>(map);
        }

        @Override
        public Spliterator<K> spliterator() {
            return Spliterators.spliterator(this, Spliterator.DISTINCT | Spliterator.CONCURRENT | Spliterator.NONNULL);
        }

        /** Removes each key the filter accepts if it still maps to the value read with it. */
        @Override
        public boolean removeIf(Predicate<? super K> filter) {
            Checks.requireNonNull(filter, "filter");
            return new KeyWalker<>(map).removeIf(filter);
        }

        /** Walks the keys, removing each that {@code c} lacks if it still maps to the value read with it. */
        @Override
        public boolean retainAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            return new KeyWalker<>(map).removeIf(k -> !c.contains(k));
        }

        /**
         * Removes each key of {@code c} whatever its value if {@code c} is the smaller, as {@link #remove} does;
         * otherwise walks the keys, removing each that {@code c} contains if it still maps to the value read with it.
         */
        @Override
        public boolean removeAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            if (size() > c.size()) {
                boolean removed = false;
                for (Object k : c) {
                    removed |= remove(k);
                }
                return removed;
            }
            return new KeyWalker<>(map).removeIf(c::contains);
        }

        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public boolean contains(Object o) { return map.containsKey(o); }
        @Override public boolean remove(Object o) { return map.remove(o) != null; }
        @Override public void clear() { map.clear(); }
    }

    static final class Values<K, V> extends AbstractCollection<V> {
        private final ConcurrentDict<K, V> map;

        Values(ConcurrentDict<K, V> map) {
            this.map = map;
        }

        @Override
        public Iterator<V> iterator() {
            return new ValueWalker<>(map);
        }

        @Override
        public Spliterator<V> spliterator() {
            return Spliterators.spliterator(this, Spliterator.CONCURRENT | Spliterator.NONNULL);
        }

        /** Removes one key that maps to a value equal to {@code o}, if it still does when removed. */
        @Override
        public boolean remove(Object o) {
            if (o == null) {
                return false;
            }
            for (ValueWalker<K, V> it = new ValueWalker<>(map); it.hasNext(); ) {
                if (o.equals(it.next()) && it.removeLast()) {
                    return true;
                }
            }
            return false;
        }

        /** Removes each entry whose value the filter accepts if its key still maps to that value. */
        @Override
        public boolean removeIf(Predicate<? super V> filter) {
            Checks.requireNonNull(filter, "filter");
            return new ValueWalker<>(map).removeIf(filter);
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            return new ValueWalker<>(map).removeIf(c::contains);
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            return new ValueWalker<>(map).removeIf(v -> !c.contains(v));
        }

        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public boolean contains(Object o) { return map.containsValue(o); }
        @Override public void clear() { map.clear(); }
    }

    static final class EntrySet<K, V> extends AbstractSet<Map.Entry<K, V>> {
        private final ConcurrentDict<K, V> map;

        EntrySet(ConcurrentDict<K, V> map) {
            this.map = map;
        }

        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryWalker<>(map);
        }

        @Override
        public Spliterator<Map.Entry<K, V>> spliterator() {
            return Spliterators.spliterator(this, Spliterator.DISTINCT | Spliterator.CONCURRENT | Spliterator.NONNULL);
        }

        /** Removes each entry the filter accepts if its key still maps to the value the filter saw. */
        @Override
        public boolean removeIf(Predicate<? super Map.Entry<K, V>> filter) {
            Checks.requireNonNull(filter, "filter");
            return new EntryWalker<>(map).removeIf(filter);
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            return new EntryWalker<>(map).removeIf(e -> !c.contains(e));
        }

        /**
         * Removes each entry of {@code c} as {@link #remove} does if {@code c} is the smaller; otherwise walks the
         * map, removing each entry that {@code c} contains if its key still maps to the value read with it.
         */
        @Override
        public boolean removeAll(Collection<?> c) {
            Checks.requireNonNull(c, "c");
            if (size() > c.size()) {
                boolean removed = false;
                for (Object e : c) {
                    removed |= remove(e);
                }
                return removed;
            }
            return new EntryWalker<>(map).removeIf(c::contains);
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = map.get(e.getKey());
            return v != null && Objects.equals(v, e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Map.Entry<?, ?> e && e.getKey() != null && e.getValue() != null
                    && map.remove(e.getKey(), e.getValue());
        }

        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public void clear() { map.clear(); }
    }
}
