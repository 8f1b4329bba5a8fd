package io.kemu.apiserver.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.ApiServerSettings;
import io.kemu.apiserver.admission.plugins.DefaultTolerationSeconds;
import io.kemu.apiserver.admission.plugins.LimitRanger;
import io.kemu.apiserver.admission.plugins.NamespaceLifecycle;
import io.kemu.apiserver.admission.plugins.NodeRestriction;
import io.kemu.apiserver.admission.plugins.PodSecurity;
import io.kemu.apiserver.admission.plugins.Priority;
import io.kemu.apiserver.admission.plugins.ServiceAccount;
import io.kemu.apiserver.admission.quota.QuotaStatusController;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.Authorizer;
import io.kemu.apiserver.authz.NodeAuthorizer;
import io.kemu.apiserver.authz.RbacAuthorizer;
import io.kemu.apiserver.authz.UnionAuthorizer;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.watchcache.CachedObject;
import io.kemu.apiserver.watchcache.WatchFilter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The wiring of the security chain behind authentication: the authorizers in kube-apiserver's order
 * ({@code --authorization-mode=Node,RBAC}) and the admission plugins in kube's plugin order
 * (pkg/kubeapiserver/options/plugins.go AllOrderedPlugins, restricted to those kemu has), each reading the
 * apiserver's watch caches as kube's plugins read informers.
 */
public final class SecurityChain {
  private SecurityChain() {}

  static final UserInfo APISERVER = new UserInfo("system:apiserver", "", List.of(UserInfo.SYSTEM_MASTERS));

  /** Node, then RBAC. */
  public static Authorizer authorizer(List<Registry<?>> registries, RbacAuthorizer rbac) {
    Registry<Pod> pods = find(registries, Resources.PODS);
    return UnionAuthorizer.of(new NodeAuthorizer(NodeAuthorizer.graphOf(pods::cached, pods::cachedObjects)),
        rbac::authorize);
  }

  /**
   * NamespaceLifecycle, LimitRanger, ServiceAccount, NodeRestriction, PodSecurity, Priority,
   * DefaultTolerationSeconds, ResourceQuota; and the quota status controller that kube runs in the controller
   * manager.
   */
  public static Admission admission(ActorContext<?> ctx, List<Registry<?>> registries, ApiServerSettings s,
                                    Clock clock) {
    AdmissionSettings as = AdmissionSettings.fromConfig(ctx.getSystem().settings().config());
    Registry<Namespace> namespaces = find(registries, Resources.NAMESPACES);
    Registry<Pod> pods = find(registries, Resources.PODS);
    Registry<Node> nodes = find(registries, Resources.NODES);
    Registry<LimitRange> limitRanges = find(registries, Resources.LIMIT_RANGES);
    Registry<ResourceQuota> quotas = find(registries, Resources.RESOURCE_QUOTAS);
    Registry<PriorityClass> priorityClasses = find(registries, Resources.PRIORITY_CLASSES);

    QuotaStatusController quotaStatus = new QuotaStatusController(new QuotaStatusController.Store() {
      @Override
      public Collection<ResourceQuota> quotas() {
        return cachedIn(quotas, null);
      }

      @Override
      public List<HasMetadata> objects(ResourceType type, String namespace) {
        return new ArrayList<>(cachedIn(find(registries, type), namespace));
      }

      @Override
      public Collection<ResourceType> served() {
        return registries.stream().<ResourceType>map(Registry::type).toList();
      }

      @Override
      public CompletionStage<?> updateStatus(String namespace, String name, UnaryOperator<ResourceQuota> mutate) {
        return writeStatus(quotas, clock, namespace, name, mutate);
      }
    }, clock, as.quotaHoldBack());
    ctx.spawn(QuotaStatusController.behavior(quotaStatus, as.quotaSyncPeriod()), "quota-status");

    return new Admission(List.of(
        new NamespaceLifecycle(namespaces),
        new LimitRanger(ns -> cachedIn(limitRanges, ns), ns -> live(limitRanges, ns), clock),
        new ServiceAccount(),
        new NodeRestriction((ns, name) -> typed(pods.cached(ns, name)), name -> typed(nodes.cached(null, name))),
        new PodSecurity(as.podSecurity(), name -> {
          Namespace cached = typed(namespaces.cached(null, name));
          return cached != null ? CompletableFuture.completedFuture(cached) : namespaces.get(null, name);
        }, ns -> cachedIn(pods, ns)),
        new Priority(name -> priorityClass(priorityClasses, name), () -> cachedIn(priorityClasses, null)),
        new DefaultTolerationSeconds(s.notReadyTolerationSeconds(), s.unreachableTolerationSeconds()),
        new io.kemu.apiserver.admission.plugins.ResourceQuota(new io.kemu.apiserver.admission.plugins.ResourceQuota
            .Quotas() {
          @Override
          public List<ResourceQuota> cached(String namespace) {
            return cachedIn(quotas, namespace);
          }

          @Override
          public CompletionStage<List<ResourceQuota>> live(String namespace) {
            return SecurityChain.live(quotas, namespace);
          }

          @Override
          public CompletionStage<?> updateStatus(String namespace, String name, UnaryOperator<ResourceQuota> mutate) {
            return writeStatus(quotas, clock, namespace, name, mutate);
          }
        }, clock, quotaStatus::noteCharge)));
  }

