package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kemu.apiserver.defaults.ServiceDefaults;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.Registry.DeleteResult;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Services' storage (pkg/registry/core/service/storage/alloc.go): a ClusterIP from the service CIDR unless the
 * service is headless or ExternalName, a NodePort per port for NodePort and LoadBalancer services, both released
 * when the service goes or changes type. Allocation errors are the 422s kube gives.
 */
public final class ServiceRest {
  private final Registry<Service> services;
  private final Allocator ips;
  private final Allocator ports;

  public ServiceRest(Registry<Service> services, Allocator ips, Allocator ports) {
    this.services = services;
    this.ips = ips;
    this.ports = ports;
  }

  /** What a create or update took, so that a failed write gives it back. */
  private record Taken(List<String> ips, List<String> ports) {}

  public CompletionStage<Service> create(RequestContext rc, Service svc) {
    String owner = svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
    Taken taken = new Taken(new ArrayList<>(), new ArrayList<>());
    prepareIpFields(svc, null);
    return allocate(rc, svc, null, owner, taken)
        .thenCompose(x -> services.create(rc, svc))
        .whenComplete((s, err) -> {
          if (err != null && !rc.dryRun()) {
            giveBack(taken);
          }
        });
  }

  /** PUT and PATCH: allocated values the new object leaves empty are kept; new needs are allocated first. */
  public CompletionStage<Service> update(RequestContext rc, String namespace, String name, String subresource,
                                         UnaryOperator<Service> mutate) {
    if ("status".equals(subresource)) {
      return services.update(rc, namespace, name, subresource, mutate);
    }
    String owner = namespace + "/" + name;
    Taken taken = new Taken(new ArrayList<>(), new ArrayList<>());
    List<String> released = new ArrayList<>();
    return services.get(namespace, name).thenCompose(current -> {
      Service preview = mutate.apply(io.kemu.api.KubeJson.copy(current));
      keepAllocated(preview, current);
      prepareIpFields(preview, current);
      return allocate(rc, preview, current, owner, taken).thenApply(x -> preview);
    }).thenCompose(prepared -> services.update(rc, namespace, name, null, old -> {
      Service s = mutate.apply(old);
      keepAllocated(s, old);
      copyAllocations(prepared, s);
      s.getSpec().setIpFamilies(prepared.getSpec().getIpFamilies());
      s.getSpec().setIpFamilyPolicy(prepared.getSpec().getIpFamilyPolicy());
      released.clear();
      released.addAll(noLongerUsed(old, s));
      return s;
    })).whenComplete((s, err) -> {
      if (rc.dryRun()) {
        return;
      }
      if (err != null) {
        giveBack(taken);
      } else {
        released.forEach(v -> (v.contains(".") ? ips : ports).release(v));
      }
    });
  }

  public CompletionStage<DeleteResult<Service>> delete(RequestContext rc, String namespace, String name,
                                                       DeleteOptions opts) {
    return services.delete(rc, namespace, name, opts).thenApply(res -> {
      if (res.deletedNow() && !rc.dryRun()) {
        giveBack(new Taken(clusterIps(res.object()), nodePorts(res.object())));
      }
      return res;
    });
  }

  // ------------------------------------------------------------------ allocation

