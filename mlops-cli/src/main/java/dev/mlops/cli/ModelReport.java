package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.HtmlPage;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.manifest.Artifact;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.DatasetRef;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.ProfileFiles;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.serving.repository.AuditLog;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.CsvValidation;
import dev.mlops.validation.DataContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * One self-contained HTML page about a model version: its manifest (artifacts and digests), lineage
 * (code, data, parent), metrics and tags, the aliases and audit records that concern it, and, when
 * given data, the contract's verdict on it and its drift against the version's training profile.
 */
final class ModelReport {

  private ModelReport() {}

  static Gates.Result create(Path repository, String ref, @Nullable Path contractFile, @Nullable Path data,
      String trainingProfile) {
    if (!Files.isDirectory(repository)) {
      throw new CliException(Mlops.BAD_INPUT, "no such repository directory: " + repository);
    }
    ModelRepository repo = ModelRepository.open(repository);
    VerifiedModel model = repo.load(ModelRef.parse(ref));
    ModelManifest m = model.manifest();
    String title = "Model " + m.name() + "/" + m.version();
    StringBuilder sb = new StringBuilder();
    HtmlPage.open(sb, title, ".pre{white-space:pre-wrap;font-family:monospace;font-size:12px;background:#f8f8f8;"
        + "padding:8px;max-width:1000px}");
    ObjectNode json = CliJson.MAPPER.createObjectNode();
    json.put("command", "report");
    json.put("model", m.name());
    json.put("version", m.version());
    json.put("manifestDigest", m.digest());
    boolean signed = Files.exists(repo.directory(ModelRef.ofVersion(m.name(), m.version()))
        .resolve(ModelManifest.SIGNATURE_FILE_NAME));
    Map<String, String> aliases = repo.aliases(m.name());
    List<String> here = aliases.entrySet().stream().filter(e -> e.getValue().equals(m.version()))
        .map(Map.Entry::getKey).toList();
    sb.append("<div class=\"summary\">format <b>").append(esc(m.format())).append("</b> &middot; created <b>")
        .append(esc(m.createdAt().toString())).append("</b> &middot; manifest <b>").append(esc(m.digest()))
        .append("</b> &middot; ").append(signed ? "signed" : "not signed").append(" &middot; aliases: <b>")
        .append(esc(here.isEmpty() ? "none" : String.join(", ", here))).append("</b><br>every artifact matched its"
            + " digest when this page was made</div>\n");

    sb.append("<h2>Artifacts</h2><table><tr><th>file</th><th>bytes</th><th>sha256</th></tr>");
    for (Artifact a : m.artifacts()) {
      sb.append("<tr><td>").append(esc(a.path())).append("</td><td class=\"n\">").append(a.size())
          .append("</td><td>").append(esc(a.sha256())).append("</td></tr>");
    }
    sb.append("</table>\n");

    sb.append("<h2>Lineage</h2><table>");
    CodeVersion code = m.codeVersion();
    row(sb, "code commit", code.commit() == null ? "not recorded" : code.commit());
    row(sb, "work tree", code.dirty().name().toLowerCase(Locale.ROOT));
    if (code.ref() != null) {
      row(sb, "ref", code.ref());
    }
    row(sb, "parent", m.parent() == null ? "none" : m.parent().name() + "/" + m.parent().version());
    for (DatasetRef d : m.datasets()) {
      row(sb, "dataset " + d.name(), d.fingerprint().rowCount() + " rows, schema " + d.fingerprint().schemaHash()
          + ", content " + d.fingerprint().contentDigest());
    }
    m.hyperParameters().forEach((k, v) -> row(sb, "hyper-parameter " + k, String.valueOf(v)));
    m.seeds().forEach((k, v) -> row(sb, "seed " + k, String.valueOf(v)));
    sb.append("</table>\n");

    sb.append("<h2>Metrics</h2>");
    if (m.metrics().isEmpty()) {
      sb.append("<p>none recorded</p>\n");
    } else {
      sb.append("<table><tr><th>metric</th><th>value</th></tr>");
      ObjectNode metrics = json.putObject("metrics");
      m.metrics().forEach((k, v) -> {
        sb.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">").append(String.format(Locale.ROOT,
            "%.6g", v)).append("</td></tr>");
        metrics.put(k, v);
      });
      sb.append("</table>\n");
    }
    sb.append("<h2>Tags</h2><table>");
    m.tags().forEach((k, v) -> row(sb, k, v));
    sb.append("</table>\n");

