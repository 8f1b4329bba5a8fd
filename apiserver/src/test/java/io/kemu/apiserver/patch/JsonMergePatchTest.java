package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7386 as kube-apiserver applies it (evanphx/json-patch v4.12.0 MergePatch). */
class JsonMergePatchTest {

  /** RFC 7386 appendix A; the two rows kube answers differently are in their own tests. */
  static Stream<Arguments> rfcAppendix() {
    return Stream.of(
        Arguments.of("{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
        Arguments.of("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
        Arguments.of("{'a':'b'}", "{'a':null}", "{}"),
        Arguments.of("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
        Arguments.of("{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
        Arguments.of("{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
        Arguments.of("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"),
        Arguments.of("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
        Arguments.of("['a','b']", "['c','d']", "['c','d']"),
        Arguments.of("{'a':'b'}", "['c']", "['c']"),
        Arguments.of("{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
        Arguments.of("[1,2]", "{'a':'b','c':null}", "{'a':'b'}"),
        Arguments.of("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("rfcAppendix")
  void rfc7386Examples(String original, String patch, String expected) {
    JsonNode doc = j(original);
    JsonNode p = j(patch);
    assertEquals(j(expected), JsonMergePatch.apply(doc, p));
    assertEquals(j(original), doc, "the document must not be modified");
    assertEquals(j(patch), p, "the patch must not be modified");
  }

  @Test
  void nullAndScalarPatchDocumentsAreRejected() {
    // RFC 7386 would give null and "bar"; kube answers 400 Invalid JSON Patch
    for (String patch : new String[] {"null", "'bar'", "1", "true"}) {
      PatchException e = assertThrows(PatchException.class, () -> JsonMergePatch.apply(j("{'a':'foo'}"), j(patch)));
      assertEquals(400, e.code(), patch);
      assertEquals("Invalid JSON Patch", e.getMessage());
    }
  }

  @Test
  void nullsInsideObjectsOfArraysArePrunedWhenInserted() {
    // the RFC keeps arrays verbatim; json-patch v4 prunes nulls of objects nested in them
    assertEquals(j("{'a':[{'c':1},null]}"), JsonMergePatch.apply(j("{}"), j("{'a':[{'b':null,'c':1},null]}")));
    assertEquals(j("{'a':[{'c':1}]}"), JsonMergePatch.apply(j("{'a':'x'}"), j("{'a':[{'b':null,'c':1}]}")));
    // replacing an existing object by an array keeps its nulls (merge returns the patch as is)
    assertEquals(j("{'a':[{'b':null}]}"), JsonMergePatch.apply(j("{'a':{'z':1}}"), j("{'a':[{'b':null}]}")));
  }

  @Test
  void aNullInTheDocumentIsReplacedLikeAMissingValue() {
    assertEquals(j("{'a':{'b':1}}"), JsonMergePatch.apply(j("{'a':null}"), j("{'a':{'b':1,'c':null}}")));
  }

  // ---------------------------------------------------------------- what kubectl sends

  static final String POD = """
      {'apiVersion':'v1','kind':'Pod','metadata':{'name':'x','namespace':'default','labels':{'app':'web','a':'old'},
        'annotations':{'note':'1'}},
       'spec':{'containers':[{'name':'c','image':'nginx'},{'name':'d','image':'busybox'}]}}""";

  @Test
  void kubectlLabel() {
    // kubectl label pod x a=b --overwrite: jsonpatch.CreateMergePatch(old, new), sent as a merge patch
    JsonNode out = JsonMergePatch.apply(j(POD), j("{'metadata':{'labels':{'a':'b'}}}"));
    assertEquals(j("{'app':'web','a':'b'}"), out.at("/metadata/labels"));
    assertEquals(j(POD).at("/spec"), out.at("/spec"));
    // kubectl label pod x a-
    JsonNode removed = JsonMergePatch.apply(j(POD), j("{'metadata':{'labels':{'a':null}}}"));
    assertEquals(j("{'app':'web'}"), removed.at("/metadata/labels"));
  }

  @Test
  void kubectlAnnotate() {
    JsonNode out = JsonMergePatch.apply(j(POD), j("{'metadata':{'annotations':{'note':null,'owner':'me'}}}"));
    assertEquals(j("{'owner':'me'}"), out.at("/metadata/annotations"));
  }

  @Test
  void kubectlScale() {
    String scale = """
        {'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web','namespace':'default'},
         'spec':{'replicas':1},'status':{'replicas':1,'selector':'app=web'}}""";
    JsonNode out = JsonMergePatch.apply(j(scale), j("{'spec':{'replicas':3}}"));
    assertEquals(3, out.at("/spec/replicas").asInt());
    assertEquals(1, out.at("/status/replicas").asInt());
  }

  @Test
  void listsAreReplacedNotMerged() {
    JsonNode out = JsonMergePatch.apply(j(POD),
        j("{'spec':{'containers':[{'name':'c','image':'nginx:1.25'}]}}"));
    assertEquals(j("[{'name':'c','image':'nginx:1.25'}]"), out.at("/spec/containers"));
  }
}
