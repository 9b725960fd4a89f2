package io.ft4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class Ft4jTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Ft4j.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void helpListsTheDemos() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("race"), out.toString());
        assertTrue(out.toString().contains("ft4j demo"), out.toString());
    }

    @Test
    void theSafeCountersAreExactAndTheNaiveOneNeverGains() throws Exception {
        for (RaceDemo.Kind kind : RaceDemo.Kind.values()) {
            RaceDemo.Outcome o = RaceDemo.runOnce(kind, 4, 20_000);
            assertEquals(80_000, o.expected());
            if (kind.safe()) {
                assertEquals(o.expected(), o.actual(), kind.label);
            } else {
                assertTrue(o.actual() <= o.expected() && o.actual() > 0, kind.label + ": " + o.actual());
            }
        }
    }

    @Test
    void raceDemoPrintsExpectedAndActualForEveryCounterAndSucceeds() {
        assertEquals(0, run("demo", "race", "--rounds", "2", "--threads", "4", "--increments", "20000"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("expected 80,000"), text);
        for (RaceDemo.Kind kind : RaceDemo.Kind.values()) {
            assertTrue(text.contains(kind.label), kind.label);
        }
        assertTrue(text.contains("were exact in every round"), text);
    }

    @Test
    void badOptionsGetOneLineAndExitCode2() {
        for (String[] args : new String[][] {
                {"demo", "race", "--bogus"},
                {"demo", "race", "--threads", "0"},
                {"demo", "race", "--rounds", "x"},
                {"demo", "nosuchdemo"},
                {"--nope"}}) {
            StringWriter e = new StringWriter();
            int code = Ft4j.run(new PrintWriter(new StringWriter()), new PrintWriter(e), args);
            assertEquals(2, code, String.join(" ", args));
            String message = e.toString().strip();
            assertTrue(message.startsWith("ft4j: "), message);
            assertEquals(1, message.lines().count(), message);
        }
    }
}
