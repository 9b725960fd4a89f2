package io.ft4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {
    @Test
    void helpIsAnAnswerNotARun() throws Exception {
        assertNull(Ratios.parse("--help"));
        assertNull(Ratios.parse("-h"));
        assertNull(Ratios.parse("LockBench", "-t", "1", "--help"));
        assertTrue(Ratios.USAGE.startsWith("usage: Ratios <include-regex>"), Ratios.USAGE);
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        for (String[] args : new String[][] {{}, {"-t", "1"}, {"LockBench", "-t"}, {"LockBench", "-x", "1"},
                {"LockBench", "-f", "many"}, {"LockBench", "-r", "soon"}}) {
            assertThrows(Ratios.UsageException.class, () -> Ratios.parse(args), String.join(" ", args));
        }
    }

    @Test
    void optionsAreRead() throws Exception {
        Ratios.Options o = Ratios.parse("QueueBench", "-t", "2,4", "-f", "1", "-r", "250ms", "-D", "a=b");
        assertEquals("QueueBench", o.include());
        assertArrayEquals(new int[] {2, 4}, o.threads());
        assertEquals(1, o.forks());
        assertTrue(o.jvmArgs().contains("-Da=b"), o.jvmArgs().toString());
    }

    @Test
    void aRatioWhoseErrorSpansOneIsNoDifference() {
        assertEquals("no difference", Ratios.verdict(1.2, 0.3));
        assertEquals("no difference", Ratios.verdict(0.9, 0.1));
        assertEquals("ft4j faster", Ratios.verdict(1.2, 0.1));
        assertEquals("ft4j slower", Ratios.verdict(0.5, 0.2));
        assertEquals("error unknown", Ratios.verdict(2.0, Double.NaN));
    }

    @Test
    void pairsEachFt4jBenchmarkWithItsAnchorsAndInvertsTimePerOperation() {
        Map<String, Ratios.Score> scores = new LinkedHashMap<>();
        scores.put("io.ft4j.bench.ThreadControlBench.ft4j_currentCpu", new Ratios.Score(3, 0.1, "ns/op", 1));
        scores.put("io.ft4j.bench.ThreadControlBench.anchor_currentCpu", new Ratios.Score(60, 1, "ns/op", 1));
        scores.put("io.ft4j.bench.ThreadControlBench.ft4j_getNice", new Ratios.Score(370, 9, "ns/op", 1));
        List<Ratios.Row> rows = Ratios.pair(scores);
        assertEquals(2, rows.size());
        Ratios.Row cpu = rows.get(0);
        assertEquals("currentCpu", cpu.op());
        assertEquals(20.0, cpu.ratio(), 1e-9, "time per operation: the anchor's over ft4j's");
        assertEquals("ft4j faster", cpu.verdict());
        assertTrue(cpu.json().contains("\"verdict\": \"ft4j faster\""), cpu.json());
        Ratios.Row nice = rows.get(1);
        assertNull(nice.anchorName());
        assertNull(nice.verdict());
        assertTrue(nice.json().contains("\"anchor\": null") && nice.json().contains("\"verdict\": null"), nice.json());
    }
}
