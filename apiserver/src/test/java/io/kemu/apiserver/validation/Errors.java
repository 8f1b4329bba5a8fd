package io.kemu.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Test helper: compares rendered error messages exactly and in order. */
final class Errors {
    private Errors() {
    }

    static void assertMessages(List<FieldError> errs, String... expected) {
        assertEquals(List.of(expected), errs.stream().map(FieldError::message).toList());
    }

    static void assertNone(List<FieldError> errs) {
        assertEquals(List.of(), errs.stream().map(FieldError::message).toList());
    }
}
