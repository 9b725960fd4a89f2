package io.ft4j.internal.util;

/**
 * Argument and state checks for ft4j's API boundary: one helper, one message shape.
 *
 * <p>Messages name the argument, its value and what was expected, so the caller knows what to change:
 * {@code "divisor: 0 (expected: != 0)"}. Checks belong at the public boundary only; inner loops stay check-free.
 */
public final class Checks {
    private Checks() {}

    /**
     * Rejects a null argument the java.util.concurrent way.
     *
     * @param <T> the argument's type
     * @param value the argument
     * @param name the parameter's name, used in the message
     * @return {@code value}, so a check can sit in an assignment
     * @throws NullPointerException if {@code value} is null
     */
    public static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + ": null (expected: not null)");
        }
        return value;
    }

    /**
     * Builds the message for a rejected argument.
     *
     * @param name the parameter's name
     * @param value the value given
     * @param expected the rule it broke, such as {@code "> 0"}
     * @return {@code "name: value (expected: rule)"}
     */
    public static String badArgument(String name, Object value, String expected) {
        return name + ": " + value + " (expected: " + expected + ")";
    }

    /**
     * Rejects a non-positive count, size or capacity.
     *
     * @param value the argument
     * @param name the parameter's name
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value <= 0}
     */
    public static int requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(badArgument(name, value, "> 0"));
        }
        return value;
    }

    /**
     * Rejects an operation that the object's current state does not allow.
     *
     * @param condition true when the state allows the operation
     * @param message what is wrong and what to do instead
     * @throws IllegalStateException if {@code condition} is false
     */
    public static void requireState(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
