package io.kemu.apiserver.printers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void formatLabelsSortsByKey() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("b", "2");
        labels.put("a", "1");
        assertEquals("a=1,b=2", Formats.formatLabels(labels));
        assertEquals("<none>", Formats.formatLabels(Map.of()));
        assertEquals("<none>", Formats.formatLabels(null));
    }

    @Test
    void selectorStringMatchesLabelsSelectorString() {
        LabelSelector sel = new LabelSelectorBuilder()
                .addToMatchLabels("tier", "web")
                .addToMatchLabels("app", "nginx")
                .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod", "dev").endMatchExpression()
                .addNewMatchExpression().withKey("zone").withOperator("NotIn").withValues("b").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("gpu").withOperator("Exists").endMatchExpression()
                .build();
        assertEquals("app=nginx,!canary,env in (dev,prod),gpu,tier=web,zone notin (b)", Formats.selectorString(sel));
        assertEquals("app=nginx,!canary,env in (dev,prod),gpu,tier=web,zone notin (b)", Formats.formatLabelSelector(sel));
    }

    @Test
    void nilAndEmptySelectors() {
        assertEquals("", Formats.selectorString(null));
        assertEquals("", Formats.selectorString(new LabelSelector()));
        assertEquals("<none>", Formats.formatLabelSelector(null));
        assertEquals("<none>", Formats.formatLabelSelector(new LabelSelector()));
    }

    @Test
    void invalidSelectors() {
        LabelSelector badOp = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("a").withOperator("Gt").withValues("1").endMatchExpression().build();
        LabelSelector emptyIn = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("a").withOperator("In").endMatchExpression().build();
        LabelSelector badValue = new LabelSelectorBuilder().addToMatchLabels("a", "-bad-").build();
        LabelSelector badKey = new LabelSelectorBuilder().addToMatchLabels("Not_A/DNS/key", "x").build();
        assertThrows(IllegalArgumentException.class, () -> Formats.selectorString(badOp));
        assertEquals("<error>", Formats.formatLabelSelector(emptyIn));
        assertEquals("<error>", Formats.formatLabelSelector(badValue));
        assertEquals("<error>", Formats.formatLabelSelector(badKey));
        assertEquals("example.com/app=x", Formats.formatLabelSelector(
                new LabelSelectorBuilder().addToMatchLabels("example.com/app", "x").build()));
    }

    @Test
    void trimSpaceUsesGoWhitespace() {
        assertEquals("msg", Formats.trimSpace(" \t\nmsg\u00A0\u0085\u3000"));
        assertEquals("", Formats.trimSpace(null));
        assertEquals("a b", Formats.trimSpace("a b"));
    }
}
