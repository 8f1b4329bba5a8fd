package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6902 as kube-apiserver applies it (evanphx/json-patch v4.12.0 + the handler's error mapping). */
class JsonPatchTest {

  static JsonNode apply(String doc, String patch) {
    return JsonPatch.apply(j(doc), j(patch));
  }

  /** The operation fails: 422 with kube's generic message; the library's text in detail(). */
  static void fails(String doc, String patch, String detail) {
    PatchException e = assertThrows(PatchException.class, () -> apply(doc, patch));
    assertEquals(422, e.code());
    assertEquals("Invalid", e.reason());
    assertEquals(PatchException.UNPROCESSABLE_MESSAGE, e.getMessage());
    assertEquals(detail, e.detail());
  }

  // ---------------------------------------------------------------- RFC 6902 appendix A

  static Stream<Arguments> rfcAppendix() {
    return Stream.of(
        Arguments.of("A.1 adding an object member", "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}"),
        Arguments.of("A.2 adding an array element", "{'foo':['bar','baz']}",
            "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}"),
        Arguments.of("A.3 removing an object member", "{'baz':'qux','foo':'bar'}",
            "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}"),
        Arguments.of("A.4 removing an array element", "{'foo':['bar','qux','baz']}",
            "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}"),
        Arguments.of("A.5 replacing a value", "{'baz':'qux','foo':'bar'}",
            "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}"),
        Arguments.of("A.6 moving a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
            "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
            "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
        Arguments.of("A.7 moving an array element", "{'foo':['all','grass','cows','eat']}",
            "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}"),
        Arguments.of("A.8 testing a value: success", "{'baz':'qux','foo':['a',2,'c']}",
            "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
            "{'baz':'qux','foo':['a',2,'c']}"),
        Arguments.of("A.10 adding a nested member object", "{'foo':'bar'}",
            "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}"),
        Arguments.of("A.11 ignoring unrecognized elements", "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}"),
        Arguments.of("A.14 ~ escape ordering", "{'/':9,'~1':10}",
            "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}"),
        Arguments.of("A.16 adding an array value", "{'foo':['bar']}",
            "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}"),
        Arguments.of("copy", "{'a':{'b':1}}",
            "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfcAppendix")
  void rfc6902Examples(String name, String doc, String patch, String expected) {
    JsonNode original = j(doc);
    assertEquals(j(expected), JsonPatch.apply(original, j(patch)));
    assertEquals(j(doc), original, "the document must not be modified");
  }

  @Test
  void a9FailingTestIsUnprocessable() {
    fails("{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'bar'}]",
        "testing value /baz failed: test failed");
  }

  @Test
  void a12AddingToANonexistentTarget() {
    fails("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]",
        "add operation does not apply: doc is missing path: \"/baz/bat\": missing value");
  }

  @Test
  void a13DuplicateOpKeyTakesTheLastOne() {
    // Go's decoder (like Jackson's) keeps the last duplicate: this is a "remove" of a missing member
    fails("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','op':'remove'}]",
        "error in remove for path: '/baz': Unable to remove nonexistent key: baz: missing value");
  }

  @Test
  void a15ComparingStringsAndNumbers() {
    fails("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", "testing value /~01 failed: test failed");
  }

  // ---------------------------------------------------------------- what kubectl patch --type=json sends

  static final String POD = """
      {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'A':'true','app':'web'},
        'annotations':{'example.com/owner':'me'}},
       'spec':{'containers':[{'name':'c','image':'nginx','args':['-g'],
         'ports':[{'containerPort':80},{'containerPort':443}]}]}}""";

  @Test
  void kubectlPatchJsonAddReplaceRemove() {
    JsonNode out = apply(POD, """
        [{'op':'add','path':'/metadata/labels/new','value':'v'},
         {'op':'replace','path':'/spec/containers/0/image','value':'nginx:1.25'},
         {'op':'remove','path':'/spec/containers/0/ports/1'},
         {'op':'add','path':'/spec/containers/0/args/-','value':'daemon off;'},
         {'op':'remove','path':'/metadata/annotations/example.com~1owner'}]""");
    assertEquals(j("{'A':'true','app':'web','new':'v'}"), out.at("/metadata/labels"));
    assertEquals("nginx:1.25", out.at("/spec/containers/0/image").asText());
    assertEquals(j("[{'containerPort':80}]"), out.at("/spec/containers/0/ports"));
    assertEquals(j("['-g','daemon off;']"), out.at("/spec/containers/0/args"));
    assertEquals(j("{}"), out.at("/metadata/annotations"));
  }

  @Test
  void kubectlPatchJsonTestThenReplace() {
    String patch = "[{'op':'test','path':'/metadata/labels/A','value':'true'},"
        + "{'op':'replace','path':'/metadata/labels/A','value':'false'}]";
    assertEquals("false", apply(POD, patch).at("/metadata/labels/A").asText());
    String changed = POD.replace("'A':'true'", "'A':'no'");
    fails(changed, patch, "testing value /metadata/labels/A failed: test failed");
  }

  @Test
  void scaleAsJsonPatch() {
    assertEquals(5, apply("{'spec':{'replicas':2}}", "[{'op':'replace','path':'/spec/replicas','value':5}]")
        .at("/spec/replicas").asInt());
  }

  // ---------------------------------------------------------------- evanphx/json-patch v4 behaviour

  @Test
  void replaceOfAMissingMemberAddsIt() {
    assertEquals(j("{'a':1,'b':2}"), apply("{'a':1}", "[{'op':'replace','path':'/b','value':2}]"));
  }

  @Test
  void replaceOfAMissingIndexFails() {
    fails("{'a':[1]}", "[{'op':'replace','path':'/a/3','value':2}]",
        "replace operation does not apply: doc is missing key: /a/3: missing value");
  }

  @Test
  void negativeIndexesCountFromTheEnd() {
    assertEquals(j("{'a':[1,2,9]}"), apply("{'a':[1,2,3]}", "[{'op':'replace','path':'/a/-1','value':9}]"));
    assertEquals(j("{'a':[1,3]}"), apply("{'a':[1,2,3]}", "[{'op':'remove','path':'/a/-2'}]"));
    // add: -1 is the position after the last element
    assertEquals(j("{'a':[1,2,3,4]}"), apply("{'a':[1,2,3]}", "[{'op':'add','path':'/a/-1','value':4}]"));
    assertEquals(j("{'a':[0,1,2,3]}"), apply("{'a':[1,2,3]}", "[{'op':'add','path':'/a/-4','value':0}]"));
    fails("{'a':[1,2,3]}", "[{'op':'add','path':'/a/-5','value':0}]",
        "error in add for path: '/a/-5': Unable to access invalid index: -5: invalid index referenced");
  }

  @Test
  void arrayIndexErrors() {
    fails("{'a':[1]}", "[{'op':'add','path':'/a/3','value':2}]",
        "error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced");
    fails("{'a':[1]}", "[{'op':'add','path':'/a/x','value':2}]",
        "error in add for path: '/a/x': value was not a proper array index: 'x': "
            + "strconv.Atoi: parsing \"x\": invalid syntax");
    fails("{'a':[1]}", "[{'op':'remove','path':'/a/-'}]",
        "error in remove for path: '/a/-': strconv.Atoi: parsing \"-\": invalid syntax");
    fails("{'a':[1]}", "[{'op':'remove','path':'/a/1'}]",
        "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced");
    fails("{'a':[1]}", "[{'op':'add','path':'/a/99999999999999999999','value':2}]",
        "error in add for path: '/a/99999999999999999999': value was not a proper array index: "
            + "'99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range");
    // appending at len is allowed
    assertEquals(j("{'a':[1,2]}"), apply("{'a':[1]}", "[{'op':'add','path':'/a/1','value':2}]"));
  }

  @Test
  void missingPathsAndMembers() {
    fails("{'a':1}", "[{'op':'remove','path':'/b'}]",
        "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value");
    fails("{'a':1}", "[{'op':'remove','path':'/b/c'}]",
        "remove operation does not apply: doc is missing path: \"/b/c\": missing value");
    fails("{'a':1}", "[{'op':'replace','path':'/b/c','value':1}]",
        "replace operation does not apply: doc is missing path: /b/c: missing value");
    fails("{'a':1}", "[{'op':'move','from':'/b','path':'/c'}]",
        "error in move for path: 'b': Unable to remove nonexistent key: b: missing value");
    fails("{'a':1}", "[{'op':'test','path':'/b/c','value':1}]",
        "test operation does not apply: is missing path: /b/c: missing value");
    fails("{'a':1}", "[{'op':'add','value':1}]", "add operation failed to decode path: missing value");
    fails("{'a':1}", "[{'op':'replace','value':1}]",
        "replace operation failed to decode path: operation missing path field: missing value");
    fails("{'a':1}", "[{'op':'copy','path':'/b'}]",
        "copy operation failed to decode from: operation, missing from field: missing value");
    fails("{'a':1}", "[{'op':'jump','path':'/a'}]", "Unexpected kind: jump");
    fails("{'a':1}", "[{'path':'/a'}]", "Unexpected kind: unknown");
    // a scalar is not a container
    fails("{'a':1}", "[{'op':'add','path':'/a/b','value':1}]",
        "add operation does not apply: doc is missing path: \"/a/b\": missing value");
  }

  @Test
  void theRootPath() {
    fails("{'a':1}", "[{'op':'add','path':'','value':{}}]",
        "add operation does not apply: doc is missing path: \"\": missing value");
    assertEquals(j("{'b':2}"), apply("{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]"));
    // a scalar value is silently ignored (errors.Wrapf(nil, ...) is nil)
    assertEquals(j("{'a':1}"), apply("{'a':1}", "[{'op':'replace','path':'','value':3}]"));
    assertEquals(j("{'a':1}"), apply("{'a':1}", "[{'op':'test','path':'','value':{'a':1}}]"));
    // "/" is the member named ""
    assertEquals(j("{'a':1,'':2}"), apply("{'a':1}", "[{'op':'add','path':'/','value':2}]"));
  }

  @Test
  void aPathWithoutLeadingSlashLosesItsFirstSegment() {
    assertEquals(j("{'a':1,'b':2}"), apply("{'a':1}", "[{'op':'add','path':'x/b','value':2}]"));
  }

  @Test
  void testTreatsMissingAndNullAlikeAndComparesNumbersByText() {
    assertEquals(j("{'a':null}"), apply("{'a':null}", "[{'op':'test','path':'/b','value':null}]"));
    assertEquals(j("{'a':null}"), apply("{'a':null}", "[{'op':'test','path':'/a','value':null}]"));
    fails("{'a':1}", "[{'op':'test','path':'/a','value':1.0}]", "testing value /a failed: test failed");
    fails("{'a':1}", "[{'op':'test','path':'/a'}]", "testing value /a failed: test failed");
    assertEquals(j("{'a':{'b':[1,{'c':true}]}}"),
        apply("{'a':{'b':[1,{'c':true}]}}", "[{'op':'test','path':'/a','value':{'b':[1,{'c':true}]}}]"));
    fails("{'a':{'b':[1,{'c':true}]}}", "[{'op':'test','path':'/a','value':{'b':[1,{'c':false}]}}]",
        "testing value /a failed: test failed");
  }

  @Test
  void copyFromAMissingMemberCopiesNull() {
    assertEquals(j("{'a':1,'c':null}"), apply("{'a':1}", "[{'op':'copy','from':'/b','path':'/c'}]"));
  }

  @Test
  void addWithoutValueAddsNull() {
    assertEquals(j("{'a':1,'b':null}"), apply("{'a':1}", "[{'op':'add','path':'/b'}]"));
  }

  @Test
  void moveIntoItselfFails() {
    fails("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/c'}]",
        "move operation does not apply: doc is missing destination path: /a/c: missing value");
  }

  @Test
  void operationsApplyInOrderAndStopAtTheFirstFailure() {
    fails("{'a':1}", "[{'op':'add','path':'/b','value':2},{'op':'test','path':'/b','value':3}]",
        "testing value /b failed: test failed");
    assertEquals(j("{'c':2}"), apply("{'a':1}",
        "[{'op':'add','path':'/b','value':2},{'op':'move','from':'/b','path':'/c'},{'op':'remove','path':'/a'}]"));
  }

  // ---------------------------------------------------------------- the handler's errors

  @Test
  void aPatchThatIsNotAListIsABadRequest() {
    PatchException e = assertThrows(PatchException.class,
        () -> apply("{}", "{'op':'add','path':'/a','value':1}"));
    assertEquals(400, e.code());
    assertEquals("BadRequest", e.reason());
    assertEquals("json: cannot unmarshal object into Go value of type jsonpatch.Patch", e.getMessage());
    PatchException op = assertThrows(PatchException.class, () -> apply("{}", "['add']"));
    assertEquals(400, op.code());
    assertEquals("json: cannot unmarshal string into Go value of type jsonpatch.Operation", op.getMessage());
  }

  @Test
  void nullOrEmptyPatchesAreNoOps() {
    assertEquals(j("{'a':1}"), apply("{'a':1}", "null"));
    assertEquals(j("{'a':1}"), apply("{'a':1}", "[]"));
  }

  @Test
  void tooManyOperations() {
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      ops.add(j("{'op':'test','path':'/a','value':1}"));
    }
    PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(j("{'a':1}"), ops));
    assertEquals(413, e.code());
    assertEquals("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001",
        e.getMessage());
    ops.remove(0);
    assertEquals(j("{'a':1}"), JsonPatch.apply(j("{'a':1}"), ops));
  }

  @Test
  void whereTheLibraryPanicsTheServerAnswers500() {
    PatchException e = assertThrows(PatchException.class, () -> apply("{'a':1}", "[{'op':'test','path':'/b'}]"));
    assertEquals(500, e.code());
    assertEquals(PatchException.PANIC_MESSAGE, e.getMessage());
  }

  @Test
  void copiesAreLimitedTo3MiB() {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 1024 * 1024 - 2; i++) { // 1 MiB once quoted
      big.append('x');
    }
    JsonNode doc = JsonNodeFactory.instance.objectNode().put("a", big.toString());
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < 3; i++) {
      ops.add(j("{'op':'copy','from':'/a','path':'/c" + i + "'}"));
    }
    assertEquals(4, JsonPatch.apply(doc, ops).size()); // exactly 3 MiB is allowed
    ops.add(j("{'op':'copy','from':'/a','path':'/d'}"));
    PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(doc, ops));
    assertEquals(422, e.code());
    assertEquals("Unable to complete the copy, the accumulated size increase of copy is 4194304, exceeding the "
        + "limit 3145728", e.detail());
  }
}