    sb.append("<h2>Audit records</h2><table><tr><th>#</th><th>time</th><th>actor</th><th>action</th>"
        + "<th>from</th><th>to</th><th>details</th></tr>");
    int records = 0;
    for (AuditLog.Entry e : repo.auditLog().read()) {
      if (e.model().equals(m.name()) && (m.version().equals(e.to()) || m.version().equals(e.from()))) {
        records++;
        StringBuilder details = new StringBuilder();
        e.details().forEach((k, v) -> details.append(k).append(" = ").append(v).append('\n'));
        sb.append("<tr><td class=\"n\">").append(e.seq()).append("</td><td>").append(esc(e.time().toString()))
            .append("</td><td>").append(esc(e.actor())).append("</td><td>").append(esc(e.action())).append("</td><td>")
            .append(esc(String.valueOf(e.from()))).append("</td><td>").append(esc(String.valueOf(e.to())))
            .append("</td><td class=\"pre\">").append(esc(details.toString().strip())).append("</td></tr>");
      }
    }
    sb.append("</table>\n");
    json.put("auditRecords", records);

    if (contractFile != null) {
      Gates.requireFile(contractFile, "contract");
      DataContract c = DataContract.read(contractFile);
      sb.append("<h2>Contract ").append(esc(c.name())).append("</h2>");
      if (data != null) {
        Gates.requireFile(data, "data");
        CsvValidation.Outcome o = CsvValidation.validate(c, List.of(data), null, (r, b) -> { });
        json.put("contractPassed", o.passed());
        sb.append("<p>on ").append(esc(data.getFileName().toString())).append(": <span class=\"badge ")
            .append(o.passed() ? "passed\">PASS" : "failed\">FAIL").append("</span> ").append(esc(o.toText()
                .lines().findFirst().orElse(""))).append("</p>");
        sb.append(HtmlPage.bodyOf(o.report().toHtml()).replace("<h1>", "<h3>").replace("</h1>", "</h3>"));
      }
      sb.append("<div class=\"pre\">").append(esc(c.toYaml())).append("</div>\n");
    }

    ArrayNode sections = json.putArray("sections");
    sections.add("artifacts").add("lineage").add("metrics").add("tags").add("audit");
    if (contractFile != null) {
      sections.add("contract");
    }
    if (data != null) {
      sb.append("<h2>Drift against the training profile</h2>");
      if (m.artifact(trainingProfile).isEmpty()) {
        sb.append("<p>the version has no artifact ").append(esc(trainingProfile)).append(": publish it with"
            + " --with ").append(esc(trainingProfile)).append(" to compare data with its training data</p>\n");
        json.put("drift", "no training profile");
      } else {
        Gates.requireFile(data, "data");
        DatasetProfile training = DatasetProfile.fromBytes(model.artifact(trainingProfile));
        DatasetProfile current;
        try (BufferAllocator allocator = new RootAllocator()) {
          current = ProfileFiles.ofCsv(data, CsvOptions.builder().schema(training.schema()).build(),
              ProfileOptions.defaults(), allocator);
        }
        DriftReport d = DriftReport.compare(training, current, DriftOptions.defaults());
        json.put("drifted", d.drift().drifted());
        sections.add("drift");
        sb.append(HtmlPage.bodyOf(d.toHtml()));
      }
    }
    HtmlPage.close(sb);
    return new Gates.Result(Mlops.OK, json, title + ": " + m.artifacts().size() + " artifacts, " + m.metrics().size()
        + " metrics, " + records + " audit records", sb.toString());
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
  }

  private static String esc(String s) {
    return HtmlPage.esc(s);
  }
}
