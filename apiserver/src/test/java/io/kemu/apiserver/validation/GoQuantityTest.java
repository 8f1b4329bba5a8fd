package io.kemu.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Canonical forms from apimachinery resource/quantity_test.go. */
class GoQuantityTest {

    @ParameterizedTest
    @CsvSource({
            "0,0", "0m,0", "1,1", "1000m,1", "1.5,1500m", "0.5,500m", "100m,100m", "1k,1k", "1000,1k", "1Ki,1Ki",
            "1024Mi,1Gi", "1536Mi,1536Mi", "1.5Gi,1536Mi", "0.5Gi,512Mi", "1e3,1e3", "1E6,1E6", "128974848,128974848",
            "129e6,129e6", "123Mi,123Mi", "100Ki,100Ki", "0.1m,100u", "1.1m,1100u", "500Mi,500Mi", "1000Mi,1000Mi",
            "-1,-1", "1n,1n", "+1,+1", "1M,1M", "12e6,12e6"})
    void canonicalForms(String in, String out) {
        assertEquals(out, GoQuantity.parse(in).toString());
    }

    @Test
    void malformedQuantities() {
        assertNull(GoQuantity.tryParse(""));
        assertNull(GoQuantity.tryParse("1.5X"));
        assertNull(GoQuantity.tryParse("1e"));
        assertNull(GoQuantity.tryParse("abc"));
    }

    @Test
    void compareAndRoundUp() {
        assertEquals(0, GoQuantity.parse("1").compareTo(GoQuantity.parse("1000m")));
        assertTrue(GoQuantity.parse("200m").compareTo(GoQuantity.parse("0.1")) > 0);
        assertEquals("1m", GoQuantity.parse("0.0001").roundUpMilli().toString());
        assertEquals("100m", GoQuantity.parse("100m").roundUpMilli().toString());
        assertEquals("1", GoQuantity.parse("1000m").roundUpMilli().toString());
    }
}
