package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PatchTypeTest {

  @Test
  void contentTypes() {
    assertEquals(Optional.of(PatchType.JSON), PatchType.fromContentType("application/json-patch+json"));
    assertEquals(Optional.of(PatchType.MERGE), PatchType.fromContentType("application/merge-patch+json"));
    assertEquals(Optional.of(PatchType.STRATEGIC),
        PatchType.fromContentType("application/strategic-merge-patch+json"));
    assertEquals(Optional.of(PatchType.APPLY), PatchType.fromContentType("application/apply-patch+yaml"));
    assertEquals(Optional.of(PatchType.MERGE),
        PatchType.fromContentType("application/merge-patch+json; charset=utf-8"));
    assertEquals(Optional.of(PatchType.JSON), PatchType.fromContentType("application/json-patch+json;charset=UTF-8"));
    assertEquals(Optional.empty(), PatchType.fromContentType("application/json"));
    assertEquals(Optional.empty(), PatchType.fromContentType("Application/Merge-Patch+Json"));
    assertEquals(Optional.empty(), PatchType.fromContentType(null));
    assertEquals(Optional.empty(), PatchType.fromContentType(""));
  }

  @Test
  void builtinResourcesRejectUnknownTypesLikeGoRestful() {
    assertEquals(PatchType.STRATEGIC, PatchType.require("application/strategic-merge-patch+json", false));
    PatchException e = assertThrows(PatchException.class, () -> PatchType.require("application/json", false));
    assertEquals(415, e.code());
    assertEquals(j("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',"
        + "'message':'415: Unsupported Media Type','reason':'UnsupportedMediaType','details':{},'code':415}"),
        e.toStatus());
  }

  @Test
  void customResourcesRejectStrategicMergePatch() {
    assertEquals(PatchType.MERGE, PatchType.require("application/merge-patch+json", true));
    PatchException e = assertThrows(PatchException.class,
        () -> PatchType.require("application/strategic-merge-patch+json", true));
    assertEquals(415, e.code());
    assertEquals("UnsupportedMediaType", e.reason());
    assertEquals("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", e.getMessage());
  }
}
