package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The metav1.Status bodies kube-apiserver writes for patch errors. */
class PatchExceptionTest {

  @Test
  void unprocessableHidesTheLibraryError() {
    PatchException e = PatchException.unprocessable("testing value /a failed: test failed");
    assertEquals(j("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',"
        + "'message':'the server rejected our request due to an error in our request','reason':'Invalid',"
        + "'details':{},'code':422}"), e.toStatus());
    assertEquals("testing value /a failed: test failed", e.detail());
  }

  @Test
  void badRequestPassesTheMessageThrough() {
    assertEquals(j("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',"
        + "'message':'Invalid JSON Patch','reason':'BadRequest','code':400}"),
        PatchException.badRequest("Invalid JSON Patch").toStatus());
  }

  @Test
  void internalErrorsHaveNoReason() {
    assertEquals(j("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',"
        + "'message':'map: map[image:x] does not contain declared merge key: name','code':500}"),
        PatchException.internal("map: map[image:x] does not contain declared merge key: name").toStatus());
  }

  @Test
  void conflictNamesTheObject() {
    PatchException e = PatchException.conflict("deployments.apps", "web",
        "the object has been modified; please apply your changes to the latest version and try again");
    assertEquals(409, e.code());
    assertEquals("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; "
        + "please apply your changes to the latest version and try again", e.getMessage());
  }

  @Test
  void tooLarge() {
    PatchException e = PatchException.tooLarge("x");
    assertEquals(413, e.code());
    assertEquals("RequestEntityTooLarge", e.reason());
    assertEquals("Request entity too large: x", e.getMessage());
  }
}
