package io.kemu.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON patch (RFC 6902, {@code application/json-patch+json}) exactly as kube-apiserver 1.32 applies it, i.e.
 * with {@code gopkg.in/evanphx/json-patch.v4} v4.12.0 and the handler's error mapping
 * (apiserver/pkg/endpoints/handlers/patch.go):
 *
 * <ul>
 *   <li>a body that is not an array of objects: 400 with Go's decoding message; more than 10000 operations: 413;
 *   <li>any operation that fails (failing {@code test}, missing path, bad index...): 422 with the generic
 *       message "the server rejected our request due to an error in our request" (the library's own text is
 *       kept in {@link PatchException#detail()});
 *   <li>where the library panics (e.g. {@code test} without {@code value} on a missing key): 500.
 * </ul>
 *
 * <p>Library behaviour that differs from the RFC and is reproduced on purpose:
 *
 * <ul>
 *   <li>{@code replace} of a missing object member adds it (only array indexes are checked);
 *   <li>negative array indexes count from the end ({@code SupportNegativeIndices}); for {@code add}, -1 means
 *       "append";
 *   <li>{@code add}/{@code remove}/... on the root path {@code ""} fail; {@code replace} with path {@code ""}
 *       replaces the whole document when the value is an object or array and silently does nothing otherwise;
 *   <li>a path that does not start with "/" has its first segment ignored ("a/b" addresses "/b");
 *   <li>{@code copy} from a missing object member copies {@code null};
 *   <li>{@code test} treats a missing member and a null one alike, and compares numbers by their JSON text
 *       (1 is not 1.0);
 *   <li>the accumulated size of {@code copy} values is limited to 3 MiB (JSONPatchMaxCopyBytes).
 * </ul>
 */
public final class JsonPatch {
  private JsonPatch() {}

  /** handlers.maxJSONPatchOperations. */
  public static final int MAX_OPERATIONS = 10000;
  /** The API server's JSONPatchMaxCopyBytes default, installed as jsonpatch.AccumulatedCopySizeLimit. */
  public static final long MAX_COPY_BYTES = 3L * 1024 * 1024;

  private static final ObjectMapper COMPACT = new ObjectMapper();

  /** An operation failed: the text is what the library's error would print. */
  private static final class OpError extends Exception {
    OpError(String message) {
      super(message, null, false, false);
    }
  }

  /** Where the Go code dereferences a nil pointer. */
  private static final class NilDeref extends Exception {
    NilDeref() {
      super("runtime error: invalid memory address or nil pointer dereference", null, false, false);
    }
  }

  /**
   * Applies the operations of {@code patch} (a JSON array) to {@code original}; neither is modified.
   *
   * @throws PatchException 400 for a patch that does not decode as a list of operations, 413 for too many
   *     operations, 422 when an operation fails, 500 where the library would panic
   */
  public static JsonNode apply(JsonNode original, JsonNode patch) {
    List<JsonNode> ops = decode(patch);
    if (ops.size() > MAX_OPERATIONS) {
      throw PatchException.tooLarge("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
          + ", got " + ops.size());
    }
    JsonNode[] doc = {original == null ? JsonNodeFactory.instance.objectNode() : original.deepCopy()};
    long[] copied = {0};
    for (JsonNode op : ops) {
      try {
        String kind = kind(op);
        switch (kind) {
          case "add" -> add(doc, op);
          case "remove" -> remove(doc, op);
          case "replace" -> replace(doc, op);
          case "move" -> move(doc, op);
          case "test" -> test(doc, op);
          case "copy" -> copy(doc, op, copied);
          default -> throw new OpError("Unexpected kind: " + kind);
        }
      } catch (OpError e) {
        throw PatchException.unprocessable(e.getMessage());
      } catch (NilDeref e) {
        throw PatchException.panic(e.getMessage());
      }
    }
    return doc[0];
  }

  // ---------------------------------------------------------------- decoding (jsonpatch.DecodePatch)

  private static List<JsonNode> decode(JsonNode patch) {
    List<JsonNode> ops = new ArrayList<>();
    if (patch == null || patch.isNull() || patch.isMissingNode()) {
      return ops; // json.Unmarshal("null") leaves the Patch nil: nothing to do
    }
    if (!patch.isArray()) {
      throw PatchException.badRequest("json: cannot unmarshal " + jsonType(patch)
          + " into Go value of type jsonpatch.Patch");
    }
    for (JsonNode op : patch) {
      if (!op.isObject() && !op.isNull()) {
        throw PatchException.badRequest("json: cannot unmarshal " + jsonType(op)
            + " into Go value of type jsonpatch.Operation");
      }
      ops.add(op);
    }
    return ops;
  }

  private static String jsonType(JsonNode n) {
    if (n.isObject()) {
      return "object";
    }
    if (n.isArray()) {
      return "array";
    }
    if (n.isTextual()) {
      return "string";
    }
    if (n.isBoolean()) {
      return "bool";
    }
    return "number";
  }

  private static String kind(JsonNode op) {
    JsonNode k = op.get("op");
    return k != null && k.isTextual() ? k.textValue() : "unknown";
  }

  /** Operation.Path/From: the string, or the error the library returns. */
  private static String field(JsonNode op, String name, String missing) throws OpError {
    JsonNode v = op.get(name);
    if (v == null || v.isNull()) {
      throw new OpError(missing + ": missing value");
    }
    if (!v.isTextual()) {
      throw new OpError("json: cannot unmarshal " + jsonType(v) + " into Go value of type string");
    }
    return v.textValue();
  }

  private static String path(JsonNode op) throws OpError {
    return field(op, "path", "operation missing path field");
  }

  private static String from(JsonNode op) throws OpError {
    return field(op, "from", "operation, missing from field");
  }

  /** Operation.value(): absent is Java null, JSON null is a NullNode. */
  private static JsonNode value(JsonNode op) {
    JsonNode v = op.get("value");
    return v == null ? null : v.deepCopy();
  }

  // ---------------------------------------------------------------- operations

  private static void add(JsonNode[] doc, JsonNode op) throws OpError {
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("add operation failed to decode path: missing value");
    }
    Found f = findObject(doc[0], path);
    if (f == null) {
      throw new OpError("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }
    try {
      containerAdd(f.container, f.key, value(op));
    } catch (OpError e) {
      throw new OpError("error in add for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void remove(JsonNode[] doc, JsonNode op) throws OpError {
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("remove operation failed to decode path: missing value");
    }
    Found f = findObject(doc[0], path);
    if (f == null) {
      throw new OpError("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }
    try {
      containerRemove(f.container, f.key);
    } catch (OpError e) {
      throw new OpError("error in remove for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void replace(JsonNode[] doc, JsonNode op) throws OpError, NilDeref {
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("replace operation failed to decode path: " + e.getMessage());
    }
    if (path.isEmpty()) {
      JsonNode val = value(op);
      if (val == null) {
        throw new NilDeref();
      }
      if (val.isObject() || val.isArray()) {
        doc[0] = val;
      }
      // errors.Wrapf(nil, ...) is nil: a scalar value is silently ignored
      return;
    }
    Found f = findObject(doc[0], path);
    if (f == null) {
      throw new OpError("replace operation does not apply: doc is missing path: " + path + ": missing value");
    }
    try {
      containerGet(f.container, f.key);
    } catch (OpError e) {
      throw new OpError("replace operation does not apply: doc is missing key: " + path + ": missing value");
    }
    try {
      containerSet(f.container, f.key, value(op));
    } catch (OpError e) {
      throw new OpError("error in remove for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void move(JsonNode[] doc, JsonNode op) throws OpError {
    String from;
    try {
      from = from(op);
    } catch (OpError e) {
      throw new OpError("move operation failed to decode from: " + e.getMessage());
    }
    Found f = findObject(doc[0], from);
    if (f == null) {
      throw new OpError("move operation does not apply: doc is missing from path: " + from + ": missing value");
    }
    JsonNode val;
    try {
      val = containerGet(f.container, f.key);
      containerRemove(f.container, f.key);
    } catch (OpError e) {
      throw new OpError("error in move for path: '" + f.key + "': " + e.getMessage());
    }
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("move operation failed to decode path: " + e.getMessage());
    }
    Found t = findObject(doc[0], path);
    if (t == null) {
      throw new OpError("move operation does not apply: doc is missing destination path: " + path
          + ": missing value");
    }
    try {
      containerAdd(t.container, t.key, val);
    } catch (OpError e) {
      throw new OpError("error in move for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void test(JsonNode[] doc, JsonNode op) throws OpError, NilDeref {
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("test operation failed to decode path: " + e.getMessage());
    }
    JsonNode expected = value(op);
    if (path.isEmpty()) {
      if (expected == null) {
        throw new NilDeref();
      }
      if (equal(doc[0], expected)) {
        return;
      }
      throw new OpError("testing value " + path + " failed: test failed");
    }
    Found f = findObject(doc[0], path);
    if (f == null) {
      throw new OpError("test operation does not apply: is missing path: " + path + ": missing value");
    }
    JsonNode val;
    try {
      val = containerGet(f.container, f.key);
    } catch (OpError e) {
      throw new OpError("error in test for path: '" + path + "': " + e.getMessage());
    }
    if (val == null || val.isNull()) {
      if (expected == null) {
        throw new NilDeref(); // op.value().raw on a nil *lazyNode
      }
      if (expected.isNull()) {
        return;
      }
      throw new OpError("testing value " + path + " failed: test failed");
    }
    if (expected == null || !equal(val, expected)) {
      throw new OpError("testing value " + path + " failed: test failed");
    }
  }

  private static void copy(JsonNode[] doc, JsonNode op, long[] copied) throws OpError {
    String from;
    try {
      from = from(op);
    } catch (OpError e) {
      throw new OpError("copy operation failed to decode from: " + e.getMessage());
    }
    Found f = findObject(doc[0], from);
    if (f == null) {
      throw new OpError("copy operation does not apply: doc is missing from path: " + from + ": missing value");
    }
    JsonNode val;
    try {
      val = containerGet(f.container, f.key);
    } catch (OpError e) {
      throw new OpError("error in copy for from: '" + from + "': " + e.getMessage());
    }
    String path;
    try {
      path = path(op);
    } catch (OpError e) {
      throw new OpError("copy operation failed to decode path: missing value");
    }
    Found t = findObject(doc[0], path);
    if (t == null) {
      throw new OpError("copy operation does not apply: doc is missing destination path: " + path
          + ": missing value");
    }
    JsonNode valCopy = val == null || val.isNull() ? null : val.deepCopy(); // a nil *lazyNode: nothing to count
    if (valCopy != null) {
      copied[0] += size(valCopy);
      if (copied[0] > MAX_COPY_BYTES) {
        throw new OpError("Unable to complete the copy, the accumulated size increase of copy is " + copied[0]
            + ", exceeding the limit " + MAX_COPY_BYTES);
      }
    }
    try {
      containerAdd(t.container, t.key, valCopy);
    } catch (OpError e) {
      throw new OpError("error while adding value during copy: " + e.getMessage());
    }
  }

  private static long size(JsonNode n) {
    try {
      return COMPACT.writeValueAsBytes(n).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- containers (partialDoc / partialArray)

  private record Found(JsonNode container, String key) {}

  /** findObject: the container of the last path segment, or null when the path does not lead anywhere. */
  private static Found findObject(JsonNode doc, String path) {
    List<String> split = goSplit(path);
    if (split.size() < 2) {
      return null;
    }
    JsonNode cur = doc;
    for (String part : split.subList(1, split.size() - 1)) {
      JsonNode next;
      try {
        next = containerGet(cur, decodeKey(part));
      } catch (OpError e) {
        return null;
      }
      if (next == null || !(next.isObject() || next.isArray())) {
        return null; // missing, null, or a scalar that does not decode as a container
      }
      cur = next;
    }
    return new Found(cur, decodeKey(split.get(split.size() - 1)));
  }

  private static List<String> goSplit(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '/') {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** RFC 6901 unescaping in one left-to-right pass ("~01" is "~1"). */
  static String decodeKey(String k) {
    if (k.indexOf('~') < 0) {
      return k;
    }
    StringBuilder sb = new StringBuilder(k.length());
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (c == '~' && i + 1 < k.length() && (k.charAt(i + 1) == '0' || k.charAt(i + 1) == '1')) {
        sb.append(k.charAt(i + 1) == '1' ? '/' : '~');
        i++;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static JsonNode containerGet(JsonNode c, String key) throws OpError {
    if (c instanceof ObjectNode o) {
      return o.get(key);
    }
    ArrayNode a = (ArrayNode) c;
    long idx = atoi(key);
    if (idx < 0) {
      if (idx < -a.size()) {
        throw invalidIndex(idx);
      }
      idx += a.size();
    }
    if (idx >= a.size()) {
      throw invalidIndex(idx);
    }
    return a.get((int) idx);
  }

  private static void containerSet(JsonNode c, String key, JsonNode val) throws OpError {
    JsonNode v = val == null ? JsonNodeFactory.instance.nullNode() : val;
    if (c instanceof ObjectNode o) {
      o.set(key, v);
      return;
    }
    ArrayNode a = (ArrayNode) c;
    long idx = atoi(key);
    if (idx < 0) {
      if (idx < -a.size()) {
        throw invalidIndex(idx);
      }
      idx += a.size();
    }
    a.set((int) idx, v);
  }

  private static void containerAdd(JsonNode c, String key, JsonNode val) throws OpError {
    JsonNode v = val == null ? JsonNodeFactory.instance.nullNode() : val;
    if (c instanceof ObjectNode o) {
      o.set(key, v);
      return;
    }
    ArrayNode a = (ArrayNode) c;
    if (key.equals("-")) {
      a.add(v);
      return;
    }
    long idx;
    try {
      idx = atoi(key);
    } catch (OpError e) {
      throw new OpError("value was not a proper array index: '" + key + "': " + e.getMessage());
    }
    int sz = a.size() + 1;
    if (idx >= sz) {
      throw invalidIndex(idx);
    }
    if (idx < 0) {
      if (idx < -sz) {
        throw invalidIndex(idx);
      }
      idx += sz;
    }
    a.insert((int) idx, v);
  }

  private static void containerRemove(JsonNode c, String key) throws OpError {
    if (c instanceof ObjectNode o) {
      if (!o.has(key)) {
        throw new OpError("Unable to remove nonexistent key: " + key + ": missing value");
      }
      o.remove(key);
      return;
    }
    ArrayNode a = (ArrayNode) c;
    long idx = atoi(key);
    if (idx >= a.size()) {
      throw invalidIndex(idx);
    }
    if (idx < 0) {
      if (idx < -a.size()) {
        throw invalidIndex(idx);
      }
      idx += a.size();
    }
    a.remove((int) idx);
  }

  private static OpError invalidIndex(long idx) {
    return new OpError("Unable to access invalid index: " + idx + ": invalid index referenced");
  }

  /** strconv.Atoi on a 64-bit platform. */
  private static long atoi(String s) throws OpError {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    boolean ok = !digits.isEmpty();
    for (int i = 0; i < digits.length() && ok; i++) {
      char c = digits.charAt(i);
      ok = c >= '0' && c <= '9';
    }
    if (!ok) {
      throw new OpError("strconv.Atoi: parsing " + quote(s) + ": invalid syntax");
    }
    BigInteger v = new BigInteger(s.startsWith("+") ? digits : s);
    if (v.bitLength() > 63) {
      throw new OpError("strconv.Atoi: parsing " + quote(s) + ": value out of range");
    }
    return v.longValue();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  // ---------------------------------------------------------------- lazyNode.equal

  /** {@code docVal} is non-null (a present, non-null value of the document). */
  private static boolean equal(JsonNode docVal, JsonNode opVal) {
    if (docVal.isObject()) {
      if (!opVal.isObject() || docVal.size() != opVal.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = docVal.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode ov = opVal.get(e.getKey());
        if (ov == null) {
          return false;
        }
        boolean vNil = e.getValue().isNull();
        if (vNil != ov.isNull()) {
          return false;
        }
        if (!vNil && !equal(e.getValue(), ov)) {
          return false;
        }
      }
      return true;
    }
    if (docVal.isArray()) {
      if (!opVal.isArray() || docVal.size() != opVal.size()) {
        return false;
      }
      for (int i = 0; i < docVal.size(); i++) {
        JsonNode a = docVal.get(i);
        JsonNode b = opVal.get(i);
        if (a.isNull() || b.isNull()) {
          if (a.isNull() != b.isNull()) {
            return false;
          }
        } else if (!equal(a, b)) {
          return false;
        }
      }
      return true;
    }
    // scalars: compared as compact JSON text
    if (docVal.isNull() || opVal.isNull()) {
      return docVal.isNull() && opVal.isNull();
    }
    if (docVal.isNumber() && opVal.isNumber()) {
      return numberText(docVal, true).equals(numberText(opVal, false));
    }
    if (docVal.isTextual() && opVal.isTextual()) {
      return docVal.textValue().equals(opVal.textValue());
    }
    if (docVal.isBoolean() && opVal.isBoolean()) {
      return docVal.booleanValue() == opVal.booleanValue();
    }
    return false;
  }

  /**
   * The JSON text of a number. The document was written by Go (an integral float64 prints without a
   * fraction); the operation's value keeps the client's spelling as far as Jackson lets us know it.
   */
  private static String numberText(JsonNode n, boolean goEncoded) {
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    double d = n.doubleValue();
    if (goEncoded && d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new java.math.BigDecimal(d).toBigInteger().toString();
    }
    return "f:" + d;
  }
}
