package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kemu.apiserver.patch.PatchMeta.Type;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The application half of strategicpatch's patch_test.go: the same inputs (original or current object, patch)
 * and expected results, over the same test type (MergeItem / RetainKeysMergeItem, declared strict like a Go
 * struct). The names are upstream's test case descriptions; "2W" is the two-way patch applied to the original,
 * "3W" the three-way patch applied to the current object.
 */
class StrategicMergePatchUpstreamCasesTest {

  /** patch_test.go's MergeItem and RetainKeysMergeItem, with their struct tags. */
  static final Type MERGE_ITEM = Type.strictStruct("MergeItem");
  static final Type RETAIN_KEYS_MERGE_ITEM = Type.strictStruct("RetainKeysMergeItem");

  static {
    MERGE_ITEM
        .field("name", Type.STRING)
        .field("value", Type.STRING)
        .field("other", Type.STRING)
        .field("mergingList", Type.slice(MERGE_ITEM), "merge", "name")
        .field("nonMergingList", Type.slice(MERGE_ITEM))
        .field("mergingIntList", Type.slice(Type.INT), "merge", "")
        .field("nonMergingIntList", Type.slice(Type.INT))
        .field("mergeItemPtr", Type.pointer(MERGE_ITEM), "merge", "name")
        .field("simpleMap", Type.map(Type.STRING))
        .field("replacingItem", Type.strictStruct("RawExtension"), "replace", "")
        .field("retainKeysMap", RETAIN_KEYS_MERGE_ITEM, "retainKeys", "")
        .field("retainKeysMergingList", Type.slice(MERGE_ITEM), "merge,retainKeys", "name");
    RETAIN_KEYS_MERGE_ITEM
        .field("name", Type.STRING)
        .field("value", Type.STRING)
        .field("other", Type.STRING)
        .field("simpleMap", Type.map(Type.STRING))
        .field("mergingIntList", Type.slice(Type.INT), "merge", "")
        .field("mergingList", Type.slice(MERGE_ITEM), "merge", "name")
        .field("nonMergingList", Type.slice(MERGE_ITEM));
  }

