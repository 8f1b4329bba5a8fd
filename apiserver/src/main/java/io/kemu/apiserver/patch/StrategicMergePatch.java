package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.GoValues.MAP_TYPE;
import static io.kemu.apiserver.patch.GoValues.SLICE_TYPE;
import static io.kemu.apiserver.patch.GoValues.asMap;
import static io.kemu.apiserver.patch.GoValues.asSlice;
import static io.kemu.apiserver.patch.GoValues.eq;
import static io.kemu.apiserver.patch.GoValues.hashKey;
import static io.kemu.apiserver.patch.GoValues.typeName;

import com.fasterxml.jackson.databind.JsonNode;
import io.kemu.apiserver.patch.GoValues.GoPanic;
import io.kemu.apiserver.patch.PatchMeta.Lookup;
import io.kemu.apiserver.patch.PatchMeta.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as kube-apiserver 1.32 applies it:
 * {@code strategicpatch.StrategicMergeMapPatch} (apimachinery/pkg/util/strategicpatch/patch.go, server side:
 * parallel lists merged, unmatched nulls ignored) over the schema of {@link PatchMeta}, with the handler's
 * error mapping ({@code interpretStrategicMergePatchError}).
 *
 * <p>Supported, as upstream: lists merged by their merge key, lists of scalars with a merge strategy merged
 * as sets, other lists replaced; maps merged; {@code null} deletes; {@code $patch: replace} and
 * {@code $patch: delete} in maps and lists ({@code $patch: merge} is rejected as upstream rejects it);
 * {@code $deleteFromPrimitiveList/<field>}; {@code $setElementOrder/<field>} with its ordering rules (patch
 * order first, then live order for server-only items); {@code $retainKeys}.
 *
 * <p>The result is what the Go function returns, before kube decodes it into the typed object: like upstream,
 * values copied from the patch are not cleaned of nested directives or nulls where the Go code does not clean
 * them (a {@code $patch: replace} map, a replaced list, a new element appended to a merged list). kube's typed
 * decoding then drops unknown keys and turns nulls into zero values; that step is not done here.
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  static final String DIRECTIVE = "$patch";
  static final String DELETE = "delete";
  static final String REPLACE = "replace";
  static final String MERGE = "merge";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";

  // mergepatch errors
  static final String ERR_BAD_JSON_DOC = "invalid JSON document";
  static final String ERR_NO_LIST_OF_LISTS = "lists of lists are not supported";
  static final String ERR_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
  static final String ERR_BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
  static final String ERR_BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

  /**
   * Applies a strategic merge patch to an object of a built-in kind; kinds missing from {@link PatchMeta} get
   * {@link PatchMeta#generic()} (see there). Custom resources must not get here: kube refuses the
   * Content-Type for them (see {@link PatchType#require}). Neither argument is modified.
   *
   * @throws PatchException 400 for a malformed patch or directive, 422 for lists of lists, 500 for the other
   *     errors of the Go code (missing merge key, mismatched list types...), as kube answers
   */
  public static JsonNode apply(JsonNode original, JsonNode patch, String apiVersion, String kind) {
    return apply(original, patch, PatchMeta.forKind(apiVersion, kind).orElse(PatchMeta.generic()));
  }

  /** Applies a strategic merge patch with an explicit schema (the type of the document's root). */
  public static JsonNode apply(JsonNode original, JsonNode patch, Type schema) {
    Map<String, Object> patchMap;
    if (patch == null || patch.isNull() || patch.isMissingNode()) {
      patchMap = new LinkedHashMap<>(); // json.Unmarshal("null") leaves the map nil: a no-op patch
    } else if (patch.isObject()) {
      patchMap = asMap(GoValues.fromJson(patch));
    } else {
      throw PatchException.badRequest("json: cannot unmarshal " + jsonType(patch)
          + " into Go value of type map[string]interface {}");
    }
    Map<String, Object> originalMap;
    if (original == null || original.isNull() || original.isMissingNode()) {
      originalMap = new LinkedHashMap<>();
    } else if (original.isObject()) {
      originalMap = asMap(GoValues.fromJson(original));
    } else {
      throw PatchException.badRequest(ERR_BAD_JSON_DOC);
    }
    try {
      return GoValues.toJson(mergeMap(originalMap, patchMap, schema));
    } catch (GoPanic p) {
      throw PatchException.panic(p.getMessage());
    }
  }

  private static String jsonType(JsonNode n) {
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

  // ================================================================ mergeMap

  /** Removed by removeDirectives. */
  private static final Object DROP = new Object();

  static Map<String, Object> mergeMap(Map<String, Object> original, Map<String, Object> patch, Type schema) {
    if (patch.containsKey(DIRECTIVE)) {
      return handleDirectiveInMergeMap(patch.get(DIRECTIVE), patch);
    }
    if (original == null) {
      original = new LinkedHashMap<>();
    }
    applyRetainKeysDirective(original, patch);
    mergePatchIntoOriginal(original, patch, schema);

    for (String key : new ArrayList<>(patch.keySet())) {
      Object patchV = patch.get(key);
      String k = key;
      boolean isDeleteList = false;
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        String noPrefixKey = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
        if (!noPrefixKey.isEmpty()) {
          k = noPrefixKey;
        }
      }
      // a null deletes the key; unmatched nulls are not kept (IgnoreUnmatchedNulls)
      if (patchV == null) {
        original.remove(k);
        continue;
      }
      if (!original.containsKey(k)) {
        if (!isDeleteList) {
          takePatchValue(original, k, patchV);
        }
        continue;
      }
      Object originalV = original.get(k);
      if (!GoValues.sameType(originalV, patchV)) {
        if (!isDeleteList) {
          takePatchValue(original, k, patchV);
        }
        continue;
      }
      if (originalV instanceof Map) {
        Lookup l = PatchMeta.lookupForStruct(schema, k);
        String strategy = otherStrategy(l.strategies());
        original.put(k, mergeMapHandler(originalV, patchV, l.type(), strategy));
      } else if (originalV instanceof List) {
        Lookup l = PatchMeta.lookupForSlice(schema, k);
        String strategy = otherStrategy(l.strategies());
        original.put(k, mergeSliceHandler(originalV, patchV, l.type(), strategy, l.mergeKey(), isDeleteList, null));
      } else {
        Object v = removeDirectives(patchV);
        if (v == DROP) {
          original.remove(k);
        } else {
          original.put(k, v);
        }
      }
    }
    return original;
  }

  /** The patch value where the original has none (or one of another type), minus nulls and directives. */
  private static void takePatchValue(Map<String, Object> original, String k, Object patchV) {
    discardNullValuesFromPatch(patchV);
    Object v = removeDirectives(patchV);
    if (v == DROP) {
      original.remove(k);
    } else {
      original.put(k, v);
    }
  }

  private static Map<String, Object> handleDirectiveInMergeMap(Object directive, Map<String, Object> patch) {
    if (REPLACE.equals(directive)) {
      // the patch replaces the map as is
      patch.remove(DIRECTIVE);
      return patch;
    }
    if (DELETE.equals(directive)) {
      return new LinkedHashMap<>();
    }
    throw PatchException.internal(badPatchType(directive, patch));
  }

  private static void discardNullValuesFromPatch(Object v) {
    if (v instanceof Map) {
      Map<String, Object> m = asMap(v);
      for (String k : new ArrayList<>(m.keySet())) {
        Object c = m.get(k);
        if (c == null) {
          m.remove(k);
        } else {
          discardNullValuesFromPatch(c);
        }
      }
    } else if (v instanceof List) {
      for (Object c : asSlice(v)) {
        discardNullValuesFromPatch(c);
      }
    }
  }

  /** A map holding $patch is dropped (DROP), wherever it is; may modify its input. */
  private static Object removeDirectives(Object obj) {
    if (obj instanceof Map) {
      Map<String, Object> m = asMap(obj);
      if (m.containsKey(DIRECTIVE)) {
        return DROP;
      }
      for (String k : new ArrayList<>(m.keySet())) {
        Object v = removeDirectives(m.get(k));
        if (v == DROP) {
          m.remove(k);
        } else {
          m.put(k, v);
        }
      }
      return m;
    }
    if (obj instanceof List) {
      List<Object> res = new ArrayList<>();
      for (Object v : asSlice(obj)) {
        Object nv = removeDirectives(v);
        if (nv != DROP) {
          res.add(nv);
        }
      }
      return res;
    }
    return obj;
  }

  private static Map<String, Object> mergeMapHandler(Object original, Object patch, Type schema, String strategy) {
    if (!(original instanceof Map)) {
      throw PatchException.internal(badArgType(MAP_TYPE, original));
    }
    if (!(patch instanceof Map)) {
      throw PatchException.internal(badArgType(MAP_TYPE, patch));
    }
    if (!REPLACE.equals(strategy)) {
      return mergeMap(asMap(original), asMap(patch), schema);
    }
    return asMap(patch);
  }

  private static List<Object> mergeSliceHandler(Object original, Object patch, Type schema, String strategy,
      String mergeKey, boolean isDeleteList, AliasTrace trace) {
    if (!(original instanceof List)) {
      throw PatchException.internal(badArgType(SLICE_TYPE, original));
    }
    if (!(patch instanceof List)) {
      throw PatchException.internal(badArgType(SLICE_TYPE, patch));
    }
    // delete lists are handled the same way whatever the field's strategy
    if (MERGE.equals(strategy) || isDeleteList) {
      return mergeSlice(asSlice(original), asSlice(patch), schema, mergeKey, isDeleteList, trace);
    }
    return asSlice(patch);
  }

  // ================================================================ directives

  private static void applyRetainKeysDirective(Map<String, Object> original, Map<String, Object> patch) {
    if (!patch.containsKey(RETAIN_KEYS)) {
      return;
    }
    Object retainKeysInPatch = patch.remove(RETAIN_KEYS);
    if (!(retainKeysInPatch instanceof List)) {
      throw PatchException.badRequest(ERR_BAD_RETAIN_KEYS);
    }
    Set<Object> retained = new HashSet<>();
    for (Object v : asSlice(retainKeysInPatch)) {
      retained.add(hashKey(v));
    }
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String k = e.getKey();
      if (e.getValue() == null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      // every field the patch sets must be retained
      if (!retained.contains(k)) {
        throw PatchException.badRequest(ERR_BAD_RETAIN_KEYS);
      }
    }
    original.keySet().removeIf(k -> !retained.contains(k));
  }

  /** Processes the $setElementOrder lists and the lists they order. */
  private static void mergePatchIntoOriginal(Map<String, Object> original, Map<String, Object> patch,
      Type schema) {
    for (String key : new ArrayList<>(patch.keySet())) {
      if (!key.startsWith(SET_ELEMENT_ORDER) || !patch.containsKey(key)) {
        continue;
      }
      Object setElementOrderInPatch = patch.remove(key);
      if (!(setElementOrderInPatch instanceof List)) {
        throw PatchException.internal(badArgType(SLICE_TYPE, setElementOrderInPatch));
      }
      List<Object> setOrder = asSlice(setElementOrderInPatch);
      String originalKey = extractKey(key, SET_ELEMENT_ORDER);

      boolean foundOriginal = original.containsKey(originalKey);
      boolean foundPatch = patch.containsKey(originalKey);
      Object originalList = original.get(originalKey);
      Object patchList = patch.get(originalKey);
      List<Object> originalFieldValue = null;
      List<Object> patchFieldValue = null;
      if (foundOriginal) {
        if (!(originalList instanceof List)) {
          throw PatchException.internal(badArgType(SLICE_TYPE, originalList));
        }
        originalFieldValue = asSlice(originalList);
      }
      if (foundPatch) {
        if (!(patchList instanceof List)) {
          throw PatchException.internal(badArgType(SLICE_TYPE, patchList));
        }
        patchFieldValue = asSlice(patchList);
      }
      Lookup l = PatchMeta.lookupForSlice(schema, originalKey);
      String strategy = otherStrategy(l.strategies());
      String mergeKey = l.mergeKey();
      validatePatchWithSetOrderList(patchFieldValue, setOrder, mergeKey);

      List<Object> merged;
      AliasTrace trace = null;
      if (foundOriginal && !foundPatch) {
        merged = originalFieldValue;
      } else if (!foundOriginal && foundPatch) {
        merged = asSlice(removeDirectives(patchFieldValue));
      } else if (foundOriginal) {
        trace = new AliasTrace();
        merged = mergeSliceHandler(originalList, patchList, l.type(), strategy, mergeKey, false, trace);
      } else {
        continue;
      }

      // split into the items the order list names and the server-only ones, then order both
      Partition p = mergeKey.isEmpty()
          ? partitionPrimitivesByPresentInList(merged, setOrder)
          : partitionMapsByPresentInList(merged, setOrder, mergeKey);
      List<Object> serverOrder = trace == null ? originalFieldValue : trace.view(originalFieldValue);
      boolean maps = sliceElementIsMap(serverOrder, patchFieldValue);
      original.put(originalKey, normalizeElementOrder(p.patch, p.serverOnly, setOrder, serverOrder, mergeKey, maps));
      patch.remove(originalKey);
    }
  }

  private static void validatePatchWithSetOrderList(List<Object> patchList, List<Object> setOrder,
      String mergeKey) {
    if (setOrder.isEmpty() || patchList == null || patchList.isEmpty()) {
      return;
    }
    List<Object> nonDelete = mergeKey.isEmpty() ? patchList : extractToDeleteItems(patchList)[0];
    int patchIndex = 0;
    int setOrderIndex = 0;
    while (patchIndex < nonDelete.size() && setOrderIndex < setOrder.size()) {
      if (containsDirectiveMarker(nonDelete.get(patchIndex))) {
        patchIndex++;
        continue;
      }
      if (mergeKeyValueEqual(nonDelete.get(patchIndex), setOrder.get(setOrderIndex), mergeKey)) {
        patchIndex++;
      }
      setOrderIndex++;
    }
    if (patchIndex < nonDelete.size() && setOrderIndex >= setOrder.size()) {
      throw PatchException.internal("The order in patch list:\n" + GoValues.v(patchList) + "\n doesn't match "
          + SET_ELEMENT_ORDER + " list:\n" + GoValues.v(setOrder) + "\n");
    }
  }

  private static boolean containsDirectiveMarker(Object item) {
    return item instanceof Map && asMap(item).containsKey(DIRECTIVE);
  }

  private static boolean mergeKeyValueEqual(Object left, Object right, String mergeKey) {
    if (mergeKey.isEmpty()) {
      return eq(left, right);
    }
    if (!(left instanceof Map)) {
      throw PatchException.internal(badArgType(MAP_TYPE, left));
    }
    if (!(right instanceof Map)) {
      throw PatchException.internal(badArgType(MAP_TYPE, right));
    }
    Map<String, Object> l = asMap(left);
    Map<String, Object> r = asMap(right);
    if (!l.containsKey(mergeKey)) {
      throw PatchException.internal(noMergeKey(l, mergeKey));
    }
    if (!r.containsKey(mergeKey)) {
      throw PatchException.internal(noMergeKey(r, mergeKey));
    }
    return eq(l.get(mergeKey), r.get(mergeKey));
  }

  /** The field name after "prefix/". */
  private static String extractKey(String s, String prefix) {
    int slash = s.indexOf('/');
    if (slash < 0 || !s.substring(0, slash).equals(prefix)) {
      if (prefix.equals(DELETE_FROM_PRIMITIVE_LIST)) {
        throw PatchException.badRequest(ERR_BAD_PRIMITIVE_LIST);
      }
      throw PatchException.badRequest(ERR_BAD_SET_ELEMENT_ORDER);
    }
    return s.substring(slash + 1);
  }

  /** extractRetainKeysPatchStrategy: the strategy other than retainKeys. */
  private static String otherStrategy(List<String> strategies) {
    switch (strategies.size()) {
      case 0:
        return "";
      case 1:
        return strategies.get(0).equals("retainKeys") ? "" : strategies.get(0);
      case 2:
        if (strategies.get(0).equals("retainKeys")) {
          return strategies.get(1);
        }
        if (strategies.get(1).equals("retainKeys")) {
          return strategies.get(0);
        }
        break;
      default:
        break;
    }
    throw PatchException.internal("unexpected patch strategy: " + GoValues.v(new ArrayList<Object>(strategies)));
  }

  // ================================================================ mergeSlice

  private static List<Object> mergeSlice(List<Object> original, List<Object> patch, Type schema, String mergeKey,
      boolean isDeleteList, AliasTrace trace) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean maps = sliceElementIsMap(original, patch);
    List<Object> merged;
    if (!maps) {
      if (isDeleteList) {
        return deleteFromSlice(original, patch);
      }
      List<Object> both = new ArrayList<>(original);
      both.addAll(patch);
      merged = deduplicateScalars(both);
    } else {
      if (mergeKey.isEmpty()) {
        throw PatchException.internal("cannot merge lists without merge key for " + schema.goKind());
      }
      List<Object>[] special = mergeSliceWithSpecialElements(original, patch, mergeKey, trace);
      original = special[0];
      patch = special[1];
      merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, schema, trace);
    }
    // enforce the order
    Partition p = mergeKey.isEmpty()
        ? partitionPrimitivesByPresentInList(merged, patch)
        : partitionMapsByPresentInList(merged, patch, mergeKey);
    return normalizeElementOrder(p.patch, p.serverOnly, patch, original, mergeKey, maps);
  }

  /** Applies the $patch elements of a merged list: returns {original, patch without them}. */
  @SuppressWarnings("unchecked")
  private static List<Object>[] mergeSliceWithSpecialElements(List<Object> original, List<Object> patch,
      String mergeKey, AliasTrace trace) {
    List<Object> remaining = new ArrayList<>(original);
    List<Object> patchWithoutSpecialElements = new ArrayList<>();
    boolean replace = false;
    for (Object v : patch) {
      Map<String, Object> typedV = asMap(v);
      if (!typedV.containsKey(DIRECTIVE)) {
        patchWithoutSpecialElements.add(v);
        continue;
      }
      Object patchType = typedV.get(DIRECTIVE);
      if (DELETE.equals(patchType)) {
        if (!typedV.containsKey(mergeKey)) {
          throw PatchException.internal(noMergeKey(typedV, mergeKey));
        }
        deleteMatchingEntries(remaining, mergeKey, typedV.get(mergeKey), trace);
      } else if (REPLACE.equals(patchType)) {
        replace = true; // keep going: the other $patch elements are pruned too
      } else if (MERGE.equals(patchType)) {
        throw PatchException.internal("merging lists cannot yet be specified in the patch");
      } else {
        throw PatchException.internal(badPatchType(patchType, typedV));
      }
    }
    if (replace) {
      if (trace != null) {
        trace.replaced = true;
      }
      return new List[] {patchWithoutSpecialElements, new ArrayList<>()};
    }
    return new List[] {remaining, patchWithoutSpecialElements};
  }

  private static void deleteMatchingEntries(List<Object> original, String mergeKey, Object mergeValue,
      AliasTrace trace) {
    while (true) {
      int i = findMapInSliceBasedOnKeyValue(original, mergeKey, mergeValue);
      if (i < 0) {
        return;
      }
      original.remove(i);
      if (trace != null) {
        trace.deletions.add(i);
      }
    }
  }

  private static List<Object> mergeSliceWithoutSpecialElements(List<Object> original, List<Object> patch,
      String mergeKey, Type schema, AliasTrace trace) {
    List<Object> merged = new ArrayList<>(original);
    for (Object v : patch) {
      Map<String, Object> typedV = asMap(v);
      if (!typedV.containsKey(mergeKey)) {
        throw PatchException.internal(noMergeKey(typedV, mergeKey));
      }
      int i = findMapInSliceBasedOnKeyValue(merged, mergeKey, typedV.get(mergeKey));
      if (i >= 0) {
        merged.set(i, mergeMap(asMap(merged.get(i)), typedV, schema));
      } else {
        merged.add(v);
        if (trace != null) {
          trace.appended.add(v);
        }
      }
    }
    return merged;
  }

  /** The index of the first map whose mergeKey equals value (Go ==), or -1. */
  private static int findMapInSliceBasedOnKeyValue(List<Object> m, String key, Object value) {
    for (int k = 0; k < m.size(); k++) {
      Object v = m.get(k);
      if (!(v instanceof Map)) {
        throw PatchException.internal("value for key " + k + " is not a map");
      }
      Map<String, Object> typedV = asMap(v);
      if (typedV.containsKey(key) && eq(typedV.get(key), value)) {
        return k;
      }
    }
    return -1;
  }

  private static List<Object> deleteFromSlice(List<Object> current, List<Object> toDelete) {
    Set<Object> del = new HashSet<>();
    for (Object v : toDelete) {
      del.add(hashKey(v));
    }
    List<Object> processed = new ArrayList<>(current.size());
    for (Object v : current) {
      if (!del.contains(hashKey(v))) {
        processed.add(v);
      }
    }
    return processed;
  }

  /** Go's in-place deduplication: a duplicate is overwritten by the last element. */
  private static List<Object> deduplicateScalars(List<Object> s) {
    int length = s.size() - 1;
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j <= length; j++) {
        if (eq(s.get(i), s.get(j))) {
          s.set(j, s.get(length));
          s.remove(length);
          length--;
          j--;
        }
      }
    }
    return s;
  }

  /**
   * sliceElementType: all elements must have one type, which must not be a list. Answers whether it is a map.
   */
  private static boolean sliceElementIsMap(List<Object> a, List<Object> b) {
    String prev = null;
    boolean seen = false;
    for (List<Object> list : Arrays.asList(a, b)) {
      if (list == null) {
        continue;
      }
      for (Object v : list) {
        if (!seen) {
          if (v == null) {
            throw new GoPanic("runtime error: invalid memory address or nil pointer dereference");
          }
          if (v instanceof List) {
            throw PatchException.unprocessable(ERR_NO_LIST_OF_LISTS);
          }
          prev = typeName(v);
          seen = true;
        } else if (!prev.equals(typeName(v))) {
          List<Object> all = new ArrayList<>();
          all.add(a == null ? new ArrayList<>() : a);
          all.add(b == null ? new ArrayList<>() : b);
          throw PatchException.internal("list element types are not identical: " + GoValues.v(all));
        }
      }
    }
    if (!seen) {
      throw PatchException.internal("no elements in any of the given slices");
    }
    return prev.equals(MAP_TYPE);
  }

  // ================================================================ ordering

  private record Partition(List<Object> patch, List<Object> serverOnly) {}

  private static Partition partitionPrimitivesByPresentInList(List<Object> original, List<Object> partitionBy) {
    Set<Object> inPatch = new HashSet<>();
    for (Object v : partitionBy) {
      inPatch.add(hashKey(v));
    }
    List<Object> patch = new ArrayList<>();
    List<Object> serverOnly = new ArrayList<>();
    for (Object v : original) {
      if (inPatch.contains(hashKey(v))) {
        patch.add(v);
      } else {
        serverOnly.add(v);
      }
    }
    return new Partition(patch, serverOnly);
  }

  private static Partition partitionMapsByPresentInList(List<Object> original, List<Object> partitionBy,
      String mergeKey) {
    List<Object> patch = new ArrayList<>();
    List<Object> serverOnly = new ArrayList<>();
    for (Object v : original) {
      if (!(v instanceof Map)) {
        throw PatchException.internal(badArgType(MAP_TYPE, v));
      }
      Map<String, Object> typedV = asMap(v);
      if (!typedV.containsKey(mergeKey)) {
        throw PatchException.internal(noMergeKey(typedV, mergeKey));
      }
      if (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, typedV.get(mergeKey)) >= 0) {
        patch.add(v);
      } else {
        serverOnly.add(v);
      }
    }
    return new Partition(patch, serverOnly);
  }

  /**
   * Sorts the patch items by the patch (or $setElementOrder) order and the server-only items by the live
   * order, then interleaves them.
   */
  private static List<Object> normalizeElementOrder(List<Object> patch, List<Object> serverOnly,
      List<Object> patchOrder, List<Object> serverOrder, String mergeKey, boolean maps) {
    List<Object> p = normalizeSliceOrder(patch, patchOrder, mergeKey, maps);
    List<Object> s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, maps);
    return mergeSortedSlice(s, p, serverOrder, mergeKey, maps);
  }

  private static List<Object> normalizeSliceOrder(List<Object> toSort, List<Object> order, String mergeKey,
      boolean maps) {
    List<Object> ord = order == null ? List.of() : order;
    List<Object> sorted = new ArrayList<>(toSort);
    List<Object> toDelete = new ArrayList<>();
    if (maps) {
      validateMergeKeyInLists(mergeKey, sorted, ord);
      List<Object>[] split = extractToDeleteItems(sorted);
      sorted = split[0];
      toDelete = split[1];
    }
    final List<Object> list = sorted;
    GoSort.sliceStable(list, (i, j) -> {
      int ii = index(ord, list.get(i), mergeKey, maps);
      if (ii >= 0) {
        int ij = index(ord, list.get(j), mergeKey, maps);
        if (ij >= 0) {
          return ii < ij;
        }
      }
      return true;
    });
    list.addAll(toDelete);
    return list;
  }

  private static void validateMergeKeyInLists(String mergeKey, List<Object> a, List<Object> b) {
    for (List<Object> list : Arrays.asList(a, b)) {
      for (Object item : list) {
        if (!(item instanceof Map)) {
          throw PatchException.internal(badArgType(MAP_TYPE, item));
        }
        if (!asMap(item).containsKey(mergeKey)) {
          throw PatchException.internal(noMergeKey(asMap(item), mergeKey));
        }
      }
    }
  }

  /** {items to keep, items with $patch: delete}. */
  @SuppressWarnings("unchecked")
  private static List<Object>[] extractToDeleteItems(List<Object> l) {
    List<Object> nonDelete = new ArrayList<>();
    List<Object> toDelete = new ArrayList<>();
    for (Object v : l) {
      if (!(v instanceof Map)) {
        throw PatchException.internal(badArgType(MAP_TYPE, v));
      }
      Map<String, Object> m = asMap(v);
      if (m.containsKey(DIRECTIVE) && DELETE.equals(m.get(DIRECTIVE))) {
        toDelete.add(v);
      } else {
        nonDelete.add(v);
      }
    }
    return new List[] {nonDelete, toDelete};
  }

  /**
   * Inserts the server-only items (left) into the patch items (right): a left item goes before the next right
   * item only when both are found in the live order and the left one comes first there.
   */
  private static List<Object> mergeSortedSlice(List<Object> left, List<Object> right, List<Object> serverOrder,
      String mergeKey, boolean maps) {
    List<Object> ord = serverOrder == null ? List.of() : serverOrder;
    int size = left.size() + right.size();
    List<Object> s = new ArrayList<>(size);
    int i = 0;
    int j = 0;
    for (int k = 0; k < size; k++) {
      if (i >= left.size() && j < right.size()) {
        s.add(right.get(j++));
      } else if (j >= right.size() && i < left.size()) {
        s.add(left.get(i++));
      } else {
        int li = index(ord, left.get(i), mergeKey, maps);
        int ri = index(ord, right.get(j), mergeKey, maps);
        if (li >= 0 && ri >= 0 && li < ri) {
          s.add(left.get(i++));
        } else {
          s.add(right.get(j++));
        }
      }
    }
    return s;
  }

  /** The index of the item (by merge key for maps) in l, or -1. */
  private static int index(List<Object> l, Object valToLookUp, String mergeKey, boolean maps) {
    Object key = maps ? mergeKeyOf(valToLookUp, mergeKey) : valToLookUp;
    for (int i = 0; i < l.size(); i++) {
      Object v = maps ? mergeKeyOf(l.get(i), mergeKey) : l.get(i);
      if (eq(key, v)) {
        return i;
      }
    }
    return -1;
  }

  private static Object mergeKeyOf(Object item, String mergeKey) {
    return item instanceof Map ? asMap(item).get(mergeKey) : null;
  }

  // ================================================================ Go slice aliasing

  /**
   * In mergePatchIntoOriginal the Go code orders server-only items by {@code originalFieldValue}, a slice that
   * shares its backing array with the list mergeSlice edits in place: {@code $patch: delete} shifts the later
   * items left (the last slot keeps a stale copy) and the items the patch appends then land in the freed
   * slots. The view it sees is rebuilt from the recorded edits (appends beyond the original length do not
   * show, whatever the capacity).
   */
  private static final class AliasTrace {
    final List<Integer> deletions = new ArrayList<>();
    final List<Object> appended = new ArrayList<>();
    boolean replaced;

    List<Object> view(List<Object> originalFieldValue) {
      Object[] b = originalFieldValue.toArray();
      int len = b.length;
      for (int idx : deletions) {
        System.arraycopy(b, idx + 1, b, idx, len - idx - 1);
        len--;
      }
      if (!replaced) {
        for (int t = 0; t < appended.size() && len + t < b.length; t++) {
          b[len + t] = appended.get(t);
        }
      }
      return new ArrayList<>(Arrays.asList(b));
    }
  }

  // ================================================================ error texts

  static String badArgType(String expectedType, Object actual) {
    String t = typeName(actual);
    return "expected a " + expectedType + ", but received a " + (t == null ? "%!s(<nil>)" : t);
  }

  static String noMergeKey(Map<String, Object> m, String k) {
    return "map: " + GoValues.v(m) + " does not contain declared merge key: " + k;
  }

  static String badPatchType(Object t, Map<String, Object> m) {
    return "unknown patch type: " + GoValues.s(t) + " in map: " + GoValues.v(m);
  }
}
