package io.ft4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pom lines of the README's "Using the library" are the ones the example projects build with: each {@code xml}
 * block of that section must appear, comments and layout aside, in both examples/classpath/pom.xml and
 * examples/modulepath/pom.xml, and each example must start its JVM with the README's native-access flag. The
 * invoker run of this module then builds and runs those projects, so a README snippet that stops working fails
 * {@code mvn verify}.
 */
class ReadmeSnippetTest {
    private static final Path ROOT = Path.of(System.getProperty("ft4j.root", ".."));
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\R(.*?)```", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"classpath", "modulepath"})
    void examplePomHoldsTheReadmePomLines(String example) throws IOException {
        List<String> blocks = readmeXmlBlocks();
        assertEquals(2, blocks.size(), "README 'Using the library' should have two xml blocks (dependency, plugins)");
        String pom = normalise(Files.readString(ROOT.resolve("examples").resolve(example).resolve("pom.xml")));
        for (String block : blocks) {
            assertTrue(pom.contains(normalise(block)),
                    "examples/" + example + "/pom.xml lacks the README's lines:\n" + block);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classpath:--enable-native-access=ALL-UNNAMED", "modulepath:--enable-native-access=io.ft4j"})
    void exampleRunsWithTheReadmeFlag(String exampleAndFlag) throws IOException {
        String example = exampleAndFlag.substring(0, exampleAndFlag.indexOf(':'));
        String flag = exampleAndFlag.substring(exampleAndFlag.indexOf(':') + 1);
        assertTrue(usingTheLibrary().contains(flag), "README 'Using the library' should name " + flag);
        String pom = Files.readString(ROOT.resolve("examples").resolve(example).resolve("pom.xml"));
        assertTrue(pom.contains("<argument>" + flag + "</argument>"), "examples/" + example + " should run with " + flag);
    }

    private static List<String> readmeXmlBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = XML_BLOCK.matcher(usingTheLibrary());
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String usingTheLibrary() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Using the library");
        assertTrue(start >= 0, "README.md has no '## Using the library' section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Drops XML comments and all white space, so only the elements and their text are compared. */
    private static String normalise(String xml) {
        return xml.replaceAll("(?s)<!--.*?-->", "").replaceAll("\\s+", "");
    }
}
