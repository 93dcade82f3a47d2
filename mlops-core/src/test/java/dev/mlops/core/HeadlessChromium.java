package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders the library's HTML reports in headless Chromium, offline (no network, no first-run
 * services), for the tests that check a page loads and draws. Tests skip with a reason when
 * Chromium is not installed ({@code .ci/run} installs it).
 */
public final class HeadlessChromium {
  /** Where Debian's package puts it. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** The reason a test gives when it skips. */
  public static final String MISSING = "Chromium not installed at /usr/bin/chromium: apt-get install -y chromium"
      + " (CI's .ci/run installs it)";

  private HeadlessChromium() {}

  /**
   * Whether Chromium can be run.
   *
   * @return true when installed
   */
  public static boolean available() {
    return Files.isExecutable(CHROMIUM);
  }

  /**
   * Runs Chromium headless with the given arguments ({@code --dump-dom URL}, {@code --screenshot=FILE
   * URL}) and returns its standard output.
   *
   * @param dir a scratch directory for its profile and output
   * @param args the arguments after the fixed ones
   * @return what it printed
   * @throws IOException when it cannot be started
   * @throws InterruptedException when interrupted while waiting
   */
  public static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
        "--window-size=1200,2000"));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!proc.waitFor(60, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new AssertionError("Chromium did not finish within 60 s: " + cmd);
    }
    assertThat(proc.exitValue()).as("chromium exit code").isZero();
    return Files.readString(out);
  }

  /**
   * Renders a page to a PNG and keeps a copy under {@code target/report-screenshots/} as build output.
   *
   * @param dir a scratch directory
   * @param html the page
   * @param name the kept file's name, such as {@code profile-report.png}
   * @return the screenshot
   * @throws IOException when it cannot be written
   * @throws InterruptedException when interrupted
   */
  public static Path screenshot(Path dir, Path html, String name) throws IOException, InterruptedException {
    Path png = dir.resolve(name);
    run(dir, "--screenshot=" + png.toAbsolutePath(), "file://" + html.toAbsolutePath());
    assertThat(png).exists();
    Path keep = Path.of("target", "report-screenshots", name);
    Files.createDirectories(keep.getParent());
    Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return png;
  }
}
