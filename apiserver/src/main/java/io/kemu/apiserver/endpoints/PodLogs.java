package io.kemu.apiserver.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.KubeletProtocol;
import io.kemu.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;

/**
 * pods/{name}/log (pkg/registry/core/pod/rest/log.go LogLocation): the container is chosen and checked here, the
 * log itself comes from the kubelet of the pod's node, streamed as text/plain.
 */
final class PodLogs {
  private final KubeletClient kubelets;

  PodLogs(KubeletClient kubelets) {
    this.kubelets = kubelets;
  }

  CompletionStage<ApiResponse> logs(Pod pod, ApiRequest r) {
    String name = pod.getMetadata().getName();
    String container = container(pod, r.param("container"));
    String node = pod.getSpec().getNodeName();
    if (node == null || node.isEmpty()) {
      throw ApiException.badRequest("pod " + name + " does not have a host assigned");
    }
    Long tail = nonNegative(r.param("tailLines"), "tailLines");
    Long since = positive(r.param("sinceSeconds"), "sinceSeconds");
    Long limit = positive(r.param("limitBytes"), "limitBytes");
    return kubelets.logs(replyTo -> new KubeletProtocol.GetLogs(node, pod.getMetadata().getNamespace(), name,
            pod.getMetadata().getUid(), container, "true".equals(r.param("follow")), "true".equals(r.param("previous")),
            tail, since, "true".equals(r.param("timestamps")), limit, replyTo))
        .thenApply(reply -> new ApiResponse.Stream("text/plain", reply.chunks().getSource()
            .map(c -> ByteString.fromArrayUnsafe(c.data()))));
  }

  /** The container named, or the only one; otherwise kube's 400 listing the choices. */
  static String container(Pod pod, String requested) {
    List<String> app = names(pod.getSpec().getContainers());
    List<String> init = names(pod.getSpec().getInitContainers());
    String name = pod.getMetadata().getName();
    if (requested == null || requested.isEmpty()) {
      if (app.size() == 1) {
        return app.get(0);
      }
      String msg = "a container name must be specified for pod " + name + ", choose one of: " + app;
      if (!init.isEmpty()) {
        msg += " or one of the init containers: " + init;
      }
      throw ApiException.badRequest(msg);
    }
    if (!app.contains(requested) && !init.contains(requested)) {
      throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
    }
    return requested;
  }

  private static List<String> names(List<Container> containers) {
    List<String> out = new ArrayList<>();
    if (containers != null) {
      containers.forEach(c -> out.add(c.getName()));
    }
    return out;
  }

  private static Long nonNegative(String v, String field) {
    Long n = parse(v, field);
    if (n != null && n < 0) {
      throw invalid(field, n, "must be greater than or equal to 0");
    }
    return n;
  }

  private static Long positive(String v, String field) {
    Long n = parse(v, field);
    if (n != null && n < 1) {
      throw invalid(field, n, "must be greater than 0");
    }
    return n;
  }

  private static Long parse(String v, String field) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for " + field + ": " + v);
    }
  }

  private static ApiException invalid(String field, long value, String detail) {
    return ApiException.invalid("", "PodLogOptions", "", "PodLogOptions \"\" is invalid: " + field
        + ": Invalid value: " + value + ": " + detail, List.of(new ApiException.Cause("FieldValueInvalid",
        "Invalid value: " + value + ": " + detail, field)));
  }
}
