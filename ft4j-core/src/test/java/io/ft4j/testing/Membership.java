package io.ft4j.testing;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * A collection that is only a membership test, for calling {@code removeAll} and {@code retainAll} with an argument
 * whose {@code contains} lets a test act (or count, or check) at the moment the collection under test asks.
 */
public final class Membership {
    private Membership() {}

    /**
     * @param contains answers {@code contains(o)}
     * @param size what {@code size()} reports (some removeAll implementations choose their strategy by it)
     * @return a collection whose {@code contains} is {@code contains}; iterating it throws
     */
    public static Collection<Object> of(Predicate<Object> contains, int size) {
        return new AbstractCollection<>() {
            @Override
            public boolean contains(Object o) {
                return contains.test(o);
            }

            @Override
            public Iterator<Object> iterator() {
                throw new UnsupportedOperationException("only contains is used");
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
