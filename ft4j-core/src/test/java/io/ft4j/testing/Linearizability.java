package io.ft4j.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Lincheck runs with ft4j's bounds, in one place: Lincheck's defaults take minutes per class, these take seconds and
 * still found every bug planted or met so far (a broken CAS loop, a peek that read its bound once, a remove that
 * skipped unwritten slots).
 */
public final class Linearizability {
    private Linearizability() {}

    /**
     * Explores interleavings systematically (Lincheck's model checking).
     *
     * @param testClass the class with {@code @Operation} methods
     */
    public static void modelCheck(Class<?> testClass) {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(testClass);
    }

    /**
     * Runs the operations on real threads many times (Lincheck's stress mode).
     *
     * @param testClass the class with {@code @Operation} methods
     */
    public static void stress(Class<?> testClass) {
        new StressOptions().iterations(30).invocationsPerIteration(2_000).check(testClass);
    }
}
