package io.kemu.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.Admission;
import io.kemu.apiserver.admission.SecurityChain;
import io.kemu.apiserver.authn.ServiceAccountTokens;
import io.kemu.apiserver.authn.TokenAuthenticator;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.BootstrapPolicy;
import io.kemu.apiserver.authz.PolicyReconciler;
import io.kemu.apiserver.authz.RbacAuthorizer;
import io.kemu.apiserver.authz.StoredPolicy;
import io.kemu.apiserver.defaults.NamespaceDefaults;
import io.kemu.apiserver.discovery.Discovery;
import io.kemu.apiserver.discovery.OpenApi;
import io.kemu.apiserver.endpoint.InClusterEndpoint;
import io.kemu.apiserver.endpoints.KubeletClient;
import io.kemu.apiserver.endpoints.NonResourceHandler;
import io.kemu.apiserver.endpoints.ResourceHandler;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.http.HttpServer;
import io.kemu.apiserver.metrics.ApiMetrics;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.registry.Strategy;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kemu.apiserver.registry.SimpleStrategy;
import io.kemu.apiserver.registry.apps.DeploymentStrategy;
import io.kemu.apiserver.registry.apps.ReplicaSetStrategy;
import io.kemu.apiserver.registry.batch.JobStrategy;
import io.kemu.apiserver.registry.core.Allocator;
import io.kemu.apiserver.registry.core.EventStrategy;
import io.kemu.apiserver.registry.core.EventsV1;
import io.kemu.apiserver.registry.core.ResourceQuotaStrategy;
import io.kemu.apiserver.registry.core.ServiceRest;
import io.kemu.apiserver.registry.core.ServiceStrategy;
import io.kemu.apiserver.registry.policy.PodDisruptionBudgetStrategy;
import io.kemu.apiserver.validation.ConfigMapValidation;
import io.kemu.apiserver.validation.EndpointSliceValidation;
import io.kemu.apiserver.validation.EndpointsValidation;
import io.kemu.apiserver.validation.LimitRangeValidation;
import io.kemu.apiserver.validation.PriorityClassValidation;
import io.kemu.apiserver.validation.RbacValidation;
import io.kemu.apiserver.validation.SecretValidation;
import io.kemu.apiserver.validation.ServiceAccountValidation;
import java.util.Map;
import io.kemu.apiserver.registry.core.LeaseStrategy;
import io.kemu.apiserver.registry.core.NamespaceStrategy;
import io.kemu.apiserver.registry.core.NodeStrategy;
import io.kemu.apiserver.registry.core.PodStrategy;
import io.kemu.apiserver.storage.EtcdClient;
import io.kemu.apiserver.storage.Storage;
import io.kemu.apiserver.tls.ServerTls;
import io.kemu.apiserver.watchcache.CachedObject;
import io.kemu.apiserver.watchcache.WatchCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The apiserver role: storage client, one watch cache and registry per resource, the security chain, the
 * HTTPS server for real clients and the in-cluster endpoint for kemu's components.
 */
public final class ApiServer {
  private ApiServer() {}

  private enum Tick { BOOTSTRAP, BOOTSTRAP_FAILED, BOOTSTRAPPED, COMPACT }

  public static Behavior<Object> create(ApiServerSettings s) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Clock clock = Clock.systemUTC();
      org.slf4j.Logger log = ctx.getLog(); // futures complete off the actor: they may use the logger, not ctx
      var system = ctx.getSystem();
      EtcdClient etcd = new EtcdClient(system, s.storageTimeout());
      Storage storage = new Storage(etcd);

      List<Registry<?>> registries = new ArrayList<>();
      List<ConcurrentSkipListMap<String, CachedObject>> caches = new ArrayList<>();
      for (Strategy<? extends HasMetadata> strategy : strategies(s)) {
        registries.add(registry(ctx, strategy, storage, s, caches));
      }

