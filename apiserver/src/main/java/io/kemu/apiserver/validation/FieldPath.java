package io.kemu.apiserver.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Path from some root to a field, mirroring {@code k8s.io/apimachinery/pkg/util/validation/field.Path}
 * (path.go). A node is either a named child or a subscript (index or map key) of its parent.
 *
 * <p>Rendering follows {@code Path.String()}: children are joined with {@code .}, subscripts are
 * rendered as {@code [i]} / {@code [key]} without a dot, e.g. {@code spec.containers[0].ports[1].containerPort}
 * or {@code metadata.labels[app]}.
 */
public final class FieldPath {
    private final String name;   // field name, or null if this is a subscript
    private final String index;  // subscript when name == null
    private final FieldPath parent;

    private FieldPath(String name, String index, FieldPath parent) {
        this.name = name;
        this.index = index;
        this.parent = parent;
    }

    /** {@code field.NewPath(name, moreNames...)}. */
    public static FieldPath root(String name, String... moreNames) {
        FieldPath p = new FieldPath(Objects.requireNonNull(name), null, null);
        for (String n : moreNames) {
            p = new FieldPath(n, null, p);
        }
        return p;
    }

    /** {@code Path.Child(name, moreNames...)}. */
    public FieldPath child(String name, String... moreNames) {
        FieldPath p = new FieldPath(Objects.requireNonNull(name), null, this);
        for (String n : moreNames) {
            p = new FieldPath(n, null, p);
        }
        return p;
    }

    /** {@code Path.Index(i)}. */
    public FieldPath index(int i) {
        return new FieldPath(null, Integer.toString(i), this);
    }

    /** {@code Path.Key(key)}. */
    public FieldPath key(String key) {
        return new FieldPath(null, Objects.requireNonNull(key), this);
    }

    public FieldPath parent() {
        return parent;
    }

    @Override
    public String toString() {
        Deque<FieldPath> elems = new ArrayDeque<>();
        for (FieldPath p = this; p != null; p = p.parent) {
            elems.push(p);
        }
        StringBuilder sb = new StringBuilder();
        for (FieldPath p : elems) {
            boolean named = p.name != null && !p.name.isEmpty();
            if (p.parent != null && named) {
                sb.append('.');
            }
            if (named) {
                sb.append(p.name);
            } else {
                // upstream renders an empty name exactly like a subscript
                sb.append('[').append(p.name != null ? "" : p.index).append(']');
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
