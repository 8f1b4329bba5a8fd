package io.kemu.apiserver.storage;

import java.nio.charset.StandardCharsets;

/**
 * The served JSON of a stored object without decoding it: kemu stores objects without metadata.resourceVersion
 * (it is the key's modRevision), and every reader needs it back. Parsing the value into a tree and serializing it
 * again cost a full JSON round trip per watch event and per created object; this inserts
 * {@code "resourceVersion":"<rv>"} as the first member of the top-level {@code metadata} object instead. Member
 * order does not matter in JSON. Anything unexpected (no metadata object, a resourceVersion already there, input
 * that is not a JSON object) returns null and the caller takes the tree path.
 */
public final class StoredJson {
  private static final byte[] KEY = "\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESOURCE_VERSION = "resourceVersion".getBytes(StandardCharsets.US_ASCII);

  private StoredJson() {}

  /** The stored JSON with metadata.resourceVersion set to {@code rv}, or null where that cannot be done safely. */
  public static byte[] withResourceVersion(byte[] json, long rv) {
    try {
      int meta = memberValue(json, 0, METADATA);
      if (meta < 0 || json[meta] != '{' || memberValue(json, meta, RESOURCE_VERSION) != -1) {
        return null;
      }
      boolean empty = json[skipWs(json, meta + 1)] == '}';
      byte[] value = Long.toString(rv).getBytes(StandardCharsets.US_ASCII);
      int insertAt = meta + 1;
      int extra = KEY.length + value.length + 1 + (empty ? 0 : 1);
      byte[] out = new byte[json.length + extra];
      System.arraycopy(json, 0, out, 0, insertAt);
      int p = insertAt;
      System.arraycopy(KEY, 0, out, p, KEY.length);
      p += KEY.length;
      System.arraycopy(value, 0, out, p, value.length);
      p += value.length;
      out[p++] = '"';
      if (!empty) {
        out[p++] = ',';
      }
      System.arraycopy(json, insertAt, out, p, json.length - insertAt);
      return out;
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException malformed) {
      return null;
    }
  }

  /**
   * Where the value of member {@code name} of the object starting at {@code objStart} begins; -1 when the object
   * has no such member; -2 when {@code objStart} is not an object.
   */
  static int memberValue(byte[] json, int objStart, byte[] name) {
    int i = skipWs(json, objStart);
    if (json[i] != '{') {
      return -2;
    }
    i = skipWs(json, i + 1);
    if (json[i] == '}') {
      return -1;
    }
    while (true) {
      if (json[i] != '"') {
        throw new IllegalArgumentException("expected a member name at " + i);
      }
      int keyEnd = endOfString(json, i);
      boolean match = keyEnd - i - 2 == name.length && regionEquals(json, i + 1, name);
      i = skipWs(json, keyEnd);
      if (json[i] != ':') {
        throw new IllegalArgumentException("expected ':' at " + i);
      }
      i = skipWs(json, i + 1);
      if (match) {
        return i;
      }
      i = skipWs(json, endOfValue(json, i));
      if (json[i] == '}') {
        return -1;
      }
      if (json[i] != ',') {
        throw new IllegalArgumentException("expected ',' at " + i);
      }
      i = skipWs(json, i + 1);
    }
  }

  private static boolean regionEquals(byte[] json, int from, byte[] name) {
    for (int k = 0; k < name.length; k++) {
      if (json[from + k] != name[k]) {
        return false;
      }
    }
    return true;
  }

  private static int skipWs(byte[] json, int i) {
    while (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t') {
      i++;
    }
    return i;
  }

  /** The index after the closing quote of the string starting at {@code i}. */
  private static int endOfString(byte[] json, int i) {
    i++;
    while (true) {
      byte b = json[i];
      if (b == '\\') {
        i += 2;
      } else if (b == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
  }

  /** The index after the value starting at {@code i}. */
  private static int endOfValue(byte[] json, int i) {
    byte b = json[i];
    if (b == '"') {
      return endOfString(json, i);
    }
    if (b == '{' || b == '[') {
      int depth = 0;
      while (true) {
        b = json[i];
        if (b == '"') {
          i = endOfString(json, i);
          continue;
        }
        if (b == '{' || b == '[') {
          depth++;
        } else if (b == '}' || b == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
    }
    while (b != ',' && b != '}' && b != ']' && b != ' ' && b != '\n' && b != '\r' && b != '\t') {
      b = json[++i];
    }
    return i;
  }
}
