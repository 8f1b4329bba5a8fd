package io.kemu.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386, {@code application/merge-patch+json}) as kube-apiserver applies it: with
 * {@code gopkg.in/evanphx/json-patch.v4} (v4.12.0) {@code MergePatch}, which differs from the RFC text in
 * a few places kube inherits:
 *
 * <ul>
 *   <li>a {@code null} or scalar patch document is rejected (400 "Invalid JSON Patch") instead of replacing
 *       the document;
 *   <li>an array patch document replaces the document (the handler then fails to decode it into the
 *       resource's type, a 422 the caller must raise);
 *   <li>when a patch value is inserted where the document had no (or a null) value, nulls are pruned from
 *       it recursively, <em>including inside objects nested in arrays</em> (the RFC keeps arrays verbatim);
 *       null elements of arrays are kept;
 *   <li>nulls already present in the document are left alone.
 * </ul>
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /** evanphx/json-patch's {@code ErrBadJSONPatch}, which the handler turns into a 400. */
  public static final String INVALID_PATCH = "Invalid JSON Patch";

  /**
   * Applies {@code patch} to {@code original}; neither argument is modified.
   *
   * @throws PatchException 400 "Invalid JSON Patch" for a null or scalar patch document
   */
  public static JsonNode apply(JsonNode original, JsonNode patch) {
    if (patch == null || patch.isNull() || patch.isMissingNode()) {
      throw PatchException.badRequest(INVALID_PATCH);
    }
    if (original != null && original.isObject() && patch.isObject()) {
      ObjectNode doc = ((ObjectNode) original).deepCopy();
      mergeDocs(doc, (ObjectNode) patch.deepCopy());
      return doc;
    }
    // "not an error, just not a doc": the result is the patch itself
    if (patch.isObject()) {
      ObjectNode p = ((ObjectNode) patch).deepCopy();
      pruneNulls(p);
      return p;
    }
    if (patch.isArray()) {
      ArrayNode p = ((ArrayNode) patch).deepCopy();
      pruneNulls(p);
      return p;
    }
    throw PatchException.badRequest(INVALID_PATCH);
  }

  private static void mergeDocs(ObjectNode doc, ObjectNode patch) {
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        doc.remove(k);
        continue;
      }
      JsonNode cur = doc.get(k);
      if (cur == null || cur.isNull()) {
        pruneNulls(v);
        doc.set(k, v);
      } else {
        doc.set(k, merge(cur, v));
      }
    }
  }

  private static JsonNode merge(JsonNode cur, JsonNode patch) {
    if (!cur.isObject()) {
      pruneNulls(patch);
      return patch;
    }
    if (!patch.isObject()) {
      return patch;
    }
    mergeDocs((ObjectNode) cur, (ObjectNode) patch);
    return cur;
  }

  private static void pruneNulls(JsonNode n) {
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
      List<String> nulls = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          pruneNulls(e.getValue());
        }
      }
      o.remove(nulls);
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        if (!c.isNull()) {
          pruneNulls(c);
        }
      }
    }
  }
}
