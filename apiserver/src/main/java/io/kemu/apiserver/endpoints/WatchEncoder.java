package io.kemu.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.printers.Printers;
import io.kemu.apiserver.printers.TableColumn;
import io.kemu.apiserver.request.MediaTypes.Output;
import io.kemu.apiserver.watchcache.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Encodes watch events as metav1.WatchEvent JSON, one per line ({"type":"ADDED","object":{...}}). With a Table
 * Accept each object is a one-row Table; only the first carries the column definitions, as kube does.
 */
public final class WatchEncoder {
  private final ResourceType type;
  private final Output output;
  private final String includeObject;
  private final Clock clock;
  private boolean first = true;

  public WatchEncoder(ResourceType type, Output output, String includeObject, Clock clock) {
    this.type = type;
    this.output = output;
    this.includeObject = includeObject;
    this.clock = clock;
  }

  /** The object of an event as JSON bytes (also what in-cluster watchers receive). */
  public byte[] object(WatchEvent e) {
    return switch (e.type()) {
      case ERROR -> e.status();
      case BOOKMARK -> bookmark(e.resourceVersion());
      default -> output == Output.TABLE ? table(e) : e.object().json();
    };
  }

  /** One line of a watch stream. */
  public byte[] line(WatchEvent e) {
    byte[] obj = object(e);
    ByteArrayOutputStream out = new ByteArrayOutputStream(obj.length + 32);
    out.writeBytes(("{\"type\":\"" + e.type().name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(obj);
    out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private byte[] table(WatchEvent e) {
    ObjectNode t = KubeJson.MAPPER.createObjectNode();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata").put("resourceVersion", Long.toString(e.resourceVersion()));
    if (first) {
      ArrayNode cols = t.putArray("columnDefinitions");
      for (TableColumn c : Printers.columns(type.kind())) {
        cols.add(Responses.column(c));
      }
      first = false;
    }
    t.putArray("rows").add(Responses.row(e.object().typed(), includeObject, clock.instant()));
    return KubeJson.bytes(t);
  }

  /** A bookmark carries only the resourceVersion, in an object of the watched kind. */
  private byte[] bookmark(long rv) {
    ObjectNode b = KubeJson.MAPPER.createObjectNode();
    b.put("kind", type.kind());
    b.put("apiVersion", type.apiVersion());
    ObjectNode meta = b.putObject("metadata");
    meta.put("resourceVersion", Long.toString(rv));
    meta.putNull("creationTimestamp");
    return KubeJson.bytes(b);
  }
}
