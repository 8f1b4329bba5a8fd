package io.kemu.apiserver.apply;

import static io.kemu.apiserver.apply.Fixture.KBF;
import static io.kemu.apiserver.apply.Fixture.NS;
import static io.kemu.apiserver.apply.Fixture.P;
import static io.kemu.apiserver.apply.Fixture.V;
import static io.kemu.apiserver.apply.Fixture.managed;
import static io.kemu.apiserver.apply.Fixture.p;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** structured-merge-diff's merge tests (merge/leaf_test.go, set_test.go, key_test.go, ...), same inputs. */
class UpdaterUpstreamCasesTest {
  /** leafFields: numeric, string, bool. */
  static Fixture leaf() {
    return new Fixture(Fixture.struct("numeric", Fixture.scalar(), "string", Fixture.scalar(), "bool",
        Fixture.scalar()));
  }

  /** sets: list, an associative list of strings. */
  static Fixture sets() {
    return new Fixture(Fixture.struct("list", Fixture.setOf(Fixture.scalar())));
  }

  /** type: list, an associative list keyed by name of {name, value}. */
  static Fixture associative() {
    return new Fixture(Fixture.struct("list", Fixture.mapList(Fixture.struct("name", Fixture.scalar(), "value",
        Fixture.scalar()), "name")));
  }

  @Nested
  class Leaf {
    @Test
    void applyTwice() {
      Fixture f = leaf()
          .apply("default", "numeric: 1\nstring: \"string\"\n")
          .apply("default", "numeric: 2\nstring: \"string\"\nbool: false\n");
      f.expectObject("numeric: 2\nstring: \"string\"\nbool: false\n");
      f.expectManaged(managed("default", NS(P("numeric"), P("string"), P("bool"))));
    }

    @Test
    void applyUpdateApplyNoConflict() {
      Fixture f = leaf()
          .apply("default", "numeric: 1\nstring: \"string\"\n")
          .update("controller", "numeric: 1\nstring: \"string\"\nbool: true\n")
          .apply("default", "numeric: 2\nstring: \"string\"\n");
      f.expectObject("numeric: 2\nstring: \"string\"\nbool: true\n");
      f.expectManaged(managed("default", NS(P("numeric"), P("string")), "controller", NS(P("bool"))));
    }

    @Test
    void applyUpdateApplyWithConflict() {
      Fixture f = leaf()
          .apply("default", "numeric: 1\nstring: \"string\"\n")
          .update("controller", "numeric: 1\nstring: \"controller string\"\nbool: true\n")
          .applyConflicts("default", "numeric: 2\nstring: \"user string\"\n", "controller", p("string"))
          .forceApply("default", "numeric: 2\nstring: \"user string\"\n");
      f.expectObject("numeric: 2\nstring: \"user string\"\nbool: true\n");
      f.expectManaged(managed("default", NS(P("numeric"), P("string")), "controller", NS(P("bool"))));
    }

    @Test
    void applyTwiceRemove() {
      Fixture f = leaf()
          .apply("default", "numeric: 1\nstring: \"string\"\nbool: false\n")
          .apply("default", "string: \"new string\"\n");
      f.expectObject("string: \"new string\"\n");
      f.expectManaged(managed("default", NS(P("string"))));
    }

    @Test
    void updateApplyOmits() {
      Fixture f = leaf()
          .apply("default", "numeric: 2\n")
          .update("controller", "numeric: 1\n")
          .apply("default", "");
      f.expectObject("numeric: 1\n");
      f.expectManaged(managed("controller", NS(P("numeric"))));
    }

    @Test
    void updateRemoveEmptySet() {
      Fixture f = leaf()
          .apply("default", "string: \"string\"\n")
          .update("controller", "string: \"new string\"\n");
      f.expectObject("string: \"new string\"\n");
      f.expectManaged(managed("controller", NS(P("string"))));
    }

