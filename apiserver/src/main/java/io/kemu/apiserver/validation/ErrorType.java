package io.kemu.apiserver.validation;

/**
 * Mirrors {@code field.ErrorType} (apimachinery pkg/util/validation/field/errors.go): each value carries the
 * human text returned by {@code ErrorType.String()} and the machine value that becomes
 * {@code StatusCause.type} ({@code metav1.CauseType(err.Type)}).
 */
public enum ErrorType {
    NOT_FOUND("Not found", "FieldValueNotFound"),
    REQUIRED("Required value", "FieldValueRequired"),
    DUPLICATE("Duplicate value", "FieldValueDuplicate"),
    INVALID("Invalid value", "FieldValueInvalid"),
    NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    TOO_LONG("Too long", "FieldValueTooLong"),
    TOO_MANY("Too many", "FieldValueTooMany"),
    INTERNAL("Internal error", "InternalError"),
    TYPE_INVALID("Invalid value", "FieldValueTypeInvalid");

    private final String text;
    private final String causeType;

    ErrorType(String text, String causeType) {
        this.text = text;
        this.causeType = causeType;
    }

    /** {@code ErrorType.String()}, e.g. "Required value". */
    public String text() {
        return text;
    }

    /** The {@code StatusCause.type} value, e.g. "FieldValueRequired". */
    public String causeType() {
        return causeType;
    }
}
