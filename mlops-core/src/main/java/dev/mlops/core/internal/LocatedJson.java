package dev.mlops.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mlops.core.DataFormatException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value of a parsed JSON or YAML document together with its path from the root
 * ({@code columns[3].range.min}) and, where the parser recorded it, its line: the one reader behind
 * the manifest, signature and contract codecs. Every getter that refuses a value throws a
 * {@link DataFormatException} carrying the source and line and naming the path, so a person finds
 * the bad value at once.
 *
 * <p>What differs between formats is only how they say it, given by a {@link Wording}: the path
 * syntax, the prefix of a message, and the phrases for a missing member, a value of the wrong kind
 * and an unknown member. Lines come from {@link Lines}, which a streaming parser fills and a plain
 * tree leaves at {@link Lines#NONE}; a value the parser did not record (an absent member an error
 * is about) has the line of its nearest enclosing value.
 *
 * <p>Conventions: JSON {@code null} reads as absent, so {@code opt...} getters return null for it
 * and required getters report it missing; the {@code as...} methods read this value itself; the
 * keyed getters read a member of this object. A cursor is immutable; the document is not copied.
 */
public final class LocatedJson {
  private final JsonNode node;
  private final String path;
  private final @Nullable LocatedJson parent;
  private final Document document;

  private LocatedJson(JsonNode node, String path, @Nullable LocatedJson parent, Document document) {
    this.node = node;
    this.path = path;
    this.parent = parent;
    this.document = document;
  }

  /**
   * The root of a document whose lines are not known.
   *
   * @param node the parsed tree
   * @param source the file name or other source, for messages
   * @param wording how the format words its errors
   * @return the root, at the empty path
   */
  public static LocatedJson root(JsonNode node, String source, Wording wording) {
    return root(node, source, wording, Lines.NONE);
  }

  /**
   * The root of a document whose parser recorded the line of each value by path.
   *
   * @param node the parsed tree
   * @param source the file name or other source, for messages
   * @param wording how the format words its errors, and the path syntax {@code lines} is keyed by
   * @param lines the line of each recorded path
   * @return the root, at the empty path
   */
  public static LocatedJson root(JsonNode node, String source, Wording wording, Lines lines) {
    return new LocatedJson(node, "", null, new Document(source, wording, lines));
  }

  // ------------------------------------------------------------------------------------ location

  /**
   * The value.
   *
   * @return the tree node; a {@link MissingNode} for a cursor from {@link #at} on an absent member
   */
  public JsonNode node() {
    return node;
  }

  /**
   * The path from the root, in the wording's syntax.
   *
   * @return the path; empty for the root
   */
  public String path() {
    return path;
  }

  /**
   * The source named in errors.
   *
   * @return the file name or other source
   */
  public String source() {
    return document.source;
  }

  /**
   * The line of this value, or of the nearest enclosing value the parser recorded.
   *
   * @return the 1-based line, or -1 when unknown
   */
  public long line() {
    for (LocatedJson at = this; at != null; at = at.parent) {
      long line = document.lines.line(at.path);
      if (line >= 0) {
        return line;
      }
    }
    return -1;
  }

  /**
   * An error about this value: the message prefixed by the path as the wording says, at this line.
   *
   * @param message what is wrong and what to do
   * @return the exception, for the caller to throw
   */
  public DataFormatException error(String message) {
    return new DataFormatException(document.wording.message(path, message), document.source, line(), null);
  }

  /**
   * An error about this value, with its cause.
   *
   * @param message what is wrong and what to do
   * @param cause the underlying failure
   * @return the exception, for the caller to throw
   */
  public DataFormatException error(String message, Throwable cause) {
    return new DataFormatException(document.wording.message(path, message), document.source, line(), null, cause);
  }

