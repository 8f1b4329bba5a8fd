package io.kemu.api.selectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "replicas", "3");

  @Test
  void equalityAndSetBasedRequirementsAreAllRequired() {
    assertTrue(LabelSelector.parse("app=web").matches(LABELS));
    assertTrue(LabelSelector.parse("app==web,tier!=back").matches(LABELS));
    assertTrue(LabelSelector.parse("app in (web, api),tier notin (back)").matches(LABELS));
    assertTrue(LabelSelector.parse("app,!missing").matches(LABELS));
    assertTrue(LabelSelector.parse("replicas>2,replicas<4").matches(LABELS));
    assertFalse(LabelSelector.parse("app=web,tier=back").matches(LABELS));
    assertFalse(LabelSelector.parse("missing").matches(LABELS));
    assertFalse(LabelSelector.parse("!app").matches(LABELS));
    assertTrue(LabelSelector.parse("missing!=x").matches(LABELS), "!= matches an absent label");
    assertTrue(LabelSelector.parse("").matches(Map.of()));
  }

  @Test
  void rendersLikeApimachinery() {
    assertEquals("app=web,tier in (a,b)", LabelSelector.parse("app = web, tier in (b,a)").toString());
    assertEquals("app=webd", LabelSelector.fromMap(Map.of("app", "webd")).toString());
  }

  @Test
  void badSelectorsAreRejected() {
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("app=we b"));
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("a in b"));
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("-bad=x"));
    assertThrows(SelectorParseException.class, () -> LabelSelector.parse("x>y"));
    assertThrows(SelectorParseException.class, () -> FieldSelector.parse("spec.nodeName"));
  }

  @Test
  void nullMetav1SelectorMatchesNothingAndEmptyMatchesEverything() {
    assertFalse(LabelSelector.fromLabelSelector(null).matches(LABELS));
    assertTrue(LabelSelector.fromLabelSelector(new io.fabric8.kubernetes.api.model.LabelSelector()).matches(LABELS));
  }

  @Test
  void fieldSelectorsCompareStringsAndTreatMissingAsEmpty() {
    Map<String, String> fields = Map.of("metadata.name", "nginx", "spec.nodeName", "");
    assertTrue(FieldSelector.parse("metadata.name=nginx").matches(fields));
    assertTrue(FieldSelector.parse("spec.nodeName=").matches(fields));
    assertFalse(FieldSelector.parse("spec.nodeName!=").matches(fields));
    assertTrue(FieldSelector.parse("status.phase!=Running").matches(fields));
    assertEquals("nginx", FieldSelector.parse("involvedObject.uid=1,metadata.name==nginx")
        .requiredValue("metadata.name"));
  }
}
