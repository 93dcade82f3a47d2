package dev.mlops.validation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.internal.Printable;
import dev.mlops.validation.DataContract;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Parses the text of a contract, JSON or YAML, into a {@link LocatedJson} root that knows the line of
 * every value by path ({@code columns[3].range.min}), so that errors found after parsing can still
 * point at the file line.
 *
 * <p>What a contract file may hold is narrower than what YAML and JSON allow, and everything else is
 * refused with its line rather than reinterpreted: one document (no second YAML document, nothing
 * after the JSON object), no YAML anchors, aliases, merge keys or tags (Jackson reads an alias as
 * its anchor's name and drops tags), no key twice in one object, and numbers a double or an int64
 * holds as written (no overflow to infinity, no underflow to 0). Texts longer than
 * {@link DataContract#MAX_TEXT_LENGTH} are refused before parsing.
 */
final class ContractParser {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ContractParser() {}

  /**
   * Loader options of every YAML read: SnakeYAML's code-point limit is the contract limit, so the
   * length check before parsing is the one that speaks.
   *
   * @return fresh options
   */
  static LoaderOptions loaderOptions() {
    return loaderOptions(DataContract.MAX_TEXT_LENGTH);
  }

  private static LoaderOptions loaderOptions(int maxLength) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(maxLength);
    return options;
  }

  /**
   * Parses one contract document.
   *
   * @param factory the JSON or YAML factory
   * @param text the file content
   * @param source the file name, for messages
   * @return the root, with the line of every value
   * @throws DataFormatException naming source and line when the text is not one valid document
   */
  static LocatedJson parse(JsonFactory factory, String text, String source) {
    return parse(factory, text, source, LocatedDocuments.CONTRACT);
  }

  /**
   * Parses one document of a kind (a contract, a promotion policy) under that kind's rules.
   *
   * @param factory the JSON or YAML factory
   * @param text the file content
   * @param source the file name, for messages
   * @param kind what the document is
   * @return the root, with the line of every value
   * @throws DataFormatException naming source and line when the text is not one valid document
   */
  static LocatedJson parse(JsonFactory factory, String text, String source, LocatedDocuments.Kind kind) {
    if (text.length() > kind.maxLength()) {
      throw tooLong(text.length() + " characters", source, kind);
    }
    boolean yaml = factory instanceof YAMLFactory;
    if (yaml) {
      refuseWhatYamlWouldReinterpret(text, source, kind);
    }
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = factory.createParser(text)) {
      try {
        if (p.nextToken() == null) {
          throw new DataFormatException("the " + kind.noun() + " file is empty; expected " + kind.expected(),
              source, -1, null);
        }
        JsonNode root = read(p, yaml, "", lines, source, kind);
        // YAML's and JSON's escapes can spell a lone surrogate, which no YAML or JSON writer round-trips
        Json.requireUnicode(root, source);
        JsonToken extra = p.nextToken();
        if (extra != null) {
          throw new DataFormatException("content after the " + kind.noun() + (root.isObject() ? "'s closing '}'"
              : "") + "; a " + kind.noun() + " file holds one JSON object: remove what follows", source,
              p.currentTokenLocation().getLineNr(), null);
        }
        return LocatedJson.root(root, source, ContractWording.INSTANCE, path -> lines.getOrDefault(path, -1));
      } catch (JsonProcessingException e) {
        JsonLocation loc = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        throw new DataFormatException(Printable.of("not valid " + factory.getFormatName() + ": "
            + e.getOriginalMessage() + " (column " + loc.getColumnNr() + "); fix the syntax"),
            source, loc.getLineNr(), null, e);
      }
    } catch (IOException e) {
      throw new DataFormatException(Printable.of("cannot read the " + kind.noun() + " text: " + e.getMessage()),
          source, -1, null, e);
    }
  }

  /**
   * The refusal of a contract longer than {@link DataContract#MAX_TEXT_LENGTH}.
   *
   * @param size the size with its unit, e.g. {@code 3145729 characters}
   * @param source the file name, for the message
   * @return the exception
   */
  static DataFormatException tooLong(String size, String source) {
    return tooLong(size, source, LocatedDocuments.CONTRACT);
  }

  static DataFormatException tooLong(String size, String source, LocatedDocuments.Kind kind) {
    return new DataFormatException("the " + kind.noun() + " is " + size + " long, over the limit of "
        + kind.maxLength() + " (" + kind.limitName() + "); " + kind.shrinkHint(), source, -1, null);
  }

  private static String noReferences(LocatedDocuments.Kind kind) {
    return " is not supported: " + kind.noun() + " files hold no anchors, aliases or merge keys; write the value out"
        + " in full";
  }

  /**
   * Reads the YAML event stream once before Jackson does: Jackson hands an alias over as the string
   * of its anchor's name, drops tags and reads only the first document, and misses a tag or anchor on
   * the first key of a mapping. Events carry exact lines.
   */
  private static void refuseWhatYamlWouldReinterpret(String text, String source, LocatedDocuments.Kind kind) {
    int documents = 0;
    try {
      for (Event e : new Yaml(loaderOptions(kind.maxLength())).parse(new StringReader(text))) {
        int line = line(e.getStartMark());
        if (e instanceof DocumentStartEvent && ++documents > 1) {
          throw new DataFormatException("a second YAML document starts here; a " + kind.noun() + " file holds one"
              + " document: remove it or give it a file of its own", source, line, null);
        }
        if (e instanceof AliasEvent a) {
          throw new DataFormatException(Printable.of("YAML alias '*" + a.getAnchor() + "'" + noReferences(kind)),
              source, line, null);
        }
        if (e instanceof NodeEvent n && n.getAnchor() != null) {
          throw new DataFormatException(Printable.of("YAML anchor '&" + n.getAnchor() + "'" + noReferences(kind)),
              source, line, null);
        }
        String tag = e instanceof ScalarEvent s ? s.getTag()
            : e instanceof CollectionStartEvent c ? c.getTag() : null;
        if (tag != null) {
          String shown = tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
          throw new DataFormatException(Printable.of("YAML tag '" + shown + "' is not supported: " + kind.noun()
              + " files hold plain strings, numbers, booleans, lists and maps; remove the tag"), source, line, null);
        }
      }
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String context = e.getContext() == null ? "" : e.getContext() + (e.getContextMark() == null ? "" : " (line "
          + line(e.getContextMark()) + ", column " + (e.getContextMark().getColumn() + 1) + ")") + ": ";
      throw new DataFormatException(Printable.of("not valid YAML: " + context + e.getProblem()
          + (at == null ? "" : " (column " + (at.getColumn() + 1) + ")") + "; fix the syntax"), source, line(at), null,
          e);
    } catch (YAMLException e) {
      throw new DataFormatException(Printable.of("not valid YAML: " + e.getMessage() + "; fix the syntax"), source, -1,
          null, e);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      // SnakeYAML's scanner reads the hex digits of a quoted scalar's x, u and U escapes without checking them
      throw new DataFormatException(Printable.of("not valid YAML: a quoted string holds a malformed escape ("
          + e.getMessage() + "); write \\xHH, \\uHHHH or \\UHHHHHHHH with hex digits, or use single quotes"),
          source, -1, null, e);
    }
  }

  private static int line(@Nullable Mark m) {
    return m == null ? -1 : m.getLine() + 1;
  }

  private static JsonNode read(JsonParser p, boolean yaml, String path, Map<String, Integer> lines, String source,
      LocatedDocuments.Kind kind) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    lines.put(path, line);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = ContractWording.INSTANCE.member(path, name);
          int keyLine = p.currentTokenLocation().getLineNr();
          if (o.has(name)) {
            throw new DataFormatException(Printable.of(child + ": key '" + name + "' appears twice in one object;"
                + " keep one"), source, keyLine, null);
          }
          if (yaml && name.equals("<<")) {
            throw new DataFormatException(Printable.of(child + ": YAML merge key '<<'" + noReferences(kind)), source,
                keyLine, null);
          }
          p.nextToken();
          o.set(name, read(p, yaml, child, lines, source, kind));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, yaml, path + "[" + i + "]", lines, source, kind));
          i++;
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(decimal(p, path, line, source));
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new DataFormatException((path.isEmpty() ? "document" : path) + ": unexpected " + t
            + "; " + kind.noun() + " files hold objects, arrays, strings, numbers and booleans only", source, line,
            null);
    }
  }

  /**
   * A decimal as written: YAML's {@code .nan} and {@code .inf} as NaN and infinity (the constraint then
   * says whether it takes them), anything else exactly as {@link Double#parseDouble} reads it, but
   * never a finite literal that overflows to infinity or underflows to 0.
   */
  private static double decimal(JsonParser p, String path, int line, String source) throws IOException {
    String text = p.getText().trim();
    String magnitude = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    if (magnitude.equalsIgnoreCase(".nan")) {
      return Double.NaN;
    }
    if (magnitude.equalsIgnoreCase(".inf")) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    double d = p.getDoubleValue();
    if (Double.isInfinite(d)) {
      throw new DataFormatException(Printable.of(path + ": number " + text + " is beyond the range of a double"
          + " (about 1.8e308); give a smaller bound or omit it"), source, line, null);
    }
    if (d == 0 && mantissaIsNonZero(magnitude)) {
      throw new DataFormatException(Printable.of(path + ": number " + text + " is too small for a double (it would"
          + " read as 0); write 0 or a number above about 4.9e-324"), source, line, null);
    }
    return d;
  }

  private static boolean mantissaIsNonZero(String decimal) {
    for (int i = 0; i < decimal.length(); i++) {
      char c = decimal.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }
}
