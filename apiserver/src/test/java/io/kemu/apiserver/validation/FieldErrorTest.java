package io.kemu.apiserver.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering cases mirror apimachinery field/errors_test.go and path_test.go. */
class FieldErrorTest {

    @Test
    void pathRendering() {
        FieldPath p = FieldPath.root("spec").child("containers").index(0).child("ports").index(1).child("containerPort");
        assertEquals("spec.containers[0].ports[1].containerPort", p.toString());
        assertEquals("metadata.labels[app]", FieldPath.root("metadata").child("labels").key("app").toString());
        assertEquals("root.middle.leaf", FieldPath.root("root", "middle").child("leaf").toString());
        assertEquals("a.b[k].c[3]", FieldPath.root("a").child("b").key("k").child("c").index(3).toString());
    }

    @Test
    void errorBodiesPerType() {
        FieldPath f = FieldPath.root("field");
        assertEquals("field: Required value", FieldError.required(f, "").message());
        assertEquals("field: Required value: must be set", FieldError.required(f, "must be set").message());
        assertEquals("field: Invalid value: \"x\": bad", FieldError.invalid(f, "x", "bad").message());
        assertEquals("field: Invalid value: 5: bad", FieldError.invalid(f, 5, "bad").message());
        assertEquals("field: Invalid value: true: bad", FieldError.invalid(f, true, "bad").message());
        assertEquals("field: Invalid value: \"null\": bad", FieldError.invalid(f, null, "bad").message());
        assertEquals("field: Duplicate value: \"a\"", FieldError.duplicate(f, "a").message());
        assertEquals("field: Not found: \"a\"", FieldError.notFound(f, "a").message());
        assertEquals("field: Forbidden: no", FieldError.forbidden(f, "no").message());
        assertEquals("field: Too long: may not be more than 10 bytes", FieldError.tooLong(f, 10).message());
        assertEquals("field: Too long: value is too long", FieldError.tooLong(f, -1).message());
        assertEquals("field: Too many: 5: must have at most 3 items", FieldError.tooMany(f, 5, 3).message());
        assertEquals("field: Too many: has too many items", FieldError.tooMany(f, -1, -1).message());
        assertEquals("field: Internal error: boom", FieldError.internal(f, "boom").message());
        assertEquals("field: Invalid value: []string{\"a\", \"b\"}: x",
                FieldError.invalid(f, List.of("a", "b"), "x").message());
    }

    @Test
    void notSupportedListsQuotedValues() {
        FieldError e = FieldError.notSupported(FieldPath.root("spec", "restartPolicy"), "Sometimes",
                List.of("Always", "OnFailure", "Never"));
        assertEquals("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                e.message());
        assertEquals("FieldValueNotSupported", e.type().causeType());
        assertEquals("f: Unsupported value: \"x\"", FieldError.notSupported(FieldPath.root("f"), "x", List.of()).message());
    }

    @Test
    void goQuotingEscapes() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\x00\\u200b€\"", GoFormat.quote("a\"b\\c\n\t\u0000\u200b€"));
    }

    @Test
    void causeTypesMatchStatusCauseTypes() {
        assertEquals("FieldValueRequired", ErrorType.REQUIRED.causeType());
        assertEquals("FieldValueInvalid", ErrorType.INVALID.causeType());
        assertEquals("FieldValueDuplicate", ErrorType.DUPLICATE.causeType());
        assertEquals("FieldValueForbidden", ErrorType.FORBIDDEN.causeType());
        assertEquals("FieldValueTooLong", ErrorType.TOO_LONG.causeType());
        assertEquals("FieldValueTooMany", ErrorType.TOO_MANY.causeType());
        assertEquals("FieldValueNotFound", ErrorType.NOT_FOUND.causeType());
        assertEquals("InternalError", ErrorType.INTERNAL.causeType());
        assertEquals("Unsupported value", ErrorType.NOT_SUPPORTED.text());
    }

    @Test
    void invalidMessageAggregatesLikeNewInvalid() {
        FieldError image = FieldError.required(FieldPath.root("spec").child("containers").index(0).child("image"), "");
        FieldError name = FieldError.required(FieldPath.root("metadata", "name"), "name or generateName is required");
        assertEquals("Pod \"x\" is invalid: spec.containers[0].image: Required value",
                FieldErrors.invalidMessage("Pod", "x", List.of(image)));
        assertEquals("Pod \"x\" is invalid: [metadata.name: Required value: name or generateName is required, "
                        + "spec.containers[0].image: Required value]",
                FieldErrors.invalidMessage("Pod", "x", List.of(name, image, image)));
        assertEquals("Deployment.apps \"d\" is invalid", FieldErrors.invalidMessage("Deployment.apps", "d", List.of()));
    }

    @Test
    void kubectlPrefixesTheAndListsCauses() {
        FieldError image = FieldError.required(FieldPath.root("spec").child("containers").index(0).child("image"), "");
        FieldError policy = FieldError.notSupported(FieldPath.root("spec", "dnsPolicy"), "X", List.of("A", "B"));
        assertEquals("The Pod \"x\" is invalid: spec.containers[0].image: Required value\n",
                FieldErrors.kubectlMessage("Pod", "x", List.of(image)));
        assertEquals("The Pod \"x\" is invalid: \n* spec.containers[0].image: Required value\n"
                        + "* spec.dnsPolicy: Unsupported value: \"X\": supported values: \"A\", \"B\"\n",
                FieldErrors.kubectlMessage("Pod", "x", List.of(image, policy, image)));
    }

    @Test
    void statusCarriesCauses() {
        FieldError image = FieldError.required(FieldPath.root("spec").child("containers").index(0).child("image"), "");
        Status s = FieldErrors.invalidStatus("", "Pod", "x", List.of(image, image));
        assertEquals(422, s.getCode());
        assertEquals("Invalid", s.getReason());
        assertEquals("Failure", s.getStatus());
        assertEquals("Pod \"x\" is invalid: spec.containers[0].image: Required value", s.getMessage());
        assertEquals("Pod", s.getDetails().getKind());
        List<StatusCause> causes = s.getDetails().getCauses();
        assertEquals(2, causes.size());
        assertEquals("FieldValueRequired", causes.get(0).getReason());
        assertEquals("Required value", causes.get(0).getMessage());
        assertEquals("spec.containers[0].image", causes.get(0).getField());
        assertEquals("Deployment.apps \"d\" is invalid: spec: Forbidden: x",
                FieldErrors.invalidStatus("apps", "Deployment", "d",
                        List.of(FieldError.forbidden(FieldPath.root("spec"), "x"))).getMessage());
    }
}
