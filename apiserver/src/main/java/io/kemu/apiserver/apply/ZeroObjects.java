package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.protobuf.KubeProtobuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The zero value of a kind as kube-apiserver's typed conversion sees it ({@code scope.Creater.New(kind)} turned
 * into unstructured JSON): non-pointer structs present ({@code spec: {}}, {@code status: {}}), fields without
 * omitempty present with their zero value ({@code containers: null}). It is what a create is compared with,
 * so it decides which parents a creator's managedFields entry owns. Obtained by decoding an empty protobuf
 * message of the kind, whose conversion writes exactly what Go's encoding/json writes.
 */
final class ZeroObjects {
  private ZeroObjects() {}

  private static final Map<String, ObjectNode> CACHE = new ConcurrentHashMap<>();

  static ObjectNode of(ResourceType t) {
    return CACHE.computeIfAbsent(t.apiVersion() + "/" + t.kind(), k -> decode(t.apiVersion(), t.kind())).deepCopy();
  }

  private static ObjectNode decode(String apiVersion, String kind) {
    try {
      ObjectNode o = KubeProtobuf.decode(envelope(apiVersion, kind));
      o.put("apiVersion", apiVersion);
      o.put("kind", kind);
      return o;
    } catch (RuntimeException e) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("apiVersion", apiVersion);
      o.put("kind", kind);
      o.putObject("metadata");
      return o;
    }
  }

  /** runtime.Unknown{TypeMeta{apiVersion, kind}, Raw: empty} behind the "k8s\0" magic. */
  private static byte[] envelope(String apiVersion, String kind) {
    ByteArrayOutputStream typeMeta = new ByteArrayOutputStream();
    field(typeMeta, 1, apiVersion.getBytes(StandardCharsets.UTF_8));
    field(typeMeta, 2, kind.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    field(out, 1, typeMeta.toByteArray());
    field(out, 2, new byte[0]);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write((number << 3) | 2);
    int len = bytes.length;
    while (len >= 0x80) {
      out.write((len & 0x7f) | 0x80);
      len >>>= 7;
    }
    out.write(len);
    out.writeBytes(bytes);
  }
}