      ServiceAccountTokens.Lookup live = (resource, ns, name) -> {
        Registry<?> reg = registries.stream().filter(r -> r.type().resource().equals(resource) && r.type().group()
            .isEmpty()).findFirst().orElse(null);
        CachedObject o = reg == null ? null : reg.cached(ns, name);
        return o == null ? null : o.tree().path("metadata").path("uid").asText(null);
      };
      TokenAuthenticator authn = new TokenAuthenticator(s.tokenFile(),
          ServiceAccountTokens.load(s.pkiDir(), clock, live).orElse(null));
      BootstrapPolicy bootstrap = new BootstrapPolicy();
      StoredPolicy policy = new StoredPolicy(find(registries, Resources.ROLES), find(registries, Resources.ROLE_BINDINGS),
          find(registries, Resources.CLUSTER_ROLES), find(registries, Resources.CLUSTER_ROLE_BINDINGS), bootstrap);
      RbacAuthorizer authz = new RbacAuthorizer(policy);
      Registry<Namespace> namespaces = find(registries, Resources.NAMESPACES);
      Registry<Service> services = find(registries, Resources.SERVICES);
      Registry<Endpoints> endpoints = find(registries, Resources.ENDPOINTS);
      ServiceRest serviceRest = new ServiceRest(services,
          new Allocator(storage, "/registry/kemu/serviceips/", Allocator.ipv4(s.serviceCidr(), true)),
          new Allocator(storage, "/registry/kemu/nodeports/", Allocator.ports(30000, 32767)));
      Admission admission = SecurityChain.admission(ctx, registries, s, clock);
      ApiMetrics metrics = new ApiMetrics();
      List<ResourceType> types = registries.stream().map(Registry::type).toList();
      String address = s.host() + ":" + s.port();
      NonResourceHandler nonResource = new NonResourceHandler(new Discovery(types, ResourceHandler.virtualResources(),
          address), new OpenApi(types), etcd::isConnected, metrics::scrape);
      ResourceHandler handler = new ResourceHandler(registries, authn, authz,
          SecurityChain.authorizer(registries, authz), admission, clock, nonResource, serviceRest,
          new KubeletClient(system, s.storageTimeout()));

      SSLContext ssl = ServerTls.serverContext(s.pkiDir().resolve("apiserver.crt"),
          s.pkiDir().resolve("apiserver.key"), s.pkiDir().resolve("ca.crt"));
      HttpServer.start(system, handler, metrics, clock, ssl, new HttpServer.Settings(s.host(), s.port(),
              s.maxBodyBytes(), s.bodyReadTimeout(), s.maxRequestsInflight(), s.maxMutatingRequestsInflight()))
          .whenComplete((binding, err) -> {
            if (err != null) {
              log.error("cannot serve HTTPS on {}: {}", address, err.toString());
              system.terminate();
            } else {
              log.info("apiserver serving HTTPS on {}", binding.localAddress());
            }
          });
      ctx.spawn(InClusterEndpoint.create(handler, clock), "endpoint");