  static Arguments c(String name, String original, String patch, String expected) {
    return Arguments.of(name, original, patch, expected);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("nested patch merge with empty list 2W",
            "{'name':'hi'}",
            "{'mergingList':[{'name':'hello'},{'$patch':'delete','name':'doesntexist'}]}",
            "{'name':'hi','mergingList':[{'name':'hello'}]}"),
        c("nested patch merge with empty list 3W",
            "{'name':'hi','mergingList':[{'name':'hello2'}]}",
            "{'$setElementOrder/mergingList':[{'name':'hello'},{'name':'doesntexist'}],'mergingList':[{'name':'hello'}]}",
            "{'name':'hi','mergingList':[{'name':'hello'},{'name':'hello2'}]}"),
        c("delete items in lists of scalars 3W",
            "{'mergingIntList':[1,2,3,4]}",
            "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}",
            "{'mergingIntList':[1,2,4]}"),
        c("delete all duplicate items in lists of scalars 3W",
            "{'mergingIntList':[1,2,3,3,4]}",
            "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}",
            "{'mergingIntList':[1,2,4]}"),
        c("add and delete items in lists of scalars 2W",
            "{'mergingIntList':[1,2,3]}",
            "{'$setElementOrder/mergingIntList':[1,2,4],'$deleteFromPrimitiveList/mergingIntList':[3],'mergingIntList':[4]}",
            "{'mergingIntList':[1,2,4]}"),
        c("merge lists of maps 3W",
            "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':4},{'name':1},{'name':2},{'name':3}],"
                + "'mergingList':[{'name':4,'value':4},{'name':3,'value':3}]}",
            "{'mergingList':[{'name':4,'value':4},{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},"
                + "{'name':3,'value':3}]}"),
        c("add field to map in merging list 3W",
            "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],'mergingList':[{'name':1,'value':1}]}",
            "{'mergingList':[{'name':1,'value':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}"),
        c("delete map from merging list 3W",
            "{'mergingList':[{'name':1},{'name':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':2}],'mergingList':[{'name':1,'$patch':'delete'}]}",
            "{'mergingList':[{'name':2,'other':'b'}]}"),
        c("delete missing map from merging list 3W",
            "{'mergingList':[{'name':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':2}],'mergingList':[{'name':1,'$patch':'delete'}]}",
            "{'mergingList':[{'name':2,'other':'b'}]}"),
        // this one depends on Go's slice aliasing: the appended item lands where the deleted one was
        c("add map and delete map from merging list 3W",
            "{'mergingList':[{'name':1},{'name':2,'other':'b'},{'name':4,'other':'c'}]}",
            "{'$setElementOrder/mergingList':[{'name':2},{'name':3}],"
                + "'mergingList':[{'name':3},{'name':1,'$patch':'delete'}]}",
            "{'mergingList':[{'name':2,'other':'b'},{'name':4,'other':'c'},{'name':3}]}"),
        c("delete field from map in merging list 3W",
            "{'mergingList':[{'name':1,'value':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],'mergingList':[{'name':1,'value':null}]}",
            "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}"),
        c("replace non merging list nested in merging list 3W",
            "{'mergingList':[{'name':1,'other':'a','nonMergingList':[{'name':1},{'name':2,'value':2}]},"
                + "{'name':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],"
                + "'mergingList':[{'name':1,'nonMergingList':[{'name':1,'value':1}]}]}",
            "{'mergingList':[{'name':1,'other':'a','nonMergingList':[{'name':1,'value':1}]},{'name':2,'other':'b'}]}"),
        c("add field to map in merging list nested in merging list 3W",
            "{'mergingList':[{'name':1,'other':'a','mergingList':[{'name':1},{'name':2,'value':2}]},"
                + "{'name':2,'other':'b'}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],'mergingList':[{"
                + "'$setElementOrder/mergingList':[{'name':1},{'name':2}],'name':1,'mergingList':[{'name':1,'value':1}]}]}",
            "{'mergingList':[{'name':1,'other':'a','mergingList':[{'name':1,'value':1},{'name':2,'value':2}]},"
                + "{'name':2,'other':'b'}]}"),
        c("add map to merging list by pointer 3W",
            "{'mergeItemPtr':[{'name':1,'other':'a'},{'name':3}]}",
            "{'$setElementOrder/mergeItemPtr':[{'name':1},{'name':2}],'mergeItemPtr':[{'name':2}]}",
            "{'mergeItemPtr':[{'name':1,'other':'a'},{'name':2},{'name':3}]}"),
        c("merge lists of scalars 3W",
            "{'mergingIntList':[1,2,4]}",
            "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3]}",
            "{'mergingIntList':[1,2,3,4]}"),
        c("add an item in a list of primitives and preserve order 3W",
            "{'mergingIntList':[1,4,2]}",
            "{'$setElementOrder/mergingIntList':[3,1,2],'mergingIntList':[3]}",
            "{'mergingIntList':[3,1,4,2]}"),
        c("add and delete an item in a list and preserve order 3W",
            "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},{'name':3,'value':3}]}",
            "{'$setElementOrder/mergingList':[{'name':4},{'name':2},{'name':1}],"
                + "'mergingList':[{'name':4,'value':4},{'name':3,'$patch':'delete'}]}",
            "{'mergingList':[{'name':4,'value':4},{'name':2,'value':2,'other':'b'},{'name':1,'other':'a'}]}"),
        c("set elements order in a list with server-only items 3W",
            "{'mergingList':[{'name':1,'other':'a'},{'name':3,'value':3},{'name':4,'value':4},{'name':2,'value':2},"
                + "{'name':9}]}",
            "{'$setElementOrder/mergingList':[{'name':4},{'name':2},{'name':3},{'name':1}]}",
            "{'mergingList':[{'name':4,'value':4},{'name':2,'value':2},{'name':3,'value':3},{'name':1,'other':'a'},"
                + "{'name':9}]}"),
        c("set elements order in a list with server-only items 3 3W",
            "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2},{'name':7},{'name':9},{'name':8},"
                + "{'name':3,'value':3},{'name':4,'value':4}]}",
            "{'$setElementOrder/mergingList':[{'name':2},{'name':1},{'name':4},{'name':3}]}",
            "{'mergingList':[{'name':2,'value':2},{'name':1,'other':'a'},{'name':7},{'name':9},{'name':8},"
                + "{'name':4,'value':4},{'name':3,'value':3}]}"),
        c("set elements order in a int list with server-only items 2 3W",
            "{'mergingIntList':[1,2,9,3,4]}",
            "{'$setElementOrder/mergingIntList':[2,1,4,3]}",
            "{'mergingIntList':[2,1,9,4,3]}"),
        c("retainKeys map should clear defaulted field 3W",
            "{'retainKeysMap':{'value':'foo'}}",
            "{'retainKeysMap':{'$retainKeys':['other'],'other':'bar'}}",
            "{'retainKeysMap':{'other':'bar'}}"),
        c("retainKeys map adds a field and clear a field 3W",
            "{'retainKeysMap':{'name':'foo','other':'a'}}",
            "{'retainKeysMap':{'$retainKeys':['name','value'],'value':'bar'}}",
            "{'retainKeysMap':{'name':'foo','value':'bar'}}"),
        c("retainKeys map deletes an item in nested merging int list 3W",
            "{'retainKeysMap':{'name':'foo','mergingIntList':[1,2,3,4]}}",
            "{'retainKeysMap':{'$retainKeys':['mergingIntList','name'],"
                + "'$deleteFromPrimitiveList/mergingIntList':[2],'$setElementOrder/mergingIntList':[1,3]}}",
            "{'retainKeysMap':{'name':'foo','mergingIntList':[1,3,4]}}"),
        c("retainKeys list of maps changes a field and clear a field 3W",
            "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'old','other':'x'}]}",
            "{'$setElementOrder/retainKeysMergingList':[{'name':'bar'},{'name':'foo'}],"
                + "'retainKeysMergingList':[{'$retainKeys':['name','value'],'name':'foo','value':'new'}]}",
            "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'new'}]}"),
        c("delete and reorder in one list, reorder in another 3W",
            "{'mergingList':[{'name':'a','value':'a'},{'name':'b','value':'b'}],"
                + "'mergeItemPtr':[{'name':'c','value':'c'},{'name':'d','value':'d'}]}",
            "{'$setElementOrder/mergingList':[{'name':'b'}],'$setElementOrder/mergeItemPtr':[{'name':'d'},{'name':'c'}],"
                + "'mergingList':[{'$patch':'delete','name':'a'}]}",
            "{'mergingList':[{'name':'b','value':'b'}],'mergeItemPtr':[{'name':'d','value':'d'},{'name':'c','value':'c'}]}"),
        c("$setElementOrder contains item that is not present in the list to be merged",
            "{'mergingList':[{'name':1},{'name':3}]}",
            "{'$setElementOrder/mergingList':[{'name':3},{'name':2},{'name':1}],"
                + "'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}",
            "{'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}"),
        c("$setElementOrder contains item that is not present in the int list to be merged",
            "{'mergingIntList':[1,3]}",
            "{'$setElementOrder/mergingIntList':[3,2,1]}",
            "{'mergingIntList':[3,1]}"),
        c("$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list",
            "{'mergingIntList':[1,2]}",
            "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
            "{'mergingIntList':[1,2]}"),
        c("$deleteFromPrimitiveList on empty primitive list should not add the item to the list",
            "{'mergingIntList':null}",
            "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
            "{'mergingIntList':null}"),
        c("$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list",
            "{'foo':['bar']}",
            "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
            "{'foo':['bar']}"),
        c("$deleteFromPrimitiveList should delete item from a list without merge patch strategy",
            "{'nonMergingIntList':[1,2,3]}",
            "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}",
            "{'nonMergingIntList':[1,3]}"),
        c("replace RawExtension field and merge list 3W",
            "{'name':'my-object','value':'some-value','other':'current-other','mergingList':[{'name':1},{'name':3}],"
                + "'replacingItem':{'Some':'Generic','Yaml':'Inside','The':'RawExtension','Field':'Period'}}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],'mergingList':[{'name':2}],"
                + "'replacingItem':{'Newly':'Modified','Yaml':'Inside','The':'RawExtension'}}",
            "{'name':'my-object','value':'some-value','other':'current-other',"
                + "'mergingList':[{'name':1},{'name':2},{'name':3}],"
                + "'replacingItem':{'Newly':'Modified','Yaml':'Inside','The':'RawExtension'}}"),
        c("unique scalars when merging lists",
            "{'mergingIntList':[1,2]}",
            "{'mergingIntList':[2,3]}",
            "{'mergingIntList':[1,2,3]}"),
        c("delete all items from merging list",
            "{'mergingList':[{'name':1},{'name':2}]}",
            "{'mergingList':[{'$patch':'replace'}]}",
            "{'mergingList':[]}"),
        c("delete all keys from map",
            "{'name':1,'value':1}",
            "{'$patch':'replace'}",
            "{}"),
        c("add key and delete all keys from map",
            "{'name':1,'value':1}",
            "{'other':'a','$patch':'replace'}",
            "{'other':'a'}"),
        c("delete all duplicate entries in a merging list",
            "{'mergingList':[{'name':1},{'name':1},{'name':2,'value':'a'},{'name':3},{'name':3}]}",
            "{'mergingList':[{'name':1,'$patch':'delete'},{'name':3,'$patch':'delete'}]}",
            "{'mergingList':[{'name':2,'value':'a'}]}"),
        c("preserve the order from the patch in a merging list",
            "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'other':'x'}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'value':'b','other':'x'}]}"),
        c("preserve the order from the patch in a merging list 2",
            "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
            "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'}]}",
            "{'mergingList':[{'name':2,'value':'b'},{'name':3,'value':'c'},{'name':1,'value':'a'}]}"),
        c("delete map from nested map",
            "{'simpleMap':{'key1':1,'key2':1}}",
            "{'simpleMap':{'$patch':'delete'}}",
            "{'simpleMap':{}}"),
        c("retainKeys list can delete a field when no retainKeys directive present",
            "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a'}]}",
            "{'retainKeysMergingList':[{'name':'foo','value':null}]}",
            "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo'}]}"),
        c("preserve the order from the patch in a merging int list",
            "{'mergingIntList':[1,2,3]}",
            "{'mergingIntList':[3,1]}",
            "{'mergingIntList':[2,3,1]}"),
        c("retainKeys map merge an empty map",
            "{'retainKeysMap':{'name':'foo','value':'bar'}}",
            "{'retainKeysMap':{}}",
            "{'retainKeysMap':{'name':'foo','value':'bar'}}"),
        c("number conversion: int64 max and float64 max survive",
            "{'int64':9223372036854775807,'float64':1.7976931348623157e+308}",
            "{'name':'newname'}",
            "{'int64':9223372036854775807,'float64':1.7976931348623157e+308,'name':'newname'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesLikeUpstream(String name, String original, String patch, String expected) {
    JsonNode before = j(original);
    JsonNode p = j(patch);
    JsonNode got = StrategicMergePatch.apply(before, p, MERGE_ITEM);
    assertEquals(j(expected), got);
    assertEquals(j(original), before, "the original must not be modified");
    assertEquals(j(patch), p, "the patch must not be modified");
  }

  static Stream<Arguments> errorCases() {
    return Stream.of(
        Arguments.of("should check if order in $setElementOrder and patch list match",
            "{'mergingList':[{'name':1},{'name':3},{'name':2}]}",
            "{'$setElementOrder/mergingList':[{'name':1},{'name':2},{'name':3}],"
                + "'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}",
            "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder"
                + " list:\n[map[name:1] map[name:2] map[name:3]]\n"),
        Arguments.of("$setElementOrder and int patch list do not match",
            "{'mergingIntList':[1,3,2]}",
            "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3,1]}",
            "The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n"),
        Arguments.of("missing merge key should error out",
            "{'mergingList':[{'name':1,'value':'a'}]}",
            "{'mergingList':[{'value':'b'}]}",
            "map: map[value:b] does not contain declared merge key: name"),
        Arguments.of("unknown field of a struct (strict type)",
            "{'mergingList':[{'name':1,'nope':{'a':1}}]}",
            "{'mergingList':[{'name':1,'nope':{'b':2}}]}",
            "unable to find api field in struct MergeItem for the json field \"nope\""));
  }

  /** Errors the Go code returns as plain errors: kube answers 500 with the error text. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void failsLikeUpstream(String name, String original, String patch, String message) {
    PatchException e = assertThrows(PatchException.class,
        () -> StrategicMergePatch.apply(j(original), j(patch), MERGE_ITEM));
    assertEquals(500, e.code());
    assertEquals(message, e.getMessage());
    assertTrue(e.toStatus().path("reason").isMissingNode(), "an unknown error has no reason");
  }
}
