package dev.mlops.maven;

import dev.mlops.cli.Gates;
import dev.mlops.cli.Mlops;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * What every gate goal does: run one gate of the command line's API, log its text (as errors when it
 * fails), write its reports, and fail the build when the gate fails ({@link MojoFailureException}) or
 * its input is bad ({@link MojoExecutionException}), with the message the command line would print.
 */
public abstract class GateMojo extends AbstractMojo {
  /** Skips the goal. */
  @Parameter(property = "mlops.skip", defaultValue = "false")
  private boolean skip;

  /** Where the gate's JSON document is written (the document {@code mlops <command> --json} prints). */
  @Parameter
  private @Nullable File jsonReport;

  /** Where the gate's HTML report is written, for the gates that have one. */
  @Parameter
  private @Nullable File htmlReport;

  /** For subclasses. */
  protected GateMojo() {}

  /**
   * The command line's name of the gate, for messages ({@code validate}).
   *
   * @return the name
   */
  protected abstract String command();

  /**
   * Runs the gate.
   *
   * @return its result
   */
  protected abstract Gates.Result runGate();

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("mlops " + command() + ": skipped");
      return;
    }
    Gates.Result r;
    try {
      r = runGate();
    } catch (RuntimeException e) {
      String message = "mlops " + command() + ": " + Mlops.messageOf(e);
      if (Mlops.exitCodeOf(e) == Mlops.CHECK_FAILED) {
        throw new MojoFailureException(message, e);
      }
      throw new MojoExecutionException(message, e);
    }
    write(jsonReport, Mlops.pretty(r.json()));
    if (r.html() != null) {
      write(htmlReport, r.html());
    }
    boolean ok = r.exitCode() == Mlops.OK;
    for (String line : r.text().split("\n", -1)) {
      if (ok) {
        getLog().info(line);
      } else {
        getLog().error(line);
      }
    }
    if (!ok) {
      throw new MojoFailureException("mlops " + command() + " failed: " + summary(r.text()) + " (the lines above say"
          + " why"
          + (jsonReport == null ? "" : "; report " + jsonReport) + ")");
    }
  }

  /**
   * The line of a failed gate's text that says what failed, for the build's failure message.
   *
   * @param text the gate's text
   * @return its first line; a gate whose verdict comes last overrides this
   */
  protected String summary(String text) {
    return text.split("\n", 2)[0];
  }

  private void write(@Nullable File file, String text) throws MojoExecutionException {
    if (file == null) {
      return;
    }
    Path p = file.toPath();
    try {
      if (p.getParent() != null) {
        Files.createDirectories(p.getParent());
      }
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("mlops " + command() + ": cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A required file parameter as a path.
   *
   * @param f the parameter's value
   * @param name the parameter's name
   * @return the path
   */
  protected static Path required(@Nullable File f, String name) {
    if (f == null) {
      throw new IllegalArgumentException("the parameter '" + name + "' is required; set it in the plugin's"
          + " <configuration>");
    }
    return f.toPath();
  }
}
