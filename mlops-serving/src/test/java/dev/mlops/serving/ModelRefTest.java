package dev.mlops.serving;

import dev.mlops.core.DataFormatException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import dev.mlops.serving.repository.ModelRef;

class ModelRefTest {

  @Test
  void parsesAliasAndVersionForms() {
    ModelRef alias = ModelRef.parse("credit-risk@champion");
    assertThat(alias.name()).isEqualTo("credit-risk");
    assertThat(alias.alias()).isEqualTo("champion");
    assertThat(alias.version()).isNull();
    assertThat(alias.isAlias()).isTrue();
    ModelRef fixed = ModelRef.parse("credit-risk/3");
    assertThat(fixed.version()).isEqualTo("3");
    assertThat(fixed.isAlias()).isFalse();
    assertThat(ModelRef.parse(fixed.toString())).isEqualTo(fixed);
    assertThat(ModelRef.parse(alias.toString())).isEqualTo(alias);
  }

  @ParameterizedTest
  @ValueSource(strings = {"credit-risk", "../secrets/1", "a/b/c", "a@b@c", "a/b@c", "/etc/passwd", "@x", "m/", ""})
  void rejectsMalformedReferences(String text) {
    assertThatThrownBy(() -> ModelRef.parse(text)).isInstanceOf(DataFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../1", "m/..", "m/.", "..@champion", "m@..", "m/.hidden", "m/a\\b"})
  void rejectsNamesThatCouldEscapeTheRoot(String text) {
    assertThatThrownBy(() -> ModelRef.parse(text)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("(no '/', no '..', no absolute paths)");
  }

  @Test
  void messageNamesTheBadPart() {
    assertThatThrownBy(() -> ModelRef.parse("credit-risk/.."))
        .hasMessage("Invalid version '..': use 1 to 128 letters, digits, '.', '_', '+' or '-', starting with a letter"
            + " or digit (no '/', no '..', no absolute paths)");
  }
}
