package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers, as the OS numbers them ({@code 0..n-1}): what a thread may run on.
 *
 * <pre>{@code
 * CpuSet.of(0, 2);            // CPUs 0 and 2
 * CpuSet.range(0, 3);         // 0-3
 * CpuSet.parse("0-3,8,10-11") // the Linux list format, as in /sys and taskset -c
 * }</pre>
 *
 * <p>A value: equal when the CPUs are equal; {@link #toString()} prints the Linux list format ({@code "0-3,8"}).
 * Backed by a {@code long[]} bit mask (bit {@code i % 64} of word {@code i / 64}), the layout of Linux's
 * {@code cpu_set_t}; trailing zero words are trimmed so that equal sets have equal arrays.
 */
public final class CpuSet {
    /** The highest CPU number a set can hold, plus one: glibc's CPU_SETSIZE. */
    public static final int MAX_CPUS = 1024;

    private static final CpuSet EMPTY = new CpuSet(new long[0]);

    private final long[] words;

    private CpuSet(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0L) {
            n--;
        }
        this.words = n == words.length ? words : Arrays.copyOf(words, n);
    }

    /**
     * Returns the empty set.
     *
     * @return the set that holds no CPU
     */
    public static CpuSet empty() {
        return EMPTY;
    }

    /**
     * Returns the set of the given CPUs.
     *
     * @param cpus CPU numbers, 0 to {@value #MAX_CPUS} - 1; duplicates are ignored
     * @return the set of them
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public static CpuSet of(int... cpus) {
        Checks.requireNonNull(cpus, "cpus");
        long[] w = new long[MAX_CPUS / 64];
        for (int cpu : cpus) {
            w[checkCpu(cpu) >>> 6] |= 1L << cpu;
        }
        return new CpuSet(w);
    }

    /**
     * Returns the set of the CPUs from {@code first} to {@code last}, both included.
     *
     * @param first the lowest CPU, 0 to {@value #MAX_CPUS} - 1
     * @param last the highest CPU, inclusive, 0 to {@value #MAX_CPUS} - 1
     * @return {@code first..last}
     * @throws IllegalArgumentException if {@code first > last} or either is out of range
     */
    public static CpuSet range(int first, int last) {
        checkCpu(first);
        checkCpu(last);
        if (first > last) {
            throw new IllegalArgumentException(Checks.badArgument("range", first + "-" + last, "first <= last"));
        }
        return of(IntStream.rangeClosed(first, last).toArray());
    }

    /**
     * Parses the Linux CPU list format: comma-separated numbers and inclusive ranges, such as {@code "0-3,8,10-11"}.
     * The empty string is the empty set.
     *
     * @param list the text; leading and trailing white space is ignored
     * @return the set it names
     * @throws NullPointerException if {@code list} is null
     * @throws IllegalArgumentException if the text is not in that format or names a CPU out of range
     */
    public static CpuSet parse(String list) {
        return parse(list, CpuSet::checkCpu);
    }

    /**
     * Parses like {@link #parse(String)}, but hands each number at or above {@link #MAX_CPUS} to {@code beyond}
     * instead of failing; if {@code beyond} returns, the number (and the rest of its range) is left out. sysfs lists
     * may name such CPUs: Linux supports up to 8192.
     */
    static CpuSet parse(String list, IntConsumer beyond) {
        Checks.requireNonNull(list, "list");
        String s = list.strip();
        if (s.isEmpty()) {
            return EMPTY;
        }
        long[] w = new long[MAX_CPUS / 64];
        for (String part : s.split(",")) {
            String p = part.strip();
            int lo;
            int hi;
            try {
                int dash = p.indexOf('-');
                lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(Checks.badArgument("list", "\"" + list + "\"",
                        "CPU numbers and ranges separated by commas, e.g. 0-3,8"), e);
            }
            if (lo > hi) { // lo >= 0 here: a leading '-' is taken as the range's dash and fails above
                throw new IllegalArgumentException(Checks.badArgument("list", "\"" + list + "\"",
                        "ranges as low-high, e.g. 0-3,8"));
            }
            if (hi >= MAX_CPUS) {
                beyond.accept(lo >= MAX_CPUS ? lo : hi);
                hi = MAX_CPUS - 1;
            }
            for (int cpu = lo; cpu <= hi; cpu++) {
                w[cpu >>> 6] |= 1L << cpu;
            }
        }
        return new CpuSet(w);
    }

    /**
     * @param words a mask in cpu_set_t layout; copied
     * @return the set it holds
     */
    static CpuSet fromMask(long[] words) {
        return new CpuSet(words.clone());
    }

    /** @return a copy of the mask, in cpu_set_t layout */
    long[] toMask() {
        return words.clone();
    }

    private static int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException(Checks.badArgument("cpu", cpu, "0.." + (MAX_CPUS - 1)));
        }
        return cpu;
    }

    /**
     * Returns whether this set holds a CPU.
     *
     * @param cpu a CPU number; a negative or too large one is simply not held
     * @return whether the set holds it
     */
    public boolean contains(int cpu) {
        return cpu >= 0 && (cpu >>> 6) < words.length && (words[cpu >>> 6] & (1L << cpu)) != 0;
    }

    /**
     * Returns the number of CPUs in this set.
     *
     * @return how many CPUs the set holds
     */
    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /**
     * Returns whether this set is empty.
     *
     * @return whether the set holds no CPU
     */
    public boolean isEmpty() {
        return words.length == 0;
    }

    /**
     * Returns the lowest CPU in this set.
     *
     * @return the lowest CPU number
     * @throws java.util.NoSuchElementException if the set is empty
     */
    public int first() {
        for (int i = 0; i < words.length; i++) {
            if (words[i] != 0) {
                return i * 64 + Long.numberOfTrailingZeros(words[i]);
            }
        }
        throw new java.util.NoSuchElementException("the CPU set is empty");
    }

    /**
     * Returns a stream of the CPUs in this set.
     *
     * @return the CPU numbers in ascending order
     */
    public IntStream stream() {
        return IntStream.range(0, words.length * 64).filter(this::contains);
    }

    /**
     * Returns the CPUs in this set as a new array.
     *
     * @return the CPU numbers in ascending order
     */
    public int[] toArray() {
        return stream().toArray();
    }

    /**
     * Returns the intersection of this set and another.
     *
     * @param other another set
     * @return the CPUs in both
     * @throws NullPointerException if {@code other} is null
     */
    public CpuSet intersect(CpuSet other) {
        long[] w = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & other.words[i];
        }
        return new CpuSet(w);
    }

    /**
     * Returns the union of this set and another.
     *
     * @param other another set
     * @return the CPUs in either
     * @throws NullPointerException if {@code other} is null
     */
    public CpuSet union(CpuSet other) {
        long[] w = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            w[i] |= other.words[i];
        }
        return new CpuSet(w);
    }

    /**
     * Returns whether {@code o} is a {@code CpuSet} holding the same CPUs.
     *
     * @param o the object to compare with
     * @return true if {@code o} holds the same CPUs
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet other && Arrays.equals(words, other.words);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code of the CPUs held
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /**
     * Returns this set in the Linux CPU list format, which {@link #parse(String)} reads back.
     *
     * @return the list, such as {@code "0-3,8"}; {@code ""} when empty
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int[] cpus = toArray();
        for (int i = 0; i < cpus.length; ) {
            int j = i;
            while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(cpus[i]);
            if (j > i) {
                sb.append('-').append(cpus[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
