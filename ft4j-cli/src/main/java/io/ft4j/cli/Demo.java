package io.ft4j.cli;

import java.io.PrintWriter;

/**
 * A demo of the tour. Each ends its own output with what it proved; {@link #takeaway()} gives the same in one line,
 * with the run's numbers, for the summary that closes {@code ft4j demo}.
 */
interface Demo {
    /**
     * Returns what the last run showed, in one line with its numbers.
     *
     * @return the line, or null if the demo has not run or had nothing to show
     */
    String takeaway();

    /** Width of the demos' paragraphs. */
    int WIDTH = 100;

    /**
     * Prints a paragraph wrapped at {@link #WIDTH} columns, every line indented by two spaces.
     *
     * @param out where to print
     * @param text the paragraph, one line
     */
    static void say(PrintWriter out, String text) {
        StringBuilder line = new StringBuilder("  ");
        for (String word : text.strip().split(" +")) {
            if (line.length() > 2 && line.length() + 1 + word.length() > WIDTH) {
                out.println(line);
                line.setLength(0);
                line.append("  ");
            }
            if (line.length() > 2) {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line);
    }
}
