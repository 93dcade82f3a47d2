package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * mlops-bom manages Jackson and Arrow for consumers (so their class path holds one version of each);
 * its versions must be the ones the library is built and tested with, which the parent POM sets.
 */
class BomAlignmentTest {
  private static String property(Path pom, String name) throws IOException {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
        .matcher(Files.readString(pom));
    assertThat(m.find()).as("%s sets <%s>", pom, name).isTrue();
    return m.group(1).trim();
  }

  @Test
  void theBomManagesTheJacksonAndArrowVersionsTheLibraryIsTestedWith() throws IOException {
    Path parent = Path.of("../pom.xml");
    Path bom = Path.of("../mlops-bom/pom.xml");
    for (String name : new String[] {"jackson.version", "arrow.version"}) {
      assertThat(property(bom, name)).as("%s in mlops-bom and in the parent POM", name)
          .isEqualTo(property(parent, name));
    }
    assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
        .isEqualTo(property(bom, "jackson.version"));
  }
}
