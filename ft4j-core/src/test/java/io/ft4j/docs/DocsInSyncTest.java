package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java in the user guides is the code of the *Guide test classes beside this one, which compile and run with the
 * build: a guide marks each block with {@code <!-- snippet: Class#tag -->}, and the block must equal the region
 * between {@code // tag::tag[]} and {@code // end::tag[]} in that class, less its indentation. Every Java block in a
 * guide must be such a snippet.
 */
class DocsInSyncTest {
    private static final Path DOCS = Path.of("../docs");
    private static final Path SOURCES = Path.of("src/test/java/io/ft4j/docs");
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\w+)#([\\w-]+) -->");

    /** The region between the tags in {@code cls}, dedented. */
    static List<String> region(String cls, String tag) throws IOException {
        List<String> lines = Files.readAllLines(SOURCES.resolve(cls + ".java"));
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.equals("// tag::" + tag + "[]")) {
                start = i + 1;
            } else if (s.equals("// end::" + tag + "[]")) {
                end = i;
            }
        }
        assertTrue(start > 0 && end >= start, cls + " has no region " + tag);
        List<String> body = lines.subList(start, end);
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"atomics.md", "collections.md", "locks.md", "mixed-criticality.md", "thread-control.md"})
    void everyGuideShowsCompiledExamples(String guide) throws IOException {
        assertTrue(check(guide) > 0, guide + " shows no compiled example");
    }

    @Test
    void everyJavaBlockInTheDocsIsACompiledSnippet() throws IOException {
        try (var files = Files.list(DOCS)) {
            for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                check(md.getFileName().toString());
            }
        }
    }

    /** Checks every Java block of one document against its region; returns how many there are. */
    private static int check(String guide) throws IOException {
        List<String> lines = Files.readAllLines(DOCS.resolve(guide));
        int snippets = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```java")) {
                continue;
            }
            Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
            assertTrue(m != null && m.matches(), guide + ":" + (i + 1) + ": a Java block without a snippet marker "
                    + "(put <!-- snippet: Class#tag --> above it, with the code in that test class)");
            List<String> block = new ArrayList<>();
            for (int j = i + 1; !lines.get(j).equals("```"); j++) {
                block.add(lines.get(j));
            }
            assertEquals(String.join("\n", region(m.group(1), m.group(2))), String.join("\n", block),
                    guide + ":" + (i + 1) + " differs from " + m.group(1) + "#" + m.group(2)
                            + ": copy the region into the guide");
            snippets++;
        }
        return snippets;
    }
}
