package io.kemu.apiserver.apply;

import static io.kemu.apiserver.apply.Fixture.KBF;
import static io.kemu.apiserver.apply.Fixture.NS;
import static io.kemu.apiserver.apply.Fixture.P;
import static io.kemu.apiserver.apply.Fixture.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fieldpath's set, path and FieldsV1 serialization (fieldpath/set_test.go, serialize_test.go, element_test.go). */
class FieldSetTest {
  /** TestSerializeV1GoldenData: FieldsV1 read then written back byte for byte. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"f:aaa\":{},\"f:aab\":{},\"f:aac\":{},\"f:aad\":{},\"f:aae\":{},\"f:aaf\":{},\"k:{\\\"name\\\":\\\"first\\\"}\":{},\"k:{\\\"name\\\":\\\"second\\\"}\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{},\"v:1\":{},\"v:2\":{},\"v:3\":{},\"v:\\\"aa\\\"\":{},\"v:\\\"ab\\\"\":{},\"v:true\":{},\"i:1\":{},\"i:2\":{},\"i:3\":{},\"i:4\":{}}",
      "{\"f:aaa\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{\"v:3\":{\"f:aab\":{}}},\"v:3\":{},\"v:true\":{}},\"f:aab\":{\"f:aaa\":{},\"f:aaf\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"udp\\\"}\":{\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{}}},\"k:{\\\"name\\\":\\\"first\\\"}\":{}},\"f:aac\":{\"f:aaa\":{\"v:1\":{}},\"f:aac\":{},\"v:3\":{\"k:{\\\"name\\\":\\\"second\\\"}\":{}}},\"i:1\":{\"i:3\":{\"f:aaf\":{}}},\"i:2\":{\"f:aae\":{},\"k:{\\\"port\\\":443,\\\"protocol\\\":\\\"tcp\\\"}\":{\"v:1\":{}}}}",
      "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{},\"f:protocol\":{}}}}}}}"
  })
  void goldenFieldsV1RoundTrips(String json) {
    assertEquals(json, FieldSet.fromJson(json).toJsonString());
  }

  @Test
  void aMemberWithChildrenIsWrittenWithDot() {
    FieldSet s = NS(P("spec", "containers", KBF("name", "nginx")), P("spec", "containers", KBF("name", "nginx"), "image"));
    assertEquals("{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{}}}}}",
        s.toJsonString());
    assertEquals(s, FieldSet.fromJson(s.toJsonString()));
  }

  @Test
  void unknownPathElementTypesAreSkipped() {
    FieldSet s = FieldSet.fromJson("{\"f:a\":{},\"x:b\":{}}");
    assertEquals(NS(P("a")), s);
  }

  /** TestSetInsertHas. */
  @Test
  void insertHas() {
    FieldSet s = NS(P("foo", 0, "bar", "baz"), P("foo", 0, "bar"), P("foo", 0), P("foo", 1, "bar", "baz"),
        P("foo", 1, "bar"), P("qux", KBF("name", "first")), P("qux", KBF("name", "first"), "bar"),
        P("qux", KBF("name", "second"), "bar"), P("canonicalOrder", KBF("a", "a", "b", "a", "c", "a", "d", "a",
            "e", "a", "f", "a")));
    for (List<PathElement> p : List.of(P("foo", 0, "bar", "baz"), P("foo", 0, "bar"), P("foo", 0),
        P("qux", KBF("name", "first")), P("qux", KBF("name", "second"), "bar"),
        P("canonicalOrder", KBF("f", "a", "e", "a", "d", "a", "c", "a", "b", "a", "a", "a")))) {
      assertTrue(s.has(p), PathElement.pathString(p));
    }
    for (List<PathElement> p : List.of(P("foo"), P("foo", 0, "bar", "baz", 1), P("qux", KBF("name", "second")),
        P("qux", KBF("name", "third"), "bar"))) {
      assertFalse(s.has(p), PathElement.pathString(p));
    }
  }

  /** TestSetString / PathElement.String. */
  @Test
  void pathStrings() {
    assertEquals(".foo[0].bar[name=\"first\"].baz[=5]",
        PathElement.pathString(P("foo", 0, "bar", KBF("name", "first"), "baz", V(5))));
    assertEquals("[port=443,protocol=\"TCP\"]", KBF("protocol", "TCP", "port", 443).toString());
    assertEquals(".spec.replicas", PathElement.pathString(P("spec", "replicas")));
  }

  /** TestSetUnion / TestSetIntersectionDifference. */
  @Test
  void unionIntersectionDifference() {
    FieldSet s1 = NS(P("a", "b"), P("a", "c"), P("b"), P("x", KBF("name", "1")));
    FieldSet s2 = NS(P("a", "c"), P("a", "d"), P("c"), P("x", KBF("name", "1"), "v"));
    assertEquals(NS(P("a", "b"), P("a", "c"), P("a", "d"), P("b"), P("c"), P("x", KBF("name", "1")),
        P("x", KBF("name", "1"), "v")), s1.union(s2));
    assertEquals(NS(P("a", "c")), s1.intersection(s2));
    assertEquals(NS(P("a", "b"), P("b"), P("x", KBF("name", "1"))), s1.difference(s2));
    assertEquals(NS(P("a", "d"), P("c"), P("x", KBF("name", "1"), "v")), s2.difference(s1));
  }

  /** TestSetDifference: a member removes only itself; RecursiveDifference removes its children too. */
  @Test
  void recursiveDifference() {
    FieldSet s = NS(P("a"), P("a", "b"), P("a", "b", "c"), P("d"));
    assertEquals(NS(P("a", "b"), P("a", "b", "c"), P("d")), s.difference(NS(P("a"))));
    assertEquals(NS(P("d")), s.recursiveDifference(NS(P("a"))));
    assertEquals(NS(P("a"), P("d")), s.recursiveDifference(NS(P("a", "b"))));
  }

  /** TestSetLeaves. */
  @Test
  void leaves() {
    FieldSet s = NS(P("path1"), P("path2", "path3"), P("path2"), P("path4", "path5", "path6"),
        P("path4", "path5"));
    assertEquals(NS(P("path1"), P("path2", "path3"), P("path4", "path5", "path6")), s.leaves());
  }

  @Test
  void sizeAndIteration() {
    FieldSet s = NS(P("b"), P("a", "x"), P("a"), P("c", KBF("k", 1)));
    assertEquals(4, s.size());
    assertEquals(".a\n.b\n.a.x\n.c[k=1]", s.toString());
  }
}
