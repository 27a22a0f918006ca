package dev.flin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use FLIN in your project" against what it describes: its Maven snippet is the
 * sample project's ({@code samples/hello-flin/pom.xml}) block between the snippet markers, and the
 * sample, the Gradle snippet and {@code flin-bom} name the build's own version. Run from the
 * examples module's directory, as Surefire does.
 */
class UseFlinSnippetTest {

    private static final Path ROOT = Path.of("..");
    private static final String SECTION = "## Use FLIN in your project";

    @Test
    void theReadmesMavenSnippetIsTheSamplesDependencyBlock() throws IOException {
        final String pom = read("samples/hello-flin/pom.xml");
        final String start = "  <!-- README snippet starts -->\n";
        final String end = "  <!-- README snippet ends -->";
        assertTrue(pom.contains(start) && pom.contains(end), "the sample's pom marks its snippet");
        final String block = pom.substring(pom.indexOf(start) + start.length(), pom.indexOf(end));
        final String dedented = block.stripTrailing().lines()
                .map(line -> line.startsWith("  ") ? line.substring(2) : line)
                .collect(Collectors.joining("\n"));

        assertEquals(dedented, fencedBlock("xml"),
                "README.md's Maven snippet must be samples/hello-flin/pom.xml's block between the markers");
    }

    @Test
    void theSampleTheGradleSnippetAndTheBomNameTheBuildsVersion() throws IOException {
        final String version = first("<artifactId>flin-runtime-parent</artifactId>\\s*<version>([^<]+)</version>",
                read("pom.xml"));
        assertEquals(version, first("<artifactId>flin-bom</artifactId>\\s*<version>([^<]+)</version>",
                read("flin-bom/pom.xml")), "flin-bom's version");
        assertEquals(version, first("<flin.version>([^<]+)</flin.version>", read("samples/hello-flin/pom.xml")),
                "the sample's flin.version");
        assertEquals(version, first("platform\\(\"dev.flin:flin-bom:([^\"]+)\"\\)", fencedBlock("kotlin")),
                "the Gradle snippet's flin-bom version");
    }

    @Test
    void theBomCarriesFlinArtifactsOnly() throws IOException {
        final String bom = read("flin-bom/pom.xml");
        final String managed = bom.substring(bom.indexOf("<dependencyManagement>"), bom.indexOf("</dependencyManagement>"));
        final Matcher groups = Pattern.compile("<groupId>([^<]+)</groupId>").matcher(managed);
        final List<String> found = groups.results().map(m -> m.group(1)).distinct().collect(Collectors.toList());
        assertEquals(List.of("dev.flin"), found, "flin-bom must not pin third-party libraries for its users");
    }

    /** The first block fenced as {@code language} in the README's section. */
    private static String fencedBlock(final String language) throws IOException {
        final String readme = read("README.md");
        final int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "README.md has the section " + SECTION);
        final String fence = "```" + language + "\n";
        final int from = readme.indexOf(fence, section) + fence.length();
        assertTrue(from >= fence.length(), "the section has a " + language + " block");
        return readme.substring(from, readme.indexOf("\n```", from));
    }

    private static String first(final String regex, final String text) {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "found " + regex);
        return matcher.group(1);
    }

    private static String read(final String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }
}
