package dev.mlops.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A Jazzer fuzz test whose every input must finish within {@value #PER_INPUT_SECONDS} s.
 *
 * <p>In the default build (no {@code JAZZER_FUZZ}) the method runs once per seed file, and JUnit cuts a
 * seed that runs longer in a separate thread, so a parser that loops forever fails its seed instead of
 * hanging the build. The bound is generous because the first seed of a JVM pays for class loading and
 * instrumentation, on a machine shared with other builds. In fuzzing mode Jazzer turns the same
 * {@link Timeout} into libFuzzer's {@code -timeout}, which {@code scripts/fuzz.sh} tightens (10 s by
 * default); the script also switches JUnit's own timeout off, which would otherwise bound the whole
 * fuzzing run rather than one input.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = BoundedFuzzTest.PER_INPUT_SECONDS, unit = TimeUnit.SECONDS,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@FuzzTest(maxDuration = "60s")
public @interface BoundedFuzzTest {
  /** The longest one input may take; generous, since a seed may be the first to load a class graph. */
  long PER_INPUT_SECONDS = 30;
}
