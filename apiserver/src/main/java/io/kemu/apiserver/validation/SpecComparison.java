package io.kemu.apiserver.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code apiequality.Semantic.DeepEqual} for pod specs: nil and empty lists/maps are equal (fabric8 omits both when
 * serializing), quantities compare by value, nil and empty structs differ. Also renders the diff used in the pod
 * update error; upstream prints {@code cmp.Diff} output there, whose layout is deliberately unstable, so this is a
 * simpler path-by-path rendering in the same frame.
 */
final class SpecComparison {
    private SpecComparison() {
    }

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper SEMANTIC = new ObjectMapper();

    static {
        SimpleModule m = new SimpleModule();
        m.addSerializer(Quantity.class, new StdSerializer<>(Quantity.class) {
            @Override
            public void serialize(Quantity q, JsonGenerator gen, SerializerProvider provider) throws IOException {
                GoQuantity g = GoQuantity.tryParse(GoQuantity.text(q));
                gen.writeString(g == null ? GoQuantity.text(q) : g.value().stripTrailingZeros().toPlainString());
            }
        });
        SEMANTIC.registerModule(m);
    }

    static boolean semanticEqual(PodSpec a, PodSpec b) {
        return tree(a).equals(tree(b));
    }

    static PodSpec copy(PodSpec spec) {
        return PLAIN.convertValue(spec, PodSpec.class);
    }

    private static JsonNode tree(Object o) {
        JsonNode n = SEMANTIC.valueToTree(o);
        prune(n);
        return n;
    }

    // drop empty arrays/maps the way Go treats nil and empty alike; keep empty objects that stand for structs
    private static void prune(JsonNode n) {
        if (n instanceof ObjectNode obj) {
            Iterator<String> it = obj.fieldNames();
            List<String> remove = new ArrayList<>();
            while (it.hasNext()) {
                String f = it.next();
                JsonNode c = obj.get(f);
                prune(c);
                if (c.isNull() || (c.isArray() && c.isEmpty())) {
                    remove.add(f);
                }
            }
            obj.remove(remove);
        } else if (n != null && n.isArray()) {
            for (JsonNode c : n) {
                prune(c);
            }
        }
    }

    static String diff(PodSpec oldSpec, PodSpec newSpec) {
        List<String> lines = new ArrayList<>();
        diff("", tree(oldSpec), tree(newSpec), lines);
        StringBuilder sb = new StringBuilder("  core.PodSpec{\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.append("  }\n").toString();
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                diff(path.isEmpty() ? f : path + "." + f, a.get(f), b.get(f), out);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
            return;
        }
        if (a == null ? b == null : a.equals(b)) {
            return;
        }
        if (a != null) {
            out.add("- \t" + path + ": " + a);
        }
        if (b != null) {
            out.add("+ \t" + path + ": " + b);
        }
    }
}