  /**
   * Runs a constructor or factory, turning its {@link IllegalArgumentException} into an error about
   * this value.
   *
   * @param <T> what it makes
   * @param factory the constructor call
   * @return what it made
   * @throws DataFormatException with the exception's message at this path
   */
  public <T> T build(Supplier<T> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException e) {
      throw error(String.valueOf(e.getMessage()), e);
    }
  }

  // --------------------------------------------------------------------------------- navigation

  /**
   * A member of this object, present or not: for an error about a member that may be absent.
   *
   * @param key the member name
   * @return the member, or a {@link MissingNode} at its path
   */
  public LocatedJson at(String key) {
    JsonNode child = node.get(key);
    return new LocatedJson(child == null ? MissingNode.getInstance() : child,
        document.wording.member(path, key), this, document);
  }

  /**
   * A member of this object.
   *
   * @param key the member name
   * @return the member, or null when it is absent or JSON null (or this is not an object)
   */
  public @Nullable LocatedJson opt(String key) {
    JsonNode child = node.get(key);
    return child == null || child.isNull() ? null : at(key);
  }

  /**
   * A member this object must have.
   *
   * @param key the member name
   * @return the member
   * @throws DataFormatException at the member's path when it is absent or JSON null
   */
  public LocatedJson req(String key) {
    LocatedJson child = opt(key);
    if (child == null) {
      throw at(key).error(document.wording.missing(key));
    }
    return child;
  }

  /**
   * The elements of this array, in order.
   *
   * @return the elements, at paths {@code path[i]}
   * @throws DataFormatException when this is not an array
   */
  public List<LocatedJson> elements() {
    want(Want.ARRAY, node.isArray());
    List<LocatedJson> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(new LocatedJson(node.get(i), path + "[" + i + "]", this, document));
    }
    return out;
  }

  /**
   * The members of this object in document order, JSON null values included.
   *
   * @return the members by name
   * @throws DataFormatException when this is not an object
   */
  public Map<String, LocatedJson> members() {
    want(Want.OBJECT, node.isObject());
    Map<String, LocatedJson> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), new LocatedJson(e.getValue(), document.wording.member(path, e.getKey()), this, document));
    }
    return out;
  }

  /**
   * Rejects members other than the given ones, so that typos and additions do not pass unnoticed.
   *
   * @param what what a member is called in the message, e.g. {@code range property}
   * @param allowed the member names this object may have
   * @return this
   * @throws DataFormatException at the first unknown member's path, or when this is not an object
   */
  public LocatedJson only(String what, Collection<String> allowed) {
    want(Want.MEMBERS, node.isObject());
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      if (!allowed.contains(key)) {
        throw at(key).error(document.wording.unknown(key, new TreeSet<>(allowed), what));
      }
    }
    return this;
  }

  /**
   * Rejects members other than the given ones.
   *
   * @param what what a member is called in the message
   * @param allowed the member names this object may have
   * @return this
   * @throws DataFormatException at the first unknown member's path, or when this is not an object
   */
  public LocatedJson only(String what, String... allowed) {
    return only(what, Set.of(allowed));
  }

  // ------------------------------------------------------------------------------ this value as

  /**
   * This value as an object.
   *
   * @return this
   * @throws DataFormatException when it is not an object
   */
  public LocatedJson asObject() {
    want(Want.OBJECT, node.isObject());
    return this;
  }

  /**
   * This value as an object, JSON null read as an empty one (a YAML {@code not_null:} with nothing
   * after it means "all defaults").
   *
   * @return this, or an empty object at this path
   * @throws DataFormatException when it is neither an object nor null
   */
  public LocatedJson asObjectOrEmpty() {
    if (node.isNull()) {
      return new LocatedJson(JsonNodeFactory.instance.objectNode(), path, parent, document);
    }
    return asObject();
  }

  /**
   * This value as a string.
   *
   * @return the text
   * @throws DataFormatException when it is not a string
   */
  public String asString() {
    want(Want.STRING, node.isTextual());
    return node.textValue();
  }

  /**
   * This value as a double.
   *
   * @return the number
   * @throws DataFormatException when it is not a number
   */
  public double asNumber() {
    want(Want.NUMBER, node.isNumber());
    return node.doubleValue();
  }

  /**
   * This value as a 64-bit whole number.
   *
   * @return the number
   * @throws DataFormatException when it is not a whole number an int64 holds
   */
  public long asWholeNumber() {
    want(Want.WHOLE_NUMBER, node.isIntegralNumber() && node.canConvertToLong());
    return node.longValue();
  }

  /**
   * This value as a 32-bit whole number.
   *
   * @return the number
   * @throws DataFormatException when it is not a whole number an int holds
   */
  public int asInt() {
    want(Want.INT, node.isIntegralNumber() && node.canConvertToInt());
    return node.intValue();
  }

  /**
   * This value as a boolean.
   *
   * @return the boolean
   * @throws DataFormatException when it is not {@code true} or {@code false}
   */
  public boolean asBoolean() {
    want(Want.BOOLEAN, node.isBoolean());
    return node.booleanValue();
  }

  // --------------------------------------------------------------------------------- members as

  /**
   * A required object member.
   *
   * @param key the member name
   * @return the member
   * @throws DataFormatException when it is missing or not an object
   */
  public LocatedJson object(String key) {
    return req(key).asObject();
  }

  /**
   * A required string member.
   *
   * @param key the member name
   * @return the text
   * @throws DataFormatException when it is missing or not a string
   */
  public String string(String key) {
    return req(key).asString();
  }

  /**
   * A required string member, converted by a parser or validator that throws
   * {@link IllegalArgumentException}.
   *
   * @param <T> the converted type
   * @param key the member name
   * @param convert the conversion
   * @return the converted value
   * @throws DataFormatException when it is missing, not a string, or refused, at the member's path
   */
  public <T> T string(String key, Function<String, T> convert) {
    LocatedJson child = req(key);
    String text = child.asString();
    return child.build(() -> convert.apply(text));
  }

  /**
   * An optional string member.
   *
   * @param key the member name
   * @return the text, or null when absent or JSON null
   * @throws DataFormatException when it is not a string
   */
  public @Nullable String optString(String key) {
    return optional(key, LocatedJson::asString);
  }

  /**
   * A required number member.
   *
   * @param key the member name
   * @return the number
   * @throws DataFormatException when it is missing or not a number
   */
  public double number(String key) {
    return req(key).asNumber();
  }

  /**
   * An optional number member.
   *
   * @param key the member name
   * @return the number, or null when absent or JSON null
   * @throws DataFormatException when it is not a number
   */
  public @Nullable Double optNumber(String key) {
    return optional(key, LocatedJson::asNumber);
  }

  /**
   * A required 64-bit whole number member.
   *
   * @param key the member name
   * @return the number
   * @throws DataFormatException when it is missing or not a whole number an int64 holds
   */
  public long wholeNumber(String key) {
    return req(key).asWholeNumber();
  }

  /**
   * An optional 64-bit whole number member.
   *
   * @param key the member name
   * @return the number, or null when absent or JSON null
   * @throws DataFormatException when it is not a whole number an int64 holds
   */
  public @Nullable Long optWholeNumber(String key) {
    return optional(key, LocatedJson::asWholeNumber);
  }

  /**
   * A required 32-bit whole number member.
   *
   * @param key the member name
   * @return the number
   * @throws DataFormatException when it is missing or not a whole number an int holds
   */
  public int intValue(String key) {
    return req(key).asInt();
  }

  /**
   * An optional 32-bit whole number member.
   *
   * @param key the member name
   * @return the number, or null when absent or JSON null
   * @throws DataFormatException when it is not a whole number an int holds
   */
  public @Nullable Integer optInt(String key) {
    return optional(key, LocatedJson::asInt);
  }

  /**
   * A required boolean member.
   *
   * @param key the member name
   * @return the boolean
   * @throws DataFormatException when it is missing or not a boolean
   */
  public boolean bool(String key) {
    return req(key).asBoolean();
  }

  /**
   * An optional boolean member.
   *
   * @param key the member name
   * @param absent the value when it is absent or JSON null
   * @return the boolean
   * @throws DataFormatException when it is not a boolean
   */
  public boolean bool(String key, boolean absent) {
    Boolean value = optional(key, LocatedJson::asBoolean);
    return value == null ? absent : value;
  }

  /**
   * The elements of an optional array member.
   *
   * @param key the member name
   * @return the elements; empty when the member is absent or JSON null
   * @throws DataFormatException when it is not an array
   */
  public List<LocatedJson> elements(String key) {
    List<LocatedJson> elements = optional(key, LocatedJson::elements);
    return elements == null ? List.of() : elements;
  }

  /**
   * The members of an optional object member, in document order.
   *
   * @param key the member name
   * @return the members; empty when the member is absent or JSON null
   * @throws DataFormatException when it is not an object
   */
  public Map<String, LocatedJson> members(String key) {
    Map<String, LocatedJson> members = optional(key, LocatedJson::members);
    return members == null ? Map.of() : members;
  }

  private <T> @Nullable T optional(String key, Function<LocatedJson, T> read) {
    LocatedJson child = opt(key);
    return child == null ? null : read.apply(child);
  }

  private void want(Want want, boolean holds) {
    if (!holds) {
      throw error(document.wording.mismatch(want, node));
    }
  }

  // ----------------------------------------------------------------------------------- plug-ins

  /** What a getter wanted when it refused a value: the wording says it in the format's words. */
  public enum Want {
    /** A string ({@link #asString}). */
    STRING("a string"),
    /** Any number ({@link #asNumber}). */
    NUMBER("a number"),
    /** A whole number an int64 holds ({@link #asWholeNumber}). */
    WHOLE_NUMBER("a whole number"),
    /** A whole number an int holds ({@link #asInt}). */
    INT("a 32-bit whole number"),
    /** {@code true} or {@code false} ({@link #asBoolean}). */
    BOOLEAN("true or false"),
    /** An array ({@link #elements()}). */
    ARRAY("an array"),
    /** An object ({@link #asObject}, {@link #members()}). */
    OBJECT("an object"),
    /** An object whose members {@link #only} checks. */
    MEMBERS("an object");

    private final String phrase;

    Want(String phrase) {
      this.phrase = phrase;
    }

    /**
     * The wanted kind in a few words, to follow "expected".
     *
     * @return e.g. {@code a whole number}
     */
    public String phrase() {
      return phrase;
    }
  }

  /**
   * How a format words its read errors. Implementations are stateless and shared.
   */
  public interface Wording {
    /**
     * The path of a member.
     *
     * @param parent the path of the object; empty for the root
     * @param key the member name
     * @return the member's path
     */
    String member(String parent, String key);

    /**
     * The message of an error about a value.
     *
     * @param path the value's path; empty for the root
     * @param text what is wrong and what to do
     * @return the message, without source and line (the exception adds them)
     */
    String message(String path, String text);

    /**
     * The text of a required member's absence, said at the member's path.
     *
     * @param key the member name
     * @return the text
     */
    String missing(String key);

    /**
     * The text of a value of the wrong kind.
     *
     * @param want what the getter wanted
     * @param actual the value it got
     * @return the text
     */
    String mismatch(Want want, JsonNode actual);

    /**
     * The text of an unknown member, said at the member's path.
     *
     * @param key the member name
     * @param allowed the allowed names, sorted
     * @param what what a member is called, e.g. {@code range property}
     * @return the text
     */
    String unknown(String key, SortedSet<String> allowed, String what);
  }

  /** Where each value of a document starts, by path. */
  @FunctionalInterface
  public interface Lines {
    /** No lines known: every error has line -1. */
    Lines NONE = path -> -1;

    /**
     * The line of a recorded value.
     *
     * @param path the value's path, in the wording's syntax
     * @return the 1-based line, or -1 when the path was not recorded
     */
    long line(String path);
  }

  private record Document(String source, Wording wording, Lines lines) {}
}
