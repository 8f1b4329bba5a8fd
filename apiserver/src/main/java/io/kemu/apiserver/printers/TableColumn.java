package io.kemu.apiserver.printers;

import java.util.Objects;

/**
 * One {@code meta.k8s.io/v1 TableColumnDefinition}. All fields are always serialized by kube-apiserver
 * (none is {@code omitempty}), so {@code format} is {@code ""} rather than null when a column has no format.
 *
 * @param name        column title as kubectl upper-cases it ({@code "Ready"} prints as {@code READY})
 * @param type        OpenAPI type: {@code string}, {@code integer}, {@code number}, {@code boolean} or {@code date}
 * @param format      optional OpenAPI format, e.g. {@code name} for the object name column
 * @param description human-readable description (usually the field's swagger doc)
 * @param priority    0 for default columns, 1 for columns kubectl shows only with {@code -o wide}
 */
public record TableColumn(String name, String type, String format, String description, int priority) {

    public TableColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(description, "description");
    }

    static TableColumn col(String name, String type, String description) {
        return new TableColumn(name, type, "", description, 0);
    }

    static TableColumn wide(String name, String type, String description) {
        return new TableColumn(name, type, "", description, 1);
    }

    /** The {@code Name} column every printer starts with: type string, format name. */
    static TableColumn nameColumn() {
        return new TableColumn("Name", "string", "name", Descriptions.OBJECT_META_NAME, 0);
    }

    /** The {@code Age} column: a string cell computed by {@code translateTimestampSince(creationTimestamp)}. */
    static TableColumn ageColumn() {
        return col("Age", "string", Descriptions.OBJECT_META_CREATION_TIMESTAMP);
    }
}
