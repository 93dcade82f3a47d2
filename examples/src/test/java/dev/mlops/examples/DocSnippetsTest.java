package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of README.md and docs/*.md is backed by compiled code: its lines, imports
 * included, appear in order in one source file under {@code dev.mlops.examples.snippets}, which the
 * {@code *SnippetsTest} classes run. A snippet edited in the docs without its example (or an example
 * edited without its snippet) fails here, naming the doc, the line and the first line not found.
 *
 * <p>Lines are compared trimmed; blank lines are ignored, and so is an elision, a line that starts
 * with {@code // ...}, which stands for code the docs leave out.
 */
class DocSnippetsTest {
  private static final Path REPO = Path.of("..");
  private static final Path SNIPPET_SOURCES = Path.of("src/main/java/dev/mlops/examples/snippets");

  /**
   * Docs whose snippets are not backed yet, because the API they show is being changed; empty this
   * list once they are.
   */
  static final List<String> DOCS_NOT_YET_BACKED = List.of();

  /**
   * Single snippets not backed yet, as {@code doc#heading} of the section they sit in; empty this list
   * once they are.
   */
  static final List<String> SNIPPETS_NOT_YET_BACKED = List.of();

  /** A {@code ```java} block: where it is and its lines. */
  record Snippet(String doc, int line, String heading, List<String> lines) {
    String key() {
      return doc + "#" + heading;
    }

    @Override
    public String toString() {
      return doc + ":" + line;
    }
  }

  static Stream<Snippet> backedSnippets() {
    return allSnippets().stream().filter(s -> !SNIPPETS_NOT_YET_BACKED.contains(s.key()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backedSnippets")
  void everySnippetIsFoundLineByLineInOneExampleSource(Snippet snippet) {
    List<String> wanted = normalize(snippet.lines());
    String best = "no example sources in " + SNIPPET_SOURCES.toAbsolutePath();
    int bestMatched = -1;
    for (Map.Entry<String, List<String>> source : exampleSources().entrySet()) {
      int matched = matchedInOrder(wanted, normalize(source.getValue()));
      if (matched == wanted.size()) {
        return;
      }
      if (matched > bestMatched) {
        bestMatched = matched;
        best = matched == 0
            ? "no source there has its first line '" + wanted.get(0) + "'"
            : source.getKey() + " has the snippet's first " + matched + " lines in order, but not, after them, "
                + "line '" + wanted.get(matched) + "'";
      }
    }
    throw new AssertionError("The java snippet at " + snippet + " (section '" + snippet.heading()
        + "') is not backed by an example in " + SNIPPET_SOURCES + ": " + best
        + ". Change the example and the doc together.");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backedSnippets")
  void everySnippetStartsWithItsImports(Snippet snippet) {
    List<String> lines = normalize(snippet.lines());
    assertThat(lines).as("lines of the snippet at %s", snippet).isNotEmpty();
    assertThat(lines.get(0)).as("first line of the snippet at %s, which should show its imports", snippet)
        .startsWith("import ");
  }

  @Test
  void theExtractorFindsTheSnippetsOfTheCoveredDocs() {
    Map<String, Long> perDoc = new TreeMap<>();
    backedSnippets().forEach(s -> perDoc.merge(s.doc(), 1L, Long::sum));
    assertThat(perDoc).containsEntry("README.md", 2L).containsEntry("docs/monitoring.md", 7L)
        .containsEntry("docs/validation.md", 10L).containsEntry("docs/serving.md", 4L);
  }

  @Test
  void everyExclusionNamesSomethingThatExists() {
    for (String doc : DOCS_NOT_YET_BACKED) {
      assertThat(REPO.resolve(doc)).as("excluded doc %s", doc).isRegularFile();
    }
    List<String> keys = allSnippets().stream().map(Snippet::key).toList();
    assertThat(keys).as("the sections of the backed docs' java snippets").containsAll(SNIPPETS_NOT_YET_BACKED);
  }

  /** The java blocks of README.md and docs/*.md, but for the docs not yet backed. */
  static List<Snippet> allSnippets() {
    List<Path> docs = new ArrayList<>();
    docs.add(REPO.resolve("README.md"));
    try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
      files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Snippet> out = new ArrayList<>();
    for (Path doc : docs) {
      String name = REPO.relativize(doc).toString().replace('\\', '/');
      if (!DOCS_NOT_YET_BACKED.contains(name)) {
        out.addAll(javaBlocks(name, read(doc)));
      }
    }
    return out;
  }

  static List<Snippet> javaBlocks(String doc, List<String> lines) {
    List<Snippet> out = new ArrayList<>();
    String heading = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        heading = line.replaceFirst("^#+\\s*", "");
      } else if (line.strip().startsWith("```")) {
        String info = line.strip().substring(3).strip();
        int start = i;
        List<String> body = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
          body.add(lines.get(i));
        }
        if (info.equals("java")) {
          out.add(new Snippet(doc, start + 1, heading, body));
        }
      }
    }
    return out;
  }

  /** Trimmed, without blank lines and elisions. */
  static List<String> normalize(List<String> lines) {
    return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("// ...")).toList();
  }

  /** How many of {@code wanted}, from its first line, appear in {@code source} in order. */
  static int matchedInOrder(List<String> wanted, List<String> source) {
    int matched = 0;
    for (int i = 0; i < source.size() && matched < wanted.size(); i++) {
      if (source.get(i).equals(wanted.get(matched))) {
        matched++;
      }
    }
    return matched;
  }

  private static Map<String, List<String>> exampleSources() {
    Map<String, List<String>> sources = new TreeMap<>();
    try (Stream<Path> files = Files.list(SNIPPET_SOURCES)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.put(p.toString(), read(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sources;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
