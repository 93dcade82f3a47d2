package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.KeyValue;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.Timestamp;
import org.apache.arrow.flatbuf.Type;
import org.apache.arrow.flatbuf.Union;
import org.jspecify.annotations.Nullable;

/**
 * Checks a schema's flatbuffer before Arrow converts it ({@code Schema.convertSchema}), which trusts
 * every length in it: it allocates {@code new int[n]} for a union's declared type-id count and walks
 * children recursively. Every vector and string the conversion reads (fields, children, custom
 * metadata keys and values, names, a union's type ids, a timestamp's time zone, the features) must lie
 * inside the metadata bytes, and together they may take no more bytes than the metadata holds, as they
 * do when each is stored once: a crafted buffer whose entries all point at one long string would
 * otherwise decode it any number of times. The field tree may be no deeper than {@link #MAX_DEPTH}
 * levels and hold no more fields than its bytes could (Arrow converts fields recursively, so a crafted
 * cycle of children would otherwise never end).
 */
final class IpcSchemaCheck {
  /** Deepest field nesting accepted; mlops types nest two deep. */
  static final int MAX_DEPTH = 32;

  private final IpcBatchLayout.Place place;
  /** Bytes of the flatbuffer: every vector and string must lie inside them. */
  private final int bytes;
  /** What the vectors and strings checked so far leave of {@link #bytes}. */
  private long left;
  /** Fields the tree may still hold: each takes at least 4 bytes. */
  private long fieldsLeft;

  private IpcSchemaCheck(IpcBatchLayout.Place place, int bytes) {
    this.place = place;
    this.bytes = bytes;
    this.left = bytes;
    this.fieldsLeft = bytes / 4;
  }

  /**
   * Checks a schema read from a flatbuffer.
   *
   * @param s the schema, in a buffer that ends where the metadata ends
   * @param place where the schema is, for messages
   * @throws DataFormatException naming the field when a length does not fit the bytes
   */
  static void check(Schema s, IpcBatchLayout.Place place) {
    new IpcSchemaCheck(place, s.getByteBuffer().limit()).schema(s);
  }

  private record Node(Field field, String column, String path, int depth) {}

  private void schema(Schema s) {
    String at = "the schema";
    try {
      int fields = s.fieldsLength();
      vector(null, at, "fields", fields, 4, s::fields);
      metadata(null, at, s.customMetadataLength(), s::customMetadata);
      vector(null, at, "features", s.featuresLength(), 8, s::features);
      Deque<Node> todo = new ArrayDeque<>();
      for (int i = fields - 1; i >= 0; i--) {
        Field f = s.fields(i);
        String name = name(f, null, "field " + i + " of the schema");
        todo.push(new Node(f, name, shown(name), 1));
      }
      while (!todo.isEmpty()) {
        Node n = todo.pop();
        at = "field " + n.path();
        if (n.depth() > MAX_DEPTH || --fieldsLeft < 0) {
          throw place.error(n.column(), "declares fields nested deeper than " + MAX_DEPTH + " levels or more fields"
              + " than its " + bytes + " bytes hold. The data is corrupt");
        }
        Field f = n.field();
        type(f, n.column(), at);
        metadata(n.column(), at, f.customMetadataLength(), f::customMetadata);
        int children = f.childrenLength();
        vector(n.column(), at, "children", children, 4, f::children);
        for (int i = children - 1; i >= 0; i--) {
          Field c = f.children(i);
          String name = name(c, n.column(), "child " + i + " of " + at);
          todo.push(new Node(c, n.column(), n.path() + "/" + shown(name), n.depth() + 1));
        }
      }
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      // a table or offset outside the bytes, met while reading what the checks above read
      throw place.error(null, "holds an offset outside its " + bytes + " bytes of metadata, met reading " + at
          + " (" + e + "). The data is corrupt");
    }
  }

  /** The type's own vectors and strings: a union's type ids, a timestamp's time zone. */
  private void type(Field f, String column, String at) {
    byte type = f.typeType();
    if (type == Type.Union) {
      Union u = (Union) f.type(new Union());
      if (u != null) {
        vector(column, at, "union type ids", u.typeIdsLength(), 4, u::typeIds);
      }
    } else if (type == Type.Timestamp) {
      Timestamp t = (Timestamp) f.type(new Timestamp());
      if (t != null) {
        string(column, at, "time zone", t.timezoneAsByteBuffer());
      }
    }
  }

  /** Checks the key-value pairs of a custom metadata vector, each key and value a string. */
  private void metadata(@Nullable String column, String at, int n, IntFunction<KeyValue> entry) {
    vector(column, at, "custom metadata entries", n, 4, entry);
    for (int i = 0; i < n; i++) {
      KeyValue kv = entry.apply(i);
      string(column, at, "custom metadata key " + i, kv.keyAsByteBuffer());
      string(column, at, "custom metadata value " + i, kv.valueAsByteBuffer());
    }
  }

  /** An int-indexed accessor of a flatbuffer vector. */
  @FunctionalInterface
  private interface IntFunction<T> {
    T apply(int i);
  }

  /**
   * Checks a vector of {@code n} elements of {@code width} bytes against the bytes left, then reads its
   * last element, which fails when the vector runs past the end of the buffer. The first check keeps
   * {@code n * width} below the buffer size, so flatbuffers' int arithmetic cannot wrap round.
   */
  private void vector(@Nullable String column, String at, String what, int n, int width, IntFunction<?> element) {
    if (n < 0 || (long) n * width > left) {
      throw place.error(column, "declares " + Integer.toUnsignedString(n) + " " + what + " for " + at
          + ", more than its " + bytes + " bytes of metadata hold. The data is corrupt");
    }
    left -= (long) n * width;
    if (n > 0) {
      element.apply(n - 1);
    }
  }

  /** Checks a string whose bytes flatbuffers placed (and bounded by the buffer) in {@code b}. */
  private void string(@Nullable String column, String at, String what, @Nullable ByteBuffer b) {
    if (b != null) {
      int length = b.remaining();
      if (length > left) {
        throw place.error(column, "declares a " + what + " of " + length + " bytes for " + at + ", more than its "
            + bytes + " bytes of metadata hold with its other strings. The data is corrupt");
      }
      left -= length;
    }
  }

  /** A name as messages show it: quoted, and cut short when long. */
  private static String shown(String name) {
    return "'" + (name.length() <= 64 ? name : name.substring(0, 60) + "...") + "'";
  }

  /** A field's name, checked before it is decoded; {@code where} names the field when it has none. */
  private String name(Field f, @Nullable String column, String where) {
    ByteBuffer b = f.nameAsByteBuffer();
    string(column, where, "name", b);
    return b == null ? "" : f.name();
  }
}