    @Test
    void applyRemoveEmptySet() {
      Fixture f = leaf()
          .apply("default", "string: \"string\"\n")
          .apply("default", "");
      f.expectObject("");
      f.expectManaged(managed());
    }
  }

  @Nested
  class Set {
    @Test
    void applyTwice() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- c\n")
          .apply("default", "list:\n- a\n- b\n- c\n- d\n");
      f.expectObject("list:\n- a\n- b\n- c\n- d\n");
      f.expectManaged(managed("default", NS(P("list", V("a")), P("list", V("b")), P("list", V("c")),
          P("list", V("d")))));
    }

    @Test
    void applyUpdateApplyNoOverlap() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- c\n")
          .update("controller", "list:\n- a\n- b\n- c\n- d\n")
          .apply("default", "list:\n- a\n- aprime\n- c\n- cprime\n");
      f.expectObject("list:\n- a\n- b\n- aprime\n- c\n- d\n- cprime\n");
      f.expectManaged(managed(
          "default", NS(P("list", V("a")), P("list", V("aprime")), P("list", V("c")), P("list", V("cprime"))),
          "controller", NS(P("list", V("b")), P("list", V("d")))));
    }

    @Test
    void applyUpdateApplyWithOverlap() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- c\n")
          .update("controller", "list:\n- a\n- b\n- c\n- d\n")
          .apply("default", "list:\n- a\n- b\n- c\n");
      f.expectObject("list:\n- a\n- b\n- c\n- d\n");
      f.expectManaged(managed(
          "default", NS(P("list", V("a")), P("list", V("b")), P("list", V("c"))),
          "controller", NS(P("list", V("b")), P("list", V("d")))));
    }

    @Test
    void applyTwiceReorder() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- b\n- c\n- d\n")
          .apply("default", "list:\n- a\n- d\n- c\n- b\n");
      f.expectObject("list:\n- a\n- d\n- c\n- b\n");
      f.expectManaged(managed("default", NS(P("list", V("a")), P("list", V("b")), P("list", V("c")),
          P("list", V("d")))));
    }

    @Test
    void applyUpdateApplyReorder() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- b\n- c\n- d\n")
          .update("controller", "list:\n- a\n- d\n- c\n- b\n")
          .apply("default", "list:\n- a\n- b\n- c\n- d\n");
      f.expectObject("list:\n- a\n- b\n- c\n- d\n");
      f.expectManaged(managed("default", NS(P("list", V("a")), P("list", V("b")), P("list", V("c")),
          P("list", V("d")))));
    }

    @Test
    void applyTwiceRemove() {
      Fixture f = sets()
          .apply("default", "list:\n- a\n- b\n- c\n- d\n")
          .apply("default", "list:\n- a\n- c\n");
      f.expectObject("list:\n- a\n- c\n");
      f.expectManaged(managed("default", NS(P("list", V("a")), P("list", V("c")))));
    }
  }

  @Nested
  class Key {
    @Test
    void removingObsoleteAppliedStructs() {
      Fixture f = associative()
          .apply("default", "list:\n- name: a\n  value: 1\n")
          .apply("default", "list:\n- name: b\n  value: 2\n");
      f.expectObject("list:\n- name: b\n  value: 2\n");
      f.expectManaged(managed("default", NS(P("list", KBF("name", "b")), P("list", KBF("name", "b"), "name"),
          P("list", KBF("name", "b"), "value"))));
    }

    /** multiple_appliers_test.go TestMultipleAppliersSet "remove_one": another applier keeps its item. */
    @Test
    void twoAppliersEachKeepTheirItems() {
      Fixture f = associative()
          .apply("apply-one", "list:\n- name: a\n- name: b\n")
          .apply("apply-two", "list:\n- name: c\n")
          .apply("apply-one", "list:\n- name: a\n");
      f.expectObject("list:\n- name: a\n- name: c\n");
      f.expectManaged(managed(
          "apply-one", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name")),
          "apply-two", NS(P("list", KBF("name", "c")), P("list", KBF("name", "c"), "name"))));
    }

    /** TestMultipleAppliersSet "same_value_no_conflict": two appliers may share a field with the same value. */
    @Test
    void sameValueNoConflict() {
      Fixture f = associative()
          .apply("apply-one", "list:\n- name: a\n  value: 0\n")
          .apply("apply-two", "list:\n- name: a\n  value: 0\n");
      f.expectObject("list:\n- name: a\n  value: 0\n");
      f.expectManaged(managed(
          "apply-one", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name"),
              P("list", KBF("name", "a"), "value")),
          "apply-two", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name"),
              P("list", KBF("name", "a"), "value"))));
    }

    /** TestMultipleAppliersSet "change_value_yes_conflict", then forced. */
    @Test
    void changeValueConflictsThenForce() {
      Fixture f = associative()
          .apply("apply-one", "list:\n- name: a\n  value: 0\n")
          .applyConflicts("apply-two", "list:\n- name: a\n  value: 1\n",
              "apply-one", p("list", KBF("name", "a"), "value"))
          .forceApply("apply-two", "list:\n- name: a\n  value: 1\n");
      f.expectObject("list:\n- name: a\n  value: 1\n");
      f.expectManaged(managed(
          "apply-one", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name")),
          "apply-two", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name"),
              P("list", KBF("name", "a"), "value"))));
    }

    /** TestMultipleAppliersSet "remove_one_keep_one": c stays, another applier owns it too. */
    @Test
    void removeOneKeepOne() {
      Fixture f = associative()
          .apply("apply-one", "list:\n- name: a\n- name: b\n- name: c\n")
          .apply("apply-two", "list:\n- name: c\n- name: d\n")
          .apply("apply-one", "list:\n- name: a\n");
      f.expectObject("list:\n- name: a\n- name: c\n- name: d\n");
      f.expectManaged(managed(
          "apply-one", NS(P("list", KBF("name", "a")), P("list", KBF("name", "a"), "name")),
          "apply-two", NS(P("list", KBF("name", "c")), P("list", KBF("name", "d")),
              P("list", KBF("name", "c"), "name"), P("list", KBF("name", "d"), "name"))));
    }
  }

  /** typed/merge_test.go: merge order of associative lists. */
  @Nested
  class Merge {
    @Test
    void mergeKeepsRhsOrderAndLhsOnlyItemsInPlace() {
      Schema.Type t = Fixture.setOf(Fixture.scalar());
      Schema.Type root = Fixture.struct("list", t);
      assertMerge(root, "list:\n- a\n- b\n- c\n", "list:\n- c\n- a\n", "list:\n- b\n- c\n- a\n");
      assertMerge(root, "list:\n- a\n- b\n", "list:\n- x\n- a\n", "list:\n- x\n- a\n- b\n");
      assertMerge(root, "list:\n- a\n- b\n", "list:\n- b\n- x\n", "list:\n- a\n- b\n- x\n");
    }

    @Test
    void mergeOfStructsKeepsBothSides() {
      Schema.Type root = Fixture.struct("a", Fixture.scalar(), "b", Fixture.struct("c", Fixture.scalar(),
          "d", Fixture.scalar()));
      assertMerge(root, "a: 1\nb:\n  c: 1\n", "b:\n  d: 2\n", "a: 1\nb:\n  c: 1\n  d: 2\n");
    }

    @Test
    void atomicListIsReplaced() {
      Schema.Type root = Fixture.struct("list", Fixture.atomicList(Fixture.scalar()));
      assertMerge(root, "list:\n- a\n- b\n", "list:\n- c\n", "list:\n- c\n");
    }

    private void assertMerge(Schema.Type t, String lhs, String rhs, String want) {
      org.junit.jupiter.api.Assertions.assertEquals(Fixture.yaml(want),
          Typed.merge(Fixture.yaml(lhs), Fixture.yaml(rhs), t));
    }
  }
}
