package dev.mlops.validation.fuzz;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * An independent reading of YAML text with SnakeYAML's event parser and composer, used as the oracle of
 * {@link DataContractFuzzTest}: whether the text is one well-formed document, whether it has explicit
 * tags, and, when it uses anchors, aliases or merge keys, the same document with every alias expanded
 * and every merge applied, written out plainly. Scalars keep their text and their plain or quoted
 * style, so a reader resolves them as it would have in the original.
 */
final class YamlText {
  /** Expanded text longer than this (alias bombs) makes no claim. */
  private static final int MAX_EXPANDED_CHARS = 1 << 20;

  /** Whether the whole text parses as YAML. */
  final boolean wellFormed;
  /** The number of documents in the stream. */
  final int documents;
  /** Whether any node carries an explicit tag ({@code !!str}, {@code !custom}, ...). */
  final boolean explicitTags;
  /** The one document with aliases expanded and merges applied; null when not known. */
  final @Nullable String expanded;
  /** The text of a plain top-level {@code formatVersion} scalar; null when there is none. */
  final @Nullable String formatVersion;

  private YamlText(boolean wellFormed, int documents, boolean explicitTags, @Nullable String expanded,
      @Nullable String formatVersion) {
    this.wellFormed = wellFormed;
    this.documents = documents;
    this.explicitTags = explicitTags;
    this.expanded = expanded;
    this.formatVersion = formatVersion;
  }

  static YamlText of(String text) {
    Yaml yaml = new Yaml(new LoaderOptions());
    int docs = 0;
    boolean tags = false;
    boolean aliases = false;
    try {
      for (Event e : yaml.parse(new StringReader(text))) {
        if (e instanceof DocumentStartEvent) {
          docs++;
        } else if (e instanceof AliasEvent) {
          aliases = true;
        } else if (e instanceof CollectionStartEvent c && c.getTag() != null) {
          tags = true;
        } else if (e instanceof ScalarEvent s) {
          tags |= s.getTag() != null;
          aliases |= s.getValue().equals("<<") && s.isPlain();
        }
      }
    } catch (RuntimeException e) {
      return new YamlText(false, docs, tags, null, null);
    }
    String expanded = null;
    String formatVersion = null;
    if (docs == 1) {
      try {
        Node root = yaml.compose(new StringReader(text));
        if (root instanceof MappingNode map) {
          for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("formatVersion")
                && t.getValueNode() instanceof ScalarNode v && v.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
              formatVersion = v.getValue();
            }
          }
        }
        StringBuilder out = new StringBuilder();
        if (aliases && !tags && root != null && emit(root, 0, out, new IdentityHashMap<>())) {
          expanded = out.substring(1); // the separator emit writes before a top-level value
        }
      } catch (RuntimeException e) {
        expanded = null; // e.g. SnakeYAML's own alias or nesting limits: no claim
      }
    }
    return new YamlText(true, docs, tags, expanded, formatVersion);
  }

  /**
   * Writes a node in block style as the value after {@code key:} or {@code -} (or at the top, after
   * nothing), its nested lines at an indentation; false when it cannot be written faithfully.
   */
  private static boolean emit(Node node, int indent, StringBuilder out, Map<Node, Boolean> path) {
    if (out.length() > MAX_EXPANDED_CHARS || path.put(node, Boolean.TRUE) != null) {
      return false; // too large, or a recursive alias
    }
    try {
      if (node instanceof ScalarNode s) {
        out.append(' ').append(scalar(s)).append('\n');
        return true;
      }
      if (node instanceof SequenceNode seq) {
        if (seq.getValue().isEmpty()) {
          out.append(" []\n");
          return true;
        }
        out.append('\n');
        for (Node item : seq.getValue()) {
          out.append(" ".repeat(indent)).append('-');
          if (!emit(item, indent + 2, out, path)) {
            return false;
          }
        }
        return true;
      }
      if (node instanceof MappingNode map) {
        List<NodeTuple> entries = merged(map);
        if (entries == null) {
          return false;
        }
        if (entries.isEmpty()) {
          out.append(" {}\n");
          return true;
        }
        out.append('\n');
        for (NodeTuple t : entries) {
          if (!(t.getKeyNode() instanceof ScalarNode key)) {
            return false; // a complex key
          }
          out.append(" ".repeat(indent)).append(scalar(key)).append(':');
          if (!emit(t.getValueNode(), indent + 2, out, path)) {
            return false;
          }
        }
        return true;
      }
      return false;
    } finally {
      path.remove(node);
    }
  }

  /** The entries of a mapping with YAML 1.1 merge keys applied: own keys first, merged keys added after. */
  private static @Nullable List<NodeTuple> merged(MappingNode map) {
    List<NodeTuple> own = new ArrayList<>();
    List<MappingNode> sources = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getTag().equals(Tag.MERGE)) {
        Node v = t.getValueNode();
        if (v instanceof MappingNode m) {
          sources.add(m);
        } else if (v instanceof SequenceNode s) {
          for (Node item : s.getValue()) {
            if (!(item instanceof MappingNode m)) {
              return null;
            }
            sources.add(m);
          }
        } else {
          return null;
        }
      } else {
        own.add(t);
      }
    }
    List<NodeTuple> out = new ArrayList<>(own);
    for (MappingNode source : sources) {
      List<NodeTuple> inner = merged(source);
      if (inner == null) {
        return null;
      }
      for (NodeTuple t : inner) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          return null;
        }
        boolean present = false;
        for (Iterator<NodeTuple> it = out.iterator(); it.hasNext() && !present; ) {
          present = it.next().getKeyNode() instanceof ScalarNode o && o.getValue().equals(k.getValue());
        }
        if (!present) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** A scalar as written: plain text as it was, anything quoted or literal as a double-quoted string. */
  private static String scalar(ScalarNode s) {
    if (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
      return s.getValue();
    }
    StringBuilder b = new StringBuilder("\"");
    s.getValue().codePoints().forEach(cp -> {
      if (cp == '"' || cp == '\\') {
        b.append('\\').appendCodePoint(cp);
      } else if (cp >= 0x20 && cp < 0x7F || cp >= 0xA0 && cp < 0xD800 || cp >= 0xE000 && cp < 0xFFFE
          && cp != 0xFEFF && cp != 0x2028 && cp != 0x2029) {
        b.appendCodePoint(cp);
      } else if (cp <= 0xFFFF) {
        b.append(String.format(Locale.ROOT, "\\u%04X", cp));
      } else {
        b.append(String.format(Locale.ROOT, "\\U%08X", cp));
      }
    });
    return b.append('"').toString();
  }
}