      timers.startSingleTimer(Tick.BOOTSTRAP, Duration.ofMillis(100));
      timers.startTimerWithFixedDelay(Tick.COMPACT, s.compactionInterval());
      ArrayDeque<Long> seenRevisions = new ArrayDeque<>();
      return Behaviors.receiveMessage(msg -> {
        if (msg == Tick.BOOTSTRAP) {
          ctx.pipeToSelf(bootstrapNamespaces(namespaces, clock).thenCompose(x -> bootstrapKubernetesService(
              serviceRest, endpoints, s, clock)).thenCompose(x -> PolicyReconciler.reconcile(bootstrap,
              find(registries, Resources.CLUSTER_ROLES), find(registries, Resources.CLUSTER_ROLE_BINDINGS),
              systemContext(clock))).thenAccept(x -> {
                policy.markReconciled();
                log.info("bootstrap RBAC policy reconciled");
              }), (x, err) -> {
            if (err != null) {
              log.info("system namespaces not ready yet ({}), retrying", err.getMessage());
              return Tick.BOOTSTRAP_FAILED;
            }
            return Tick.BOOTSTRAPPED;
          });
        } else if (msg == Tick.BOOTSTRAP_FAILED) {
          timers.startSingleTimer(Tick.BOOTSTRAP, Duration.ofSeconds(1));
        } else if (msg == Tick.COMPACT) {
          compact(ctx, storage, seenRevisions);
        }
        return Behaviors.same();
      });
    }));
  }

  /** Every kind kemu serves, with its registry rules. */
  static List<Strategy<? extends HasMetadata>> strategies(ApiServerSettings s) {
    return List.of(new NamespaceStrategy(), new PodStrategy(), new NodeStrategy(),
        new EventStrategy(s.eventTtl().toSeconds()), new ServiceStrategy(),
        new SimpleStrategy<>(Resources.ENDPOINTS, EndpointsValidation::validateCreate,
            EndpointsValidation::validateUpdate, Map.of()),
        new SimpleStrategy<>(Resources.CONFIGMAPS, ConfigMapValidation::validateCreate,
            ConfigMapValidation::validateUpdate, Map.of()),
        new SimpleStrategy<>(Resources.SECRETS, SecretValidation::validateCreate, SecretValidation::validateUpdate,
            Map.of("type", "/type")),
        new SimpleStrategy<>(Resources.SERVICE_ACCOUNTS, ServiceAccountValidation::validateCreate,
            ServiceAccountValidation::validateUpdate, Map.of()),
        new SimpleStrategy<>(Resources.LIMIT_RANGES, LimitRangeValidation::validateCreate,
            LimitRangeValidation::validateUpdate, Map.of()),
        new ResourceQuotaStrategy(), new DeploymentStrategy(), new ReplicaSetStrategy(), new JobStrategy(),
        new LeaseStrategy(),
        new SimpleStrategy<>(Resources.ROLES, RbacValidation::validateRole, RbacValidation::validateRoleUpdate,
            Map.of()),
        new SimpleStrategy<>(Resources.ROLE_BINDINGS, RbacValidation::validateRoleBinding,
            RbacValidation::validateRoleBindingUpdate, Map.of()),
        new SimpleStrategy<>(Resources.CLUSTER_ROLES, RbacValidation::validateClusterRole,
            RbacValidation::validateClusterRoleUpdate, Map.of()),
        new SimpleStrategy<>(Resources.CLUSTER_ROLE_BINDINGS, RbacValidation::validateClusterRoleBinding,
            RbacValidation::validateClusterRoleBindingUpdate, Map.of()),
        new SimpleStrategy<>(Resources.PRIORITY_CLASSES, PriorityClassValidation::validateCreate,
            PriorityClassValidation::validateUpdate, Map.of()),
        new SimpleStrategy<>(Resources.ENDPOINT_SLICES, EndpointSliceValidation::validateCreate,
            EndpointSliceValidation::validateUpdate, Map.of()),
        new PodDisruptionBudgetStrategy(), new EventsV1.Strategy(s.eventTtl().toSeconds()));
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> Registry<T> find(List<Registry<?>> registries, ResourceType type) {
    return (Registry<T>) registries.stream().filter(r -> r.type() == type).findFirst().orElseThrow();
  }

  /**
   * The bootstrap controller's "kubernetes" Service in default: the first IP of the service CIDR, port 443 to
   * the apiserver's port, and its Endpoints.
   */
  private static java.util.concurrent.CompletionStage<Void> bootstrapKubernetesService(
      ServiceRest services, Registry<Endpoints> endpoints, ApiServerSettings s, Clock clock) {
    UserInfo system = new UserInfo("system:apiserver", "", List.of(UserInfo.SYSTEM_MASTERS));
    RequestContext rc = new RequestContext(system, false, "kube-apiserver", clock.instant());
    String ip = Allocator.ipv4(s.serviceCidr(), false).render(Allocator.ipv4(s.serviceCidr(), false).first());
    Service svc = new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
        .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(ip).withClusterIPs(ip).withSessionAffinity("None")
        .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").withInternalTrafficPolicy("Cluster")
        .addNewPort().withName("https").withPort(443).withProtocol("TCP")
        .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(s.port())).endPort().endSpec().build();
    Endpoints ep = new EndpointsBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
        .addToLabels("endpointslice.kubernetes.io/skip-mirror", "true").endMetadata()
        .addNewSubset().addNewAddress().withIp(s.host()).endAddress()
        .addNewPort().withName("https").withPort(s.port()).withProtocol("TCP").endPort().endSubset().build();
    // Endpoints validation refuses loopback addresses (ValidateNonSpecialIP), as it would refuse kube-apiserver's own
    // reconciler with a loopback --advertise-address: a cluster served on 127.0.0.1 has a Service without Endpoints.
    if (isLoopback(s.host())) {
      return ignoreExisting(attempt(() -> services.create(rc, svc)));
    }
    return ignoreExisting(attempt(() -> services.create(rc, svc)))
        .thenCompose(x -> ignoreExisting(attempt(() -> endpoints.create(rc, ep))));
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /** A registry call whose synchronous failures (validation) become a failed stage. */
  private static <T> java.util.concurrent.CompletionStage<T> attempt(
      java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  private static java.util.concurrent.CompletionStage<Void> ignoreExisting(java.util.concurrent.CompletionStage<?> op) {
    return op.handle((created, err) -> {
      Throwable cause = err == null ? null : Registry.unwrap(err);
      if (cause != null && !(cause instanceof ApiException api && (api.code() == 409 || api.code() == 422))) {
        throw Registry.rethrow(cause);
      }
      return null;
    });
  }

  private static <T extends HasMetadata> Registry<T> registry(ActorContext<Object> ctx, Strategy<T> strategy,
                                                               Storage storage, ApiServerSettings s,
                                                               List<ConcurrentSkipListMap<String, CachedObject>> caches) {
    ConcurrentSkipListMap<String, CachedObject> objects = new ConcurrentSkipListMap<>();
    caches.add(objects);
    AtomicReference<Registry<T>> holder = new AtomicReference<>();
    // A failing cache restarts (relists); its watchers' clients see their streams end and re-watch.
    ActorRef<WatchCache.Command> cache = ctx.spawn(Behaviors.supervise(WatchCache.create(strategy.type(), storage,
            (key, json, rev, lease) -> holder.get().toCached(key, json, rev, lease), objects,
            new WatchCache.Settings(s.watchCacheWindow(), s.bookmarkInterval(), Duration.ofMillis(500))))
        .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.restart()),
        "watch-cache-" + strategy.type().groupResource());
    Registry<T> registry = new Registry<>(strategy, storage, cache, objects, ctx.getSystem(), s.storageTimeout(),
        strategy.type() == Resources.EVENTS_V1 ? EventsV1.CONVERTER : Registry.Converter.IDENTITY);
    holder.set(registry);
    return registry;
  }

  private static RequestContext systemContext(Clock clock) {
    return new RequestContext(new UserInfo("system:apiserver", "", List.of(UserInfo.SYSTEM_MASTERS)), false,
        "kube-apiserver", clock.instant());
  }

  /** Like kube-apiserver's bootstrap controller: the system namespaces always exist. */
  private static java.util.concurrent.CompletionStage<Void> bootstrapNamespaces(Registry<Namespace> namespaces,
                                                                               Clock clock) {
    UserInfo system = new UserInfo("system:apiserver", "", List.of(UserInfo.SYSTEM_MASTERS));
    java.util.concurrent.CompletionStage<Void> chain = java.util.concurrent.CompletableFuture.completedFuture(null);
    for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      chain = chain.thenCompose(x -> {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
        NamespaceDefaults.apply(ns);
        return namespaces.create(new RequestContext(system, false, "kube-apiserver", clock.instant()), ns)
            .handle((created, err) -> {
              Throwable cause = err == null ? null : Registry.unwrap(err);
              if (cause instanceof ApiException api && api.code() == 409) {
                return null;
              }
              if (cause != null) {
                throw Registry.rethrow(cause);
              }
              return null;
            });
      });
    }
    return chain;
  }

  /**
   * kube-apiserver's compactor: every interval, compact etcd up to the revision it saw one interval ago, so
   * that history (and the watch window) covers at least one interval.
   */
  private static void compact(ActorContext<Object> ctx, Storage storage, ArrayDeque<Long> seen) {
    org.slf4j.Logger log = ctx.getLog();
    storage.currentRevision().whenComplete((rev, err) -> {
      if (err != null) {
        return;
      }
      synchronized (seen) {
        Long previous = seen.pollFirst();
        seen.addLast(rev);
        if (previous != null && previous > 0) {
          storage.compact(previous).whenComplete((x, e) -> {
            if (e == null) {
              log.info("compacted etcd history up to revision {}", previous);
            }
          });
        }
      }
    });
  }
}
