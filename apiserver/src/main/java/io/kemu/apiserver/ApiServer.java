package io.kemu.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.Admission;
import io.kemu.apiserver.admission.plugins.DefaultTolerationSeconds;
import io.kemu.apiserver.admission.plugins.NamespaceLifecycle;
import io.kemu.apiserver.admission.plugins.Priority;
import io.kemu.apiserver.admission.plugins.ServiceAccount;
import io.kemu.apiserver.authn.TokenAuthenticator;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.BootstrapPolicy;
import io.kemu.apiserver.authz.RbacAuthorizer;
import io.kemu.apiserver.defaults.NamespaceDefaults;
import io.kemu.apiserver.discovery.Discovery;
import io.kemu.apiserver.discovery.OpenApi;
import io.kemu.apiserver.endpoint.InClusterEndpoint;
import io.kemu.apiserver.endpoints.NonResourceHandler;
import io.kemu.apiserver.endpoints.ResourceHandler;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.http.HttpServer;
import io.kemu.apiserver.metrics.ApiMetrics;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.registry.core.EventStrategy;
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

      List<Strategy<? extends HasMetadata>> strategies = List.of(new NamespaceStrategy(), new PodStrategy(),
          new NodeStrategy(), new EventStrategy(s.eventTtl().toSeconds()), new LeaseStrategy());
      List<Registry<?>> registries = new ArrayList<>();
      List<ConcurrentSkipListMap<String, CachedObject>> caches = new ArrayList<>();
      List<AtomicReference<Boolean>> loaded = new ArrayList<>();
      for (Strategy<? extends HasMetadata> strategy : strategies) {
        registries.add(registry(ctx, strategy, storage, s, caches));
      }

      TokenAuthenticator authn = new TokenAuthenticator(s.tokenFile());
      BootstrapPolicy policy = new BootstrapPolicy();
      RbacAuthorizer authz = new RbacAuthorizer(() -> policy);
      @SuppressWarnings("unchecked")
      Registry<Namespace> namespaces = (Registry<Namespace>) registries.get(0);
      Admission admission = new Admission(List.of(new NamespaceLifecycle(namespaces), new ServiceAccount(),
          new DefaultTolerationSeconds(s.notReadyTolerationSeconds(), s.unreachableTolerationSeconds()),
          new Priority()));
      ApiMetrics metrics = new ApiMetrics();
      List<ResourceType> types = registries.stream().map(Registry::type).toList();
      String address = s.host() + ":" + s.port();
      NonResourceHandler nonResource = new NonResourceHandler(new Discovery(types, address), new OpenApi(types),
          etcd::isConnected, metrics::scrape);
      ResourceHandler handler = new ResourceHandler(registries, authn, authz, admission, clock, nonResource);

      SSLContext ssl = ServerTls.serverContext(s.pkiDir().resolve("apiserver.crt"),
          s.pkiDir().resolve("apiserver.key"), s.pkiDir().resolve("ca.crt"));
      HttpServer.start(system, handler, metrics, clock, ssl, new HttpServer.Settings(s.host(), s.port(),
              s.maxBodyBytes(), s.bodyReadTimeout()))
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
          ctx.pipeToSelf(bootstrapNamespaces(namespaces, clock), (x, err) -> {
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

  private static <T extends HasMetadata> Registry<T> registry(ActorContext<Object> ctx, Strategy<T> strategy,
                                                               Storage storage, ApiServerSettings s,
                                                               List<ConcurrentSkipListMap<String, CachedObject>> caches) {
    ConcurrentSkipListMap<String, CachedObject> objects = new ConcurrentSkipListMap<>();
    caches.add(objects);
    AtomicReference<Registry<T>> holder = new AtomicReference<>();
    // A failing cache restarts (relists); its watchers' clients see their streams end and re-watch.
    ActorRef<WatchCache.Command> cache = ctx.spawn(Behaviors.supervise(WatchCache.create(strategy.type(), storage,
            (key, json, rev) -> holder.get().toCached(key, json, rev), objects,
            new WatchCache.Settings(s.watchCacheWindow(), s.bookmarkInterval(), Duration.ofMillis(500))))
        .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.restart()),
        "watch-cache-" + strategy.type().resource());
    Registry<T> registry = new Registry<>(strategy, storage, cache, objects, ctx.getSystem(), s.storageTimeout());
    holder.set(registry);
    return registry;
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