  private CompletionStage<Void> allocate(RequestContext rc, Service svc, Service old, String owner, Taken taken) {
    var spec = svc.getSpec();
    if (spec == null) {
      return CompletableFuture.completedFuture(null);
    }
    String type = spec.getType() == null ? "ClusterIP" : spec.getType();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    boolean needsIp = !type.equals("ExternalName") && !"None".equals(spec.getClusterIP());
    String current = old == null || old.getSpec() == null ? null : old.getSpec().getClusterIP();
    FieldPath ipPath = FieldPath.root("spec", "clusterIPs");
    if (needsIp && (spec.getClusterIP() == null || spec.getClusterIP().isEmpty())) {
      chain = chain.thenCompose(x -> step(rc.dryRun() ? null : ips.allocateNext(owner),
          ips.range().render(ips.range().first()),
          ip -> {
            taken.ips().add(ip);
            setClusterIp(svc, ip);
          },
          () -> failed(svc, ipPath, List.of(), "failed to allocate a serviceIP: range is full")));
    } else if (needsIp && !spec.getClusterIP().equals(current)) {
      String ip = spec.getClusterIP();
      if (ips.range().parse(ip) < 0) {
        throw failed(svc, ipPath, List.of(ip), "failed to allocate IP " + ip + ": the provided IP (" + ip
            + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12");
      }
      chain = chain.thenCompose(x -> step(rc.dryRun() ? null : ips.allocate(ip, owner), ip,
          v -> {
            taken.ips().add(v);
            setClusterIp(svc, v);
          },
          () -> failed(svc, ipPath, List.of(ip), "failed to allocate IP " + ip + ": provided IP is already allocated")));
    }
    if ((type.equals("NodePort") || type.equals("LoadBalancer")) && spec.getPorts() != null) {
      List<Integer> mine = old == null ? List.of() : nodePorts(old).stream().map(Integer::parseInt).toList();
      for (int i = 0; i < spec.getPorts().size(); i++) {
        ServicePort p = spec.getPorts().get(i);
        FieldPath path = FieldPath.root("spec", "ports").index(i).child("nodePort");
        if (p.getNodePort() == null || p.getNodePort() == 0) {
          chain = chain.thenCompose(x -> step(rc.dryRun() ? null : ports.allocateNext(owner), "30000",
              v -> {
                taken.ports().add(v);
                p.setNodePort(Integer.parseInt(v));
              },
              () -> failed(svc, path, null, "failed to allocate a nodePort: range is full")));
        } else if (!mine.contains(p.getNodePort())) {
          int port = p.getNodePort();
          if (ports.range().parse(Integer.toString(port)) < 0) {
            throw failed(svc, path, port, "provided port is not in the valid range. The range of valid ports is "
                + "30000-32767");
          }
          chain = chain.thenCompose(x -> step(rc.dryRun() ? null : ports.allocate(Integer.toString(port), owner),
              Integer.toString(port), taken.ports()::add,
              () -> failed(svc, path, port, "provided port is already allocated")));
        }
      }
    }
    return chain;
  }

  /**
   * One allocation: on success record it, on failure answer this step's own error. In a dry run nothing is
   * taken: {@code allocation} is null and {@code dryRunValue} stands in.
   */
  private static CompletionStage<Void> step(CompletionStage<String> allocation, String dryRunValue,
                                            java.util.function.Consumer<String> onSuccess,
                                            java.util.function.Supplier<ApiException> onFailure) {
    if (allocation == null) {
      onSuccess.accept(dryRunValue);
      return CompletableFuture.completedFuture(null);
    }
    return allocation.handle((v, e) -> {
      if (e != null) {
        throw onFailure.get();
      }
      onSuccess.accept(v);
      return null;
    });
  }

  /** alloc.go's normalizeClusterIPs and initIPFamilyFields for a single-stack IPv4 cluster. */
  private void prepareIpFields(Service svc, Service old) {
    if (svc.getSpec() == null) {
      return;
    }
    ServiceDefaults.normalizeClusterIPs(svc, old);
    List<FieldError> errs = ServiceDefaults.initIPFamilyFields(svc, old);
    if (!errs.isEmpty()) {
      throw services.invalid(svc.getMetadata().getName(), errs);
    }
  }

  private ApiException failed(Service svc, FieldPath path, Object value, String detail) {
    FieldError err = FieldError.invalid(path, value == null ? FieldError.OMIT : value, detail);
    return services.invalid(svc.getMetadata().getName(), List.of(err));
  }

  private void giveBack(Taken taken) {
    taken.ips().forEach(ips::release);
    taken.ports().forEach(ports::release);
  }

  private static void setClusterIp(Service svc, String ip) {
    svc.getSpec().setClusterIP(ip);
    svc.getSpec().setClusterIPs(List.of(ip));
  }

  /** The registry's patchAllocatedValues: what an update leaves empty keeps its allocated value. */
  private static void keepAllocated(Service s, Service old) {
    if (s.getSpec() == null || old.getSpec() == null) {
      return;
    }
    if ((s.getSpec().getClusterIP() == null || s.getSpec().getClusterIP().isEmpty())
        && old.getSpec().getClusterIP() != null) {
      s.getSpec().setClusterIP(old.getSpec().getClusterIP());
      s.getSpec().setClusterIPs(old.getSpec().getClusterIPs());
    }
    String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
    if ((type.equals("NodePort") || type.equals("LoadBalancer")) && s.getSpec().getPorts() != null
        && old.getSpec().getPorts() != null) {
      for (ServicePort p : s.getSpec().getPorts()) {
        if (p.getNodePort() == null || p.getNodePort() == 0) {
          old.getSpec().getPorts().stream()
              .filter(o -> Objects.equals(o.getPort(), p.getPort()) && Objects.equals(o.getProtocol(), p.getProtocol()))
              .findFirst().ifPresent(o -> p.setNodePort(o.getNodePort()));
        }
      }
    }
  }

  private static void copyAllocations(Service from, Service to) {
    if (to.getSpec() == null || from.getSpec() == null) {
      return;
    }
    to.getSpec().setClusterIP(from.getSpec().getClusterIP());
    to.getSpec().setClusterIPs(from.getSpec().getClusterIPs());
    if (to.getSpec().getPorts() != null && from.getSpec().getPorts() != null) {
      for (int i = 0; i < to.getSpec().getPorts().size() && i < from.getSpec().getPorts().size(); i++) {
        to.getSpec().getPorts().get(i).setNodePort(from.getSpec().getPorts().get(i).getNodePort());
      }
    }
  }

  private static List<String> noLongerUsed(Service old, Service now) {
    List<String> gone = new ArrayList<>(clusterIps(old));
    gone.removeAll(clusterIps(now));
    List<String> ports = new ArrayList<>(nodePorts(old));
    ports.removeAll(nodePorts(now));
    gone.addAll(ports);
    return gone;
  }

  static List<String> clusterIps(Service s) {
    if (s.getSpec() == null || s.getSpec().getClusterIP() == null || s.getSpec().getClusterIP().isEmpty()
        || "None".equals(s.getSpec().getClusterIP())) {
      return List.of();
    }
    return List.of(s.getSpec().getClusterIP());
  }

  static List<String> nodePorts(Service s) {
    if (s.getSpec() == null || s.getSpec().getPorts() == null) {
      return List.of();
    }
    return s.getSpec().getPorts().stream().filter(p -> p.getNodePort() != null && p.getNodePort() > 0)
        .map(p -> Integer.toString(p.getNodePort())).toList();
  }

}
