package io.ft4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a benchmark result needs to say about the machine it came from: CPUs, CPU model, memory, JDK, OS. */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", procField("/proc/cpuinfo", "model name"));
        String mem = procField("/proc/meminfo", "MemTotal");
        m.put("memory", mem.endsWith(" kB")
                ? String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replace(" kB", "").strip()) / 1048576.0)
                : mem);
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return m;
    }

    /** @return the java launcher of the running JVM, for child JVMs on the same JDK */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String line(Map<String, Object> m) {
        return m.get("cpus") + " CPUs (" + m.get("cpuModel") + "), " + m.get("memory") + ", " + m.get("jdk") + ", "
                + m.get("os");
    }

    /** The value of the first {@code key: value} line of a /proc file, or "unknown" where there is none. */
    private static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    return line.substring(colon + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown";
    }
}
