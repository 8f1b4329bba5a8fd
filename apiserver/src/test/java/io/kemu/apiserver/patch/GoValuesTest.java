package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Go semantics the ports rely on: fmt verbs in error texts, ==, and sort.SliceStable. */
class GoValuesTest {

  @Test
  void percentVFormatsLikeFmt() {
    Object v = GoValues.fromJson(j("{'b':[1,'x',true,null],'a':{'d':1.5,'c':1e6}}"));
    assertEquals("map[a:map[c:1e+06 d:1.5] b:[1 x true <nil>]]", GoValues.v(v));
    assertEquals("100000", GoValues.formatFloat(100000.0));
    assertEquals("1.23456789e+08", GoValues.formatFloat(123456789.0));
    assertEquals("0.0001", GoValues.formatFloat(0.0001));
    assertEquals("1e-05", GoValues.formatFloat(0.00001));
    assertEquals("-2.5", GoValues.formatFloat(-2.5));
  }

  @Test
  void percentSOfNonStrings() {
    assertEquals("merge", GoValues.s("merge"));
    assertEquals("%!s(int64=5)", GoValues.s(5L));
    assertEquals("%!s(<nil>)", GoValues.s(null));
    assertEquals("map[a:%!s(bool=true)]", GoValues.s(GoValues.fromJson(j("{'a':true}"))));
  }

  @Test
  void interfaceEquality() {
    assertTrue(GoValues.eq(1L, 1L));
    assertFalse(GoValues.eq(1L, 1.0d)); // int64 vs float64
    assertFalse(GoValues.eq("1", 1L));
    assertTrue(GoValues.eq(null, null));
    assertFalse(GoValues.eq(GoValues.fromJson(j("{}")), "x"));
    assertThrows(GoValues.GoPanic.class, () -> GoValues.eq(GoValues.fromJson(j("{}")), GoValues.fromJson(j("{}"))));
  }

  @Test
  void integersAndFloatsRoundTrip() {
    assertEquals(j("{'i':1,'l':9223372036854775807,'f':1.5,'g':2}"),
        GoValues.toJson(GoValues.fromJson(j("{'i':1,'l':9223372036854775807,'f':1.5,'g':2.0}"))));
  }

  @Test
  void sliceStableMatchesAStableSortForAConsistentLess() {
    Random r = new Random(42);
    for (int n = 0; n < 120; n++) {
      List<int[]> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(new int[] {r.nextInt(7), i}); // key, original position
      }
      List<int[]> expected = new ArrayList<>(items);
      expected.sort(Comparator.comparingInt(a -> a[0]));
      List<int[]> got = new ArrayList<>(items);
      GoSort.sliceStable(got, (i, j) -> got.get(i)[0] < got.get(j)[0]);
      for (int i = 0; i < n; i++) {
        assertEquals(expected.get(i)[1], got.get(i)[1], "n=" + n + " i=" + i);
      }
    }
  }

  @Test
  void sliceStableWithAnAlwaysTrueLessReversesSmallSlices() {
    // what strategicpatch's "less" does to items missing from the order list: insertion sort moves each to the front
    List<Integer> l = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    GoSort.sliceStable(l, (i, j) -> true);
    assertEquals(List.of(5, 4, 3, 2, 1), l);
  }
}
