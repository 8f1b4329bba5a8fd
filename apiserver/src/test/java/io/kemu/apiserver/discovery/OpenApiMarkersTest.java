package io.kemu.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.apiserver.discovery.OpenApiMarkers.FieldMarkers;
import io.kemu.apiserver.discovery.OpenApiMarkers.TypeMarkers;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiMarkersTest {

  @Test
  void parsesEveryTokenForm() {
    OpenApiMarkers m = OpenApiMarkers.parse(List.of(
        "# comment",
        "",
        "io.k8s.api.x.v1.T {atomic} a! b[atomic] c![map:k1,k2] d{granular} e=\"\"|X|Y f[set]{atomic}"));
    TypeMarkers t = m.forType("io.k8s.api.x.v1.T").orElseThrow();
    assertEquals("atomic", t.mapType());
    assertEquals(List.of("a", "c"), t.required());
    assertEquals(new FieldMarkers("b", false, "atomic", List.of(), null, null), t.fields().get("b"));
    assertEquals(new FieldMarkers("c", true, "map", List.of("k1", "k2"), null, null), t.fields().get("c"));
    assertEquals("granular", t.fields().get("d").mapType());
    assertEquals(List.of("", "X", "Y"), t.fields().get("e").enumValues());
    assertEquals("set", t.fields().get("f").listType());
    assertEquals("atomic", t.fields().get("f").mapType());
    assertTrue(m.forType("io.k8s.api.x.v1.Other").isEmpty());
  }

  @Test
  void rejectsBadLines() {
    assertThrows(IllegalArgumentException.class, () -> OpenApiMarkers.parse(List.of("T a[list]")));
    assertThrows(IllegalArgumentException.class, () -> OpenApiMarkers.parse(List.of("T a!", "T b!")));
  }

  @Test
  void builtInTableHasTheV132Markers() {
    OpenApiMarkers m = OpenApiMarkers.builtIn();
    TypeMarkers container = m.forType("io.k8s.api.core.v1.Container").orElseThrow();
    assertEquals(List.of("name"), container.required());
    FieldMarkers ports = container.fields().get("ports");
    assertEquals("map", ports.listType());
    assertEquals(List.of("containerPort", "protocol"), ports.listMapKeys());
    assertEquals(List.of("Always", "IfNotPresent", "Never"), container.fields().get("imagePullPolicy").enumValues());
    assertEquals("atomic", container.fields().get("args").listType());

    TypeMarkers podSpec = m.forType("io.k8s.api.core.v1.PodSpec").orElseThrow();
    assertEquals(List.of("containers"), podSpec.required());
    assertEquals("atomic", podSpec.fields().get("nodeSelector").mapType());

    assertEquals(List.of("selector", "template"), m.forType("io.k8s.api.apps.v1.DeploymentSpec").orElseThrow().required());
    TypeMarkers owner = m.forType("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference").orElseThrow();
    assertEquals("atomic", owner.mapType());
    assertEquals(List.of("apiVersion", "kind", "name", "uid"), owner.required());
    FieldMarkers finalizers = m.forType("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").orElseThrow()
        .fields().get("finalizers");
    assertEquals("set", finalizers.listType());
    assertFalse(finalizers.required());
    // optional pointer without omitempty in Go (+optional): not required
    assertNull(m.forType("io.k8s.api.core.v1.TypedLocalObjectReference").orElseThrow().fields().get("apiGroup"));
  }
}
