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
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A concurrent hash map with lock-free reads and lock-striped writes: ft_utils' {@code ConcurrentDict}, as a
 * {@link ConcurrentMap}.
 *
 * <pre>{@code
 * ConcurrentDict<String, Long> counts = new ConcurrentDict<>();        // scaling = number of CPUs
 * counts.merge(word, 1L, Long::sum);                                   // atomic
 * Long first = counts.putIfAbsent("k", 1L);                             // ft_utils' setdefault
 * Long gone = counts.remove("k");                                       // ft_utils' pop
 * Map<String, Long> copy = counts.snapshot();                           // ft_utils' as_dict
 * }</pre>
 *
 * <p>Null keys and values are rejected with {@link NullPointerException}, as {@link
 * java.util.concurrent.ConcurrentHashMap} does. Every single-key operation, including {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent}, {@code merge}, {@code putIfAbsent} and the {@code replace} and
 * {@code remove} variants, is atomic; the functions they take run once, while the key's stripe is locked, so they must
 * be short and must not update this map (that throws {@link IllegalStateException} when detected).
 *
 * <p><b>Scaling.</b> As in ft_utils, {@code scaling} is the number of threads expected to write at once; the map
 * keeps {@code 4 x scaling} (rounded up to a power of two) independent stripes, so that two writers rarely meet.
 * Being off by 2x costs little. Reads never lock.
 *
 * <p><b>Weak guarantees.</b> {@link #size()}, {@link #isEmpty()}, {@link #snapshot()}, {@link #clear()},
 * {@link #putAll(Map)}, {@code equals} and {@code hashCode} are not atomic across stripes: under concurrent updates
 * they reflect some interleaving of them. Iterators and the key, value and entry views are weakly consistent: they
 * never throw {@link java.util.ConcurrentModificationException}, return each entry at most once, return every entry
 * that was present when iteration began and not removed since, and may or may not reflect later changes.
 * {@code Iterator.remove} removes the key; {@code Entry.setValue} writes through with {@code put}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
/*
 * Design notes
 *
 * Algorithm. A key's hash is folded (h ^ h >>> 16, as ConcurrentHashMap does) and picks one of a fixed power-of-two
 * number of stripes by its low bits (mixed with the bits from 10 up, so that keys aligned to a power of two still
 * spread over stripes), and a bin of that stripe's table by the bits above the stripe bits, so that nearby keys land
 * in nearby bins (a plain multiplicative mix measured 15-35% slower on lookups: it scatters them). A stripe owns a
 * chained hash table that grows by doubling; it is written only under the stripe's monitor. Nodes have a final
 * hash and key and volatile value and next fields; a table's bins are read with acquire and written with release.
 * This is the shape of JDK 7's ConcurrentHashMap (Lea), with two changes: bins are unlinked in place (next is
 * volatile) and a resize copies every node into the new table rather than reusing tails, so a reader on the old
 * table always sees a complete old chain.
 *
 * Linearization points. get/containsKey: the volatile read of the stripe's table (the reader then sees that table's
 * chains as they were or later; any newer value it reads belongs to an overlapping write). put on an absent key: the
 * release store of the bin head; on a present key: the volatile write of the node's value. remove: the volatile
 * write that unlinks the node. compute/merge/putIfAbsent/replace: the same writes, under the stripe's monitor, so the
 * read-decide-write is one step.
 *
 * Memory ordering. A value read by get() happens-after everything the writing thread did before put() (release
 * store or volatile write, matched by acquire/volatile reads on the read path). Size counts are volatile per stripe.
 *
 * Contention. Readers never write shared memory. Writers to different stripes share nothing (each stripe object is
 * padded at its end so that neighbours do not false-share); writers to one stripe serialize on its monitor, which
 * is a CAS when uncontended, and parks (never pins a virtual thread, JDK 24+) when contended.
 *
 * Known non-guarantees. No whole-map snapshot: multi-stripe operations take one stripe at a time (ft_utils'
 * "not thread consistent", made explicit).
 */
public final class ConcurrentDict<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
    private static final int MAX_STRIPES = 1 << 16;
    private static final int STRIPE_MIX = 10;
    private static final int MIN_TABLE = 2;
    private static final int MAX_TABLE = 1 << 30;
    private static final VarHandle BIN = MethodHandles.arrayElementVarHandle(Node[].class);

    private final Stripe<K, V>[] stripes;
    private final int stripeBits;

    private transient KeySet<K, V> keySet;
    private transient Values<K, V> values;
    private transient EntrySet<K, V> entrySet;

    /** Creates an empty map scaled for as many concurrent writers as there are CPUs. */
    public ConcurrentDict() {
        this(Runtime.getRuntime().availableProcessors(), 0);
    }

    /**
     * Creates an empty map.
     *
     * @param scaling about how many threads will write at once (ft_utils' meaning); 1 or more
     * @throws IllegalArgumentException if {@code scaling < 1}
     */
    public ConcurrentDict(int scaling) {
        this(scaling, 0);
    }

    /**
     * Creates an empty map sized to hold {@code initialCapacity} entries without growing.
     *
     * @param scaling about how many threads will write at once; 1 or more
     * @param initialCapacity how many entries to make room for; 0 or more
     * @throws IllegalArgumentException if {@code scaling < 1} or {@code initialCapacity < 0}
     */
    @SuppressWarnings("unchecked")
    public ConcurrentDict(int scaling, int initialCapacity) {
        Checks.requirePositive(scaling, "scaling");
        if (initialCapacity < 0) {
            throw new IllegalArgumentException(Checks.badArgument("initialCapacity", initialCapacity, ">= 0"));
        }
        int n = tableSizeFor((int) Math.min(MAX_STRIPES, 4L * scaling));
        stripes = (Stripe<K, V>[]) new Stripe<?, ?>[n];
        stripeBits = Integer.numberOfTrailingZeros(n);
        int perStripe = tableSizeFor((int) Math.min(MAX_TABLE, (long) Math.ceil(initialCapacity / (double) n / 0.75)));
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe<>(Math.max(MIN_TABLE, perStripe), Integer.numberOfTrailingZeros(n));
        }
    }

    /**
     * Creates a map holding the entries of {@code initial}.
     *
     * @param initial the entries to copy; no null keys or values
     * @throws NullPointerException if {@code initial} or any of its keys or values is null
     */
    public ConcurrentDict(Map<? extends K, ? extends V> initial) {
        this(Runtime.getRuntime().availableProcessors(), Checks.requireNonNull(initial, "initial").size());
        putAll(initial);
    }

    private static int tableSizeFor(int c) {
        return c <= 1 ? 1 : Integer.highestOneBit(c - 1) << 1;
    }

    /** Folds the high half of the key's hash into the low half, as ConcurrentHashMap does. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private Stripe<K, V> stripeFor(int h) {
        return stripes[(h ^ (h >>> STRIPE_MIX)) & (stripes.length - 1)];
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Node<K, V> binAcquire(Node<K, V>[] tab, int i) {
        return (Node<K, V>) BIN.getAcquire(tab, i);
    }

    private static <K, V> void setBinRelease(Node<K, V>[] tab, int i, Node<K, V> node) {
        BIN.setRelease(tab, i, node);
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
        Node<K, V>[] tab = stripeFor(h).table; // linearization point
        for (Node<K, V> e = binAcquire(tab, (h >>> stripeBits) & (tab.length - 1)); e != null; e = e.next) {
            if (e.hash == h) {
                Object k = e.key;
                if (k == key || key.equals(k)) {
                    return e.value;
                }
            }
        }
        return null;
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v != null ? v : defaultValue;
    }

    /**
     * @param key the key
     * @return whether the map holds {@code key}
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /**
     * Scans every entry: O(size), weakly consistent.
     *
     * @param value the value to look for
     * @return whether some key maps to a value equal to it
     * @throws NullPointerException if {@code value} is null
     */
    @Override
    public boolean containsValue(Object value) {
        Checks.requireNonNull(value, "value");
        for (Stripe<K, V> s : stripes) {
            Node<K, V>[] tab = s.table;
            for (int i = 0; i < tab.length; i++) {
                for (Node<K, V> e = binAcquire(tab, i); e != null; e = e.next) {
                    V v = e.value;
                    if (v == value || value.equals(v)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The sum of the stripes' counts: exact when no write is in progress, otherwise some value the map held
     * or is about to hold; not an atomic snapshot.
     *
     * @return the number of entries, at most {@link Integer#MAX_VALUE}
     */
    @Override
    public int size() {
        long n = 0;
        for (Stripe<K, V> s : stripes) {
            n += s.count;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** @return whether every stripe is empty (not an atomic snapshot) */
    @Override
    public boolean isEmpty() {
        for (Stripe<K, V> s : stripes) {
            if (s.count != 0) {
                return false;
            }
        }
        return true;
    }

    // -----------------------------------------------------------------------------------------------------------
    // Single-key writes: under the stripe's monitor

    /**
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V put(K key, V value) {
        return putVal(key, value, false);
    }

    /**
     * Inserts {@code value} if {@code key} is absent: ft_utils' {@code setdefault}, atomically.
     *
     * @return the value already there (and the map is unchanged), or null if {@code value} was inserted
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V putIfAbsent(K key, V value) {
        return putVal(key, value, true);
    }

    private V putVal(K key, V value, boolean onlyIfAbsent) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e != null) {
                V old = e.value;
                if (!onlyIfAbsent) {
                    e.value = value; // linearization point: the volatile write
                }
                return old;
            }
            s.insert(h, key, value);
            return null;
        }
    }

    /**
     * Removes {@code key}: ft_utils' {@code pop}, atomically.
     *
     * @return the value removed, or null if there was none
     * @throws NullPointerException if {@code key} is null
     */
    @Override
    public V remove(Object key) {
        int h = spread(Checks.requireNonNull(key, "key").hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            return s.unlink(h, key, null);
        }
    }

    /**
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public boolean remove(Object key, Object value) {
        Checks.requireNonNull(value, "value");
        int h = spread(Checks.requireNonNull(key, "key").hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            return s.unlink(h, key, value) != null;
        }
    }

    /**
     * @throws NullPointerException if any argument is null
     */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(oldValue, "oldValue");
        Checks.requireNonNull(newValue, "newValue");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e != null && (e.value == oldValue || e.value.equals(oldValue))) {
                e.value = newValue;
                return true;
            }
            return false;
        }
    }

    /**
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    @Override
    public V replace(K key, V value) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e == null) {
                return null;
            }
            V old = e.value;
            e.value = value;
            return old;
        }
    }

    /**
     * Atomic: the function runs at most once, with the stripe locked, and only if the key is absent.
     *
     * @throws NullPointerException if {@code key} or {@code mappingFunction} is null
     * @throws IllegalStateException if the function updates this map
     */
    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Checks.requireNonNull(mappingFunction, "mappingFunction");
        V present = get(key); // no lock when the key is there: the common case
        if (present != null) {
            return present;
        }
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e != null) {
                return e.value;
            }
            V v = s.call(() -> mappingFunction.apply(key));
            if (v != null) {
                s.insert(h, key, v);
            }
            return v;
        }
    }

    /**
     * Atomic: the function runs at most once, with the stripe locked, and only if the key is present.
     *
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     * @throws IllegalStateException if the function updates this map
     */
    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e == null) {
                return null;
            }
            V old = e.value;
            V v = s.call(() -> remappingFunction.apply(key, old));
            return s.settle(h, key, e, v);
        }
    }

    /**
     * Atomic: the function runs exactly once, with the stripe locked.
     *
     * @throws NullPointerException if {@code key} or {@code remappingFunction} is null
     * @throws IllegalStateException if the function updates this map
     */
    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            V old = e == null ? null : e.value;
            V v = s.call(() -> remappingFunction.apply(key, old));
            return s.settle(h, key, e, v);
        }
    }

    /**
     * Atomic: inserts {@code value} if absent, otherwise stores {@code function(old, value)} (removing the key if that
     * is null); the function runs at most once, with the stripe locked.
     *
     * @throws NullPointerException if any argument is null
     * @throws IllegalStateException if the function updates this map
     */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Checks.requireNonNull(key, "key");
        Checks.requireNonNull(value, "value");
        Checks.requireNonNull(remappingFunction, "remappingFunction");
        int h = spread(key.hashCode());
        Stripe<K, V> s = stripeFor(h);
        synchronized (s) {
            s.checkNotComputing();
            Node<K, V> e = s.find(h, key);
            if (e == null) {
                s.insert(h, key, value);
                return value;
            }
            V old = e.value;
            V v = s.call(() -> remappingFunction.apply(old, value));
            return s.settle(h, key, e, v);
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Whole-map operations: one stripe at a time

    /** Removes every entry, one stripe at a time (each stripe atomically; not the map as a whole). */
    @Override
    public void clear() {
        for (Stripe<K, V> s : stripes) {
            synchronized (s) {
                s.checkNotComputing();
                s.clear();
            }
        }
    }

    /**
     * Copies the entries into a new {@link HashMap}: ft_utils' {@code as_dict}. Each stripe is copied under its lock,
     * so the copy is consistent per stripe, not across the whole map.
     *
     * @return a new, independent map
     */
    public Map<K, V> snapshot() {
        HashMap<K, V> copy = HashMap.newHashMap(size());
        for (Stripe<K, V> s : stripes) {
            synchronized (s) {
                Node<K, V>[] tab = s.table;
                for (Node<K, V> bin : tab) {
                    for (Node<K, V> e = bin; e != null; e = e.next) {
                        copy.put(e.key, e.value);
                    }
                }
            }
        }
        return copy;
    }

    @Override
    public Set<K> keySet() {
        KeySet<K, V> ks = keySet;
        return ks != null ? ks : (keySet = new KeySet<>(this));
    }

    @Override
    public Collection<V> values() {
        Values<K, V> vs = values;
        return vs != null ? vs : (values = new Values<>(this));
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        EntrySet<K, V> es = entrySet;
        return es != null ? es : (entrySet = new EntrySet<>(this));
    }

    // -----------------------------------------------------------------------------------------------------------

    /** A chain node. Hash and key never change; value and next are volatile for lock-free readers. */
    static final class Node<K, V> {
        final int hash;
        final K key;
        volatile V value;
        volatile Node<K, V> next;

        Node(int hash, K key, V value, Node<K, V> next) {
            this.hash = hash;
            this.key = key;
            this.value = value;
            this.next = next;
        }
    }

    /** One stripe: a chained table written only under this object's monitor. */
    static final class Stripe<K, V> {
        volatile Node<K, V>[] table;
        volatile int count;
        int threshold;
        boolean computing;
        // Written on every update of this stripe: keep the next stripe's fields off this cache line.
        long p0, p1, p2, p3, p4, p5, p6, p7;

        final int shift;

        Stripe(int capacity, int shift) {
            this.shift = shift;
            this.table = newTable(capacity);
            this.threshold = capacity - (capacity >>> 2);
        }

        @SuppressWarnings("unchecked")
        private static <K, V> Node<K, V>[] newTable(int n) {
            return (Node<K, V>[]) new Node<?, ?>[n];
        }

        void checkNotComputing() {
            if (computing) {
                throw new IllegalStateException("recursive update: a function given to compute, computeIfAbsent, "
                        + "computeIfPresent or merge must not update this map");
            }
        }

        /** Runs a user function with recursion detection. Caller holds the monitor. */
        <R> R call(java.util.function.Supplier<R> function) {
            computing = true;
            try {
                return function.get();
            } finally {
                computing = false;
            }
        }

        /** Caller holds the monitor. */
        Node<K, V> find(int h, Object key) {
            Node<K, V>[] tab = table;
            for (Node<K, V> e = tab[(h >>> shift) & (tab.length - 1)]; e != null; e = e.next) {
                if (e.hash == h) {
                    Object k = e.key;
                    if (k == key || key.equals(k)) {
                        return e;
                    }
                }
            }
            return null;
        }

        /** Inserts a new head node; caller holds the monitor and has checked the key is absent. */
        void insert(int h, K key, V value) {
            Node<K, V>[] tab = table;
            int i = (h >>> shift) & (tab.length - 1);
            setBinRelease(tab, i, new Node<>(h, key, value, tab[i])); // linearization point
            int c = count + 1;
            count = c;
            if (c > threshold && tab.length < MAX_TABLE) {
                resize();
            }
        }

        /**
         * Stores the result of a remapping function for key (whose node is {@code e}, or null if absent): null removes.
         * Caller holds the monitor.
         */
        V settle(int h, K key, Node<K, V> e, V v) {
            if (v == null) {
                if (e != null) {
                    unlink(h, key, null);
                }
            } else if (e != null) {
                e.value = v;
            } else {
                insert(h, key, v);
            }
            return v;
        }

        /** Unlinks key's node if its value matches {@code expected} (null: any). Caller holds the monitor. */
        V unlink(int h, Object key, Object expected) {
            Node<K, V>[] tab = table;
            int i = (h >>> shift) & (tab.length - 1);
            Node<K, V> pred = null;
            for (Node<K, V> e = tab[i]; e != null; pred = e, e = e.next) {
                if (e.hash == h && (e.key == key || key.equals(e.key))) {
                    V v = e.value;
                    if (expected != null && v != expected && !expected.equals(v)) {
                        return null;
                    }
                    if (pred == null) {
                        setBinRelease(tab, i, e.next); // linearization point
                    } else {
                        pred.next = e.next; // linearization point
                    }
                    count = count - 1;
                    return v;
                }
            }
            return null;
        }

        /** Doubles the table, copying every node so that readers of the old table keep intact chains. */
        private void resize() {
            Node<K, V>[] old = table;
            int n = old.length << 1;
            Node<K, V>[] tab = newTable(n);
            for (Node<K, V> bin : old) {
                for (Node<K, V> e = bin; e != null; e = e.next) {
                    int i = (e.hash >>> shift) & (n - 1);
                    tab[i] = new Node<>(e.hash, e.key, e.value, tab[i]);
                }
            }
            table = tab; // publishes the copies (volatile write)
            threshold = n - (n >>> 2);
        }

        void clear() {
            table = newTable(MIN_TABLE);
            threshold = MIN_TABLE - (MIN_TABLE >>> 2);
            count = 0;
        }
    }

    /** Walks stripes, then bins, then chains; one table snapshot per stripe. */
    abstract static class Walker<K, V, T> implements Iterator<T> {
        final ConcurrentDict<K, V> map;
        private int stripe = -1;
        private Node<K, V>[] tab;
        private int bin;
        private Node<K, V> next;
        private Node<K, V> last;

        Walker(ConcurrentDict<K, V> map) {
            this.map = map;
            advance();
        }

        private void advance() {
            Node<K, V> e = next == null ? null : next.next;
            while (e == null) {
                if (tab != null && bin < tab.length) {
                    e = binAcquire(tab, bin++);
                } else if (stripe + 1 < map.stripes.length) {
                    tab = map.stripes[++stripe].table;
                    bin = 0;
                } else {
                    break;
                }
            }
            next = e;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        Node<K, V> nextNode() {
            Node<K, V> e = next;
            if (e == null) {
                throw new NoSuchElementException();
            }
            last = e;
            advance();
            return e;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not been called, or remove() was already called");
            }
            map.remove(last.key);
            last = null;
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
            return new Walker<K, V, K>(map) {
                @Override
                public K next() {
                    return nextNode().key;
                }
            };
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
            return new Walker<K, V, V>(map) {
                @Override
                public V next() {
                    return nextNode().value;
                }
            };
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
            return new Walker<K, V, Map.Entry<K, V>>(map) {
                @Override
                public Map.Entry<K, V> next() {
                    Node<K, V> e = nextNode();
                    return new Entry<>(map, e.key, e.value);
                }
            };
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
