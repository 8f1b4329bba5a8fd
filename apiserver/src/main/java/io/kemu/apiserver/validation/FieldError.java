package io.kemu.apiserver.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A field-level validation error, mirroring {@code field.Error} (apimachinery pkg/util/validation/field/errors.go).
 * The static factories reproduce {@code field.Required}, {@code field.Invalid}, ... including the bad value each one
 * stores, and {@link #message()} / {@link #body()} reproduce {@code Error()} / {@code ErrorBody()}.
 *
 * @param type     the error type
 * @param field    the rendered field path
 * @param badValue the offending value (String, Number, Boolean, collection, {@link GoFormat.Raw}, null or {@link #OMIT})
 * @param detail   optional detail text
 */
public record FieldError(ErrorType type, String field, Object badValue, String detail) {

    /** Marker for {@code field.omitValue}: the value is not printed. */
    public static final Object OMIT = new Object() {
        @Override
        public String toString() {
            return "<omitted>";
        }
    };

    public FieldError {
        detail = detail == null ? "" : detail;
    }

    /** {@code field.Required(path, detail)}. */
    public static FieldError required(FieldPath path, String detail) {
        return new FieldError(ErrorType.REQUIRED, path.toString(), "", detail);
    }

    /** {@code field.Invalid(path, value, detail)}. */
    public static FieldError invalid(FieldPath path, Object value, String detail) {
        return new FieldError(ErrorType.INVALID, path.toString(), value, detail);
    }

    /** {@code field.Duplicate(path, value)}. */
    public static FieldError duplicate(FieldPath path, Object value) {
        return new FieldError(ErrorType.DUPLICATE, path.toString(), value, "");
    }

    /** {@code field.NotFound(path, value)}. */
    public static FieldError notFound(FieldPath path, Object value) {
        return new FieldError(ErrorType.NOT_FOUND, path.toString(), value, "");
    }

    /** {@code field.NotSupported(path, value, validValues)}: detail lists the quoted supported values. */
    public static FieldError notSupported(FieldPath path, Object value, List<String> validValues) {
        String detail = "";
        if (validValues != null && !validValues.isEmpty()) {
            detail = "supported values: "
                    + validValues.stream().map(GoFormat::quote).collect(Collectors.joining(", "));
        }
        return new FieldError(ErrorType.NOT_SUPPORTED, path.toString(), value, detail);
    }

    /** {@code field.Forbidden(path, detail)}. */
    public static FieldError forbidden(FieldPath path, String detail) {
        return new FieldError(ErrorType.FORBIDDEN, path.toString(), "", detail);
    }

    /** {@code field.TooLong(path, value, maxLength)}; a negative maxLength yields "value is too long". */
    public static FieldError tooLong(FieldPath path, int maxLength) {
        String msg = maxLength >= 0 ? "may not be more than " + maxLength + " bytes" : "value is too long";
        return new FieldError(ErrorType.TOO_LONG, path.toString(), "<value omitted>", msg);
    }

    /** {@code field.TooMany(path, actual, max)}; negative actual omits the value. */
    public static FieldError tooMany(FieldPath path, int actualQuantity, int maxQuantity) {
        String msg = maxQuantity >= 0 ? "must have at most " + maxQuantity + " items" : "has too many items";
        Object actual = actualQuantity >= 0 ? (Object) actualQuantity : OMIT;
        return new FieldError(ErrorType.TOO_MANY, path.toString(), actual, msg);
    }

    /** {@code field.InternalError(path, err)}. */
    public static FieldError internal(FieldPath path, String errorMessage) {
        return new FieldError(ErrorType.INTERNAL, path.toString(), null, errorMessage);
    }

    /** Returns a copy with another detail, as upstream does with {@code err.Detail = ...}. */
    public FieldError withDetail(String newDetail) {
        return new FieldError(type, field, badValue, newDetail);
    }

    /** {@code Error.ErrorBody()}: the message without the field, e.g. {@code Invalid value: "x": detail}. */
    public String body() {
        String s;
        switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> s = type.text();
            default -> {
                if (badValue == OMIT) {
                    s = type.text();
                } else {
                    s = type.text() + ": " + GoFormat.formatBadValue(badValue);
                }
            }
        }
        if (!detail.isEmpty()) {
            s += ": " + detail;
        }
        return s;
    }

    /** {@code Error.Error()}: {@code <field>: <body>}. */
    public String message() {
        return field + ": " + body();
    }

    @Override
    public String toString() {
        return message();
    }
}