  /** Thrown by a status mutation that has nothing to change. */
  private static final class Unchanged extends RuntimeException {
    Unchanged() {
      super(null, null, false, false);
    }
  }

  private static CompletionStage<?> writeStatus(Registry<ResourceQuota> quotas, Clock clock, String namespace,
                                                String name, UnaryOperator<ResourceQuota> mutate) {
    RequestContext rc = new RequestContext(APISERVER, false, "kube-apiserver", clock.instant());
    return quotas.update(rc, namespace, name, "status", stored -> {
      ResourceQuota next = mutate.apply(stored);
      if (next == null) {
        throw new Unchanged();
      }
      return next;
    }).handle((q, err) -> {
      if (err != null && !(Registry.unwrap(err) instanceof Unchanged)) {
        throw Registry.rethrow(Registry.unwrap(err));
      }
      return q;
    });
  }

  /** Read-only copies of a namespace's (or every) cached object of a kind. */
  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> List<T> cachedIn(Registry<T> registry, String namespace) {
    List<T> out = new ArrayList<>();
    for (CachedObject o : registry.cachedObjects()) {
      if (namespace == null || namespace.equals(o.namespace())) {
        out.add((T) o.typed());
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> CompletionStage<List<T>> live(Registry<T> registry, String namespace) {
    return registry.list(namespace, WatchFilter.ALL, "", 0, null).thenApply(res -> {
      List<T> out = new ArrayList<>();
      for (CachedObject o : res.items()) {
        out.add((T) o.typed());
      }
      return out;
    });
  }

  /** A PriorityClass from the watch cache, else from the store (a class just created); null when it does not exist. */
  private static CompletionStage<PriorityClass> priorityClass(Registry<PriorityClass> classes, String name) {
    PriorityClass cached = typed(classes.cached(null, name));
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return classes.get(null, name).handle((pc, err) -> {
      if (err == null) {
        return pc;
      }
      Throwable e = Registry.unwrap(err);
      if (e instanceof io.kemu.apiserver.errors.ApiException ae && ae.code() == 404) {
        return null;
      }
      throw Registry.rethrow(e);
    });
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T typed(CachedObject o) {
    return o == null ? null : (T) o.typed();
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> Registry<T> find(List<Registry<?>> registries, ResourceType type) {
    return (Registry<T>) registries.stream().filter(r -> r.type() == type).findFirst().orElseThrow();
  }
}
