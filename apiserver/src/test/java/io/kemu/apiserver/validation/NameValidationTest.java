package io.kemu.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Cases from apimachinery pkg/util/validation/validation_test.go and api/validation/path/name_test.go. */
class NameValidationTest {

    static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    @ParameterizedTest
    @ValueSource(strings = {"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2"})
    void dns1123LabelGood(String v) {
        assertEquals(List.of(), NameValidation.isDNS1123Label(v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a",
            "a_b", "1_", "_1", "1_2", "a@b", "a,b", "a&b", "a*b"})
    void dns1123LabelBad(String v) {
        assertEquals(1, NameValidation.isDNS1123Label(v).size(), v);
    }

    @Test
    void dns1123LabelMessages() {
        assertEquals(List.of("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
                + "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"), NameValidation.isDNS1123Label("Bad_Name"));
        assertEquals(List.of("must not contain dots"), NameValidation.isDNS1123Label("a.b"));
        assertEquals(List.of("must be no more than 63 characters"), NameValidation.isDNS1123Label("a".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.b", "a.b.c", "1.a", "a-1.b-2", "0.0.0.0", "11.22.33.44"})
    void dns1123SubdomainGood(String v) {
        assertEquals(List.of(), NameValidation.isDNS1123Subdomain(v));
    }

    @Test
    void dns1123SubdomainBad() {
        assertEquals(List.of("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
                NameValidation.isDNS1123Subdomain("a..b"));
        assertEquals(List.of("must be no more than 253 characters"), NameValidation.isDNS1123Subdomain("a".repeat(254)));
    }

    @Test
    void dns1035Label() {
        assertEquals(List.of(), NameValidation.isDNS1035Label("my-svc"));
        assertEquals(List.of("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
                + "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
                NameValidation.isDNS1035Label("1abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
            "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
            "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
            "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo"})
    void qualifiedNameGood(String v) {
        assertEquals(List.of(), NameValidation.isQualifiedName(v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
            "Example.com/abc", "example_com/abc", "example.com/", "/simple", "", "a/b/c"})
    void qualifiedNameBad(String v) {
        assertTrue(!NameValidation.isQualifiedName(v).isEmpty(), v);
    }

    @Test
    void qualifiedNameMessages() {
        assertEquals(List.of("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
                NameValidation.isQualifiedName("bad_"));
        assertEquals(List.of("prefix part must be non-empty"), NameValidation.isQualifiedName("/a"));
        assertEquals(List.of("name part must be non-empty", "name part must consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
                NameValidation.isQualifiedName("a.b/"));
        assertEquals(List.of("name part must be no more than 63 characters"), NameValidation.isQualifiedName("a".repeat(64)));
        assertEquals(List.of("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                        + "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
                        + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
                        + "prefix and '/' (e.g. 'example.com/MyName')"),
                NameValidation.isQualifiedName("a/b/c"));
    }

    @Test
    void labelValues() {
        assertEquals(List.of(), NameValidation.isValidLabelValue(""));
        assertEquals(List.of(), NameValidation.isValidLabelValue("1.2.3-a_b"));
        assertEquals(List.of("must be no more than 63 characters"), NameValidation.isValidLabelValue("a".repeat(64)));
        assertEquals(List.of("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                + "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
                NameValidation.isValidLabelValue("-bad"));
    }

    @Test
    void cIdentifierAndEnvVarNames() {
        assertEquals(List.of(), NameValidation.isCIdentifier("_my_name1"));
        assertEquals(List.of("a valid C identifier must start with alphabetic character or '_', followed by a string of "
                + "alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for "
                + "validation is '[A-Za-z_][A-Za-z0-9_]*')"), NameValidation.isCIdentifier("1abc"));
        assertEquals(List.of(), NameValidation.isEnvVarName("my.env-name"));
        assertEquals(List.of("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                + "or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
                + "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"), NameValidation.isEnvVarName("1foo"));
        assertEquals(List.of("must not be '..'"), NameValidation.isEnvVarName(".."));
        assertEquals(List.of("must not start with '..'"), NameValidation.isEnvVarName("..foo"));
        assertEquals(List.of(), NameValidation.isRelaxedEnvVarName("1foo bar"));
        assertEquals(List.of("a valid environment variable name must consist only of printable ASCII characters other than '='"),
                NameValidation.isRelaxedEnvVarName("a=b"));
        assertEquals(List.of("environment variable name must be non-empty"), NameValidation.isRelaxedEnvVarName(""));
    }

    @Test
    void portNames() {
        assertEquals(List.of(), NameValidation.isValidPortName("http"));
        assertEquals(List.of(), NameValidation.isValidPortName("h-2"));
        assertEquals(List.of("must be no more than 15 characters"), NameValidation.isValidPortName("abcdefghijklmnop"));
        assertEquals(List.of("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
                NameValidation.isValidPortName("HTTP-x"));
        assertEquals(List.of("must contain at least one letter (a-z)"), NameValidation.isValidPortName("123"));
        assertEquals(List.of("must not contain consecutive hyphens"), NameValidation.isValidPortName("a--b"));
        assertEquals(List.of("must not begin or end with a hyphen"), NameValidation.isValidPortName("-ab"));
        assertEquals(List.of("must be between 1 and 65535, inclusive"), NameValidation.isValidPortNum(0));
        assertEquals(List.of(), NameValidation.isValidPortNum(65535));
        assertEquals(List.of("must be between 1 and 65535, inclusive"), NameValidation.isValidPortNum(65536));
    }

    @Test
    void pathSegments() {
        assertEquals(List.of("may not be '.'"), NameValidation.isValidPathSegmentName("."));
        assertEquals(List.of("may not be '..'"), NameValidation.isValidPathSegmentName(".."));
        assertEquals(List.of("may not contain '/'", "may not contain '%'"), NameValidation.isValidPathSegmentName("a/%"));
        assertEquals(List.of(), NameValidation.isValidPathSegmentName("..."));
        assertEquals(List.of(), NameValidation.validatePathSegmentName("..", true));
        assertEquals(List.of("may not contain '/'"), NameValidation.validatePathSegmentName("a/", true));
    }

    @Test
    void generateNamePrefixesAllowTrailingDash() {
        assertEquals(List.of(), NameValidation.nameIsDNSSubdomain("web-", true));
        assertEquals(1, NameValidation.nameIsDNSSubdomain("web-", false).size());
        // upstream's maskTrailingDash drops two characters: "a-" -> "a" is still valid, "-" stays invalid
        assertEquals(List.of(), NameValidation.nameIsDNSLabel("a-", true));
        assertEquals(1, NameValidation.nameIsDNSLabel("-", true).size());
    }

    @Test
    void ipAndCidr() {
        FieldPath p = FieldPath.root("ip");
        assertEquals(List.of(), NameValidation.isValidIP(p, "1.2.3.4"));
        assertEquals(List.of(), NameValidation.isValidIP(p, "010.002.003.004"));
        assertEquals(List.of(), NameValidation.isValidIP(p, "2001:db8::ffff"));
        assertEquals(List.of(), NameValidation.isValidIP(p, "::ffff:1.2.3.4"));
        Errors.assertMessages(NameValidation.isValidIP(p, "1.2.3"),
                "ip: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        assertEquals(1, NameValidation.isValidIP(p, "1.2.3.256").size());
        assertEquals(1, NameValidation.isValidIP(p, "1::2::3").size());
        assertEquals(1, NameValidation.isValidIP(p, "example.com").size());
        assertEquals(List.of(), NameValidation.isValidCIDR(p, "10.0.0.0/8"));
        assertEquals(List.of(), NameValidation.isValidCIDR(p, "2001:db8::/64"));
        Errors.assertMessages(NameValidation.isValidCIDR(p, "10.0.0.0/33"),
                "ip: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        assertEquals(1, NameValidation.isValidCIDR(p, "10.0.0.0").size());
    }
}
