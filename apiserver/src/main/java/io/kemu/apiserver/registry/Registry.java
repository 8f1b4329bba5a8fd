package io.kemu.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.storage.Storage;
import io.kemu.apiserver.storage.StoredJson;
import io.kemu.apiserver.storage.Storage.Stored;
import io.kemu.apiserver.storage.StorageException;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldErrors;
import io.kemu.apiserver.watchcache.CachedObject;
import io.kemu.apiserver.watchcache.WatchCache;
import io.kemu.apiserver.watchcache.WatchEvent;
import io.kemu.apiserver.watchcache.WatchFilter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The storage-facing half of one resource (kube's genericregistry.Store): objects of type {@code T} in etcd
 * under {@link ResourceType#key}, their resourceVersion the etcd modRevision, the rules of the kind in its
 * {@link Strategy}. Everything returns a CompletionStage; failures are {@link ApiException}s.
 */
public final class Registry<T extends HasMetadata> {
  /** A page of a list with its resourceVersion and continue token. */
  public record ListResult<T>(List<T> items, String resourceVersion, String continueToken, Long remaining) {}

  /** What DELETE produced: the object as it was removed, or as it now is while it terminates. */
  public record DeleteResult<T>(T object, boolean deletedNow) {}

  /**
   * Between the stored form and the served one, for a kind served in another version than it is stored in
   * (events.k8s.io/v1 Events are stored as core/v1 Events, as in kube).
   */
  public interface Converter {
    ObjectNode toServed(ObjectNode stored);

    ObjectNode toStored(ObjectNode served);

    Converter IDENTITY = new Converter() {
      public ObjectNode toServed(ObjectNode stored) {
        return stored;
      }

      public ObjectNode toStored(ObjectNode served) {
        return served;
      }
    };
  }

  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Strategy<T> strategy;
  private final ResourceType type;
  private final Class<T> cls;
  private final Storage storage;
  private final ActorRef<WatchCache.Command> cache;
  private final ConcurrentSkipListMap<String, CachedObject> cached;
  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final Converter converter;

  public Registry(Strategy<T> strategy, Storage storage, ActorRef<WatchCache.Command> cache,
                  ConcurrentSkipListMap<String, CachedObject> cached, ActorSystem<?> system, Duration askTimeout) {
    this(strategy, storage, cache, cached, system, askTimeout, Converter.IDENTITY);
  }

  @SuppressWarnings("unchecked")
  public Registry(Strategy<T> strategy, Storage storage, ActorRef<WatchCache.Command> cache,
                  ConcurrentSkipListMap<String, CachedObject> cached, ActorSystem<?> system, Duration askTimeout,
                  Converter converter) {
    this.strategy = strategy;
    this.type = strategy.type();
    this.cls = (Class<T>) type.type();
    this.storage = storage;
    this.cache = cache;
    this.cached = cached;
    this.system = system;
    this.askTimeout = askTimeout;
    this.converter = converter;
  }

  public ResourceType type() {
    return type;
  }

  public Strategy<T> strategy() {
    return strategy;
  }

  /**
   * The watch cache's copy as the likely current state of an update (the cacher's GuaranteedUpdate does the same):
   * saves reading the key from etcd; a stale copy fails the compare-and-swap and the update retries on the
   * current value, and a rejection based on it is checked against the current value before it is returned.
   */
  private Storage.Stored cachedState(String key) {
    CachedObject c = cached.get(key);
    return c == null || c.stored() == null ? null
        : new Storage.Stored(key, c.stored(), c.resourceVersion(), c.lease());
  }

  /** The cached object (like an informer lister: possibly a little behind), or null. */
  public CachedObject cached(String namespace, String name) {
    return cached.get(type.key(namespace, name));
  }

  public Iterable<CachedObject> cachedObjects() {
    return cached.values();
  }

  /** The cached objects of one namespace (cluster-scoped kinds: all of them). */
  public Iterable<CachedObject> cachedIn(String namespace) {
    if (!type.namespaced() || namespace == null || namespace.isEmpty()) {
      return cached.values();
    }
    String prefix = type.prefix(namespace);
    return cached.subMap(prefix, prefix + "\uffff").values();
  }

  // ------------------------------------------------------------------ codec

  public T decode(byte[] json, long rev) {
    T obj = converter == Converter.IDENTITY ? KubeJson.read(json, cls)
        : KubeJson.convert(converter.toServed((ObjectNode) KubeJson.tree(json)), cls);
    if (obj.getMetadata() == null) {
      obj.setMetadata(new ObjectMeta());
    }
    obj.getMetadata().setResourceVersion(Long.toString(rev));
    return obj;
  }

  /** Storage form: no resourceVersion (it is the modRevision), no selfLink. */
  public byte[] encode(T obj) {
    String rv = obj.getMetadata().getResourceVersion();
    obj.getMetadata().setResourceVersion(null);
    obj.getMetadata().setSelfLink(null);
    try {
      return converter == Converter.IDENTITY ? KubeJson.bytes(obj)
          : KubeJson.bytes(converter.toStored(KubeJson.MAPPER.valueToTree(obj)));
    } finally {
      obj.getMetadata().setResourceVersion(rv);
    }
  }

  public CachedObject toCached(String key, byte[] json, long rev, long lease) {
    ObjectNode tree = converter.toServed(WatchCache.treeWithRevision(json, rev));
    Map<String, String> labels = KubeJson.MAPPER.convertValue(tree.path("metadata").path("labels"),
        KubeJson.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    // served bytes: the stored ones with the resourceVersion spliced in, rather than the tree serialized again
    byte[] served = converter == Converter.IDENTITY ? StoredJson.withResourceVersion(json, rev) : null;
    return new CachedObject(key, rev, tree, served != null ? served : KubeJson.bytes(tree), json, lease,
        labels == null ? Map.of() : labels, fields(tree), cls);
  }

  /** The values of the selectable fields (GetAttrs); absent ones read as "" (booleans as "false"). */
  public Map<String, String> fields(JsonNode tree) {
    Map<String, String> out = new java.util.HashMap<>();
    strategy.fieldPaths().forEach((field, pointer) -> {
      JsonNode v = tree.at(pointer);
      out.put(field, v.isMissingNode() || v.isNull() ? (pointer.endsWith("unschedulable") ? "false" : "")
          : v.isValueNode() ? v.asText() : v.toString());
    });
    return out;
  }

  // ------------------------------------------------------------------ reads

  public CompletionStage<T> get(String namespace, String name) {
    return storage.get(type.key(namespace, name)).thenApply(o -> {
      Stored s = o.orElseThrow(() -> notFound(name));
      return decode(s.value(), s.revision());
    });
  }

  /**
   * resourceVersion "0": any recent state, from the watch cache. Unset: the newest state, read from etcd
   * (consistent, paged with limit/continue). A specific version: at that revision, from etcd.
   */
  public CompletionStage<ListResult<CachedObject>> list(String namespace, WatchFilter filter,
                                                         String resourceVersion, long limit, String continueToken) {
    WatchFilter f = new WatchFilter(type.namespaced() ? namespace : null, filter.labels(), filter.fields());
    if ("0".equals(resourceVersion) && (continueToken == null || continueToken.isEmpty())) {
      return AskPattern.<WatchCache.Command, WatchCache.Snapshot>ask(cache,
              r -> new WatchCache.List_(f, r), askTimeout, system.scheduler())
          .thenApply(snap -> new ListResult<>(snap.items(), Long.toString(snap.resourceVersion()), null, null));
    }
    long rev = parseResourceVersion(resourceVersion);
    return storage.list(type.prefix(f.namespace()), rev, limit, continueToken, s -> {
          CachedObject o = toCached(s.key(), s.value(), s.revision(), s.lease());
          return f.matches(o);
        })
        .thenApply(res -> new ListResult<>(res.items().stream().map(s -> toCached(s.key(), s.value(), s.revision(), s.lease()))
            .toList(), Long.toString(res.revision()), res.continueToken(), res.remainingItemCount()))
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof io.kemu.apiserver.storage.EtcdClient.EtcdError err && err.isCompacted()) {
            throw ApiException.gone("resourceVersion: Invalid value: \"" + resourceVersion
                + "\": too old resource version");
          }
          throw rethrow(cause);
        });
  }

  /** A watch served by the watch cache; {@code resourceVersion} unset or "0" starts with the current objects. */
  public CompletionStage<Source<WatchEvent, NotUsed>> watch(String namespace, WatchFilter filter,
                                                           String resourceVersion, boolean bookmarks) {
    Long from = resourceVersion == null || resourceVersion.isEmpty() || "0".equals(resourceVersion) ? null
        : parseResourceVersion(resourceVersion);
    WatchFilter f = new WatchFilter(type.namespaced() ? namespace : null, filter.labels(), filter.fields());
    return AskPattern.<WatchCache.Command, WatchCache.Started>ask(cache,
        r -> new WatchCache.Watch(f, from, bookmarks, 10_000, r), askTimeout, system.scheduler())
        .thenApply(WatchCache.Started::events);
  }

  // ------------------------------------------------------------------ writes

  public CompletionStage<T> create(RequestContext rc, T obj) {
    return createServed(rc, obj).thenApply(Created::object);
  }

  /** A created object and its JSON as served (null when it could not be had without encoding the object). */
  public record Created<T>(T object, byte[] json) {}

  /**
   * As {@link #create}, also returning the object's JSON built from the stored bytes (the response to a create
   * need not encode the object a second time).
   */
  public CompletionStage<Created<T>> createServed(RequestContext rc, T obj) {
    ObjectMeta meta = obj.getMetadata() == null ? new ObjectMeta() : obj.getMetadata();
    obj.setMetadata(meta);
    if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null
        && !meta.getGenerateName().isEmpty()) {
      meta.setName(generateName(meta.getGenerateName()));
    }
    meta.setUid(UUID.randomUUID().toString());
    meta.setCreationTimestamp(KubeJson.timestamp(rc.now()));
    meta.setResourceVersion(null);
    meta.setDeletionTimestamp(null);
    meta.setDeletionGracePeriodSeconds(null);
    meta.setSelfLink(null);
    if (!type.namespaced()) {
      meta.setNamespace(null);
    }
    meta.setGeneration(strategy.tracksGeneration() ? 1L : null);
    strategy.prepareForCreate(obj);
    List<FieldError> errs = strategy.validate(obj);
    if (!errs.isEmpty()) {
      throw invalid(meta.getName(), errs);
    }
    if (rc.dryRun()) {
      return CompletableFuture.completedFuture(new Created<>(obj, null));
    }
    String key = type.key(meta.getNamespace(), meta.getName());
    byte[] stored = encode(obj);
    return storage.create(key, stored, strategy.ttlSeconds(obj))
        .thenApply(s -> {
          obj.getMetadata().setResourceVersion(Long.toString(s.revision()));
          return new Created<>(obj, converter == Converter.IDENTITY
              ? StoredJson.withResourceVersion(stored, s.revision()) : null);
        })
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof StorageException se && se.code() == StorageException.Code.KEY_EXISTS) {
            throw ApiException.alreadyExists(type.group(), type.resource(), meta.getName());
          }
          throw rethrow(cause);
        });
  }

  /**
   * Replaces an object (PUT) or its status. {@code mutate} receives the stored object and returns the new one
   * (the request body for PUT, the patched object for PATCH); a resourceVersion in it is a precondition.
   */
  public CompletionStage<T> update(RequestContext rc, String namespace, String name, String subresource,
                                   UnaryOperator<T> mutate) {
    String key = type.key(namespace, name);
    boolean status = "status".equals(subresource);
    @SuppressWarnings("unchecked")
    T[] result = (T[]) new HasMetadata[1];
    boolean[] finalizersDone = new boolean[1];
    return storage.guaranteedUpdate(key, cachedState(key), cur -> {
          T old = decode(cur.value(), cur.revision());
          T obj = mutate.apply(KubeJson.copy(old));
          ObjectMeta meta = obj.getMetadata() == null ? new ObjectMeta() : obj.getMetadata();
          obj.setMetadata(meta);
          if (meta.getName() != null && !meta.getName().isEmpty() && !meta.getName().equals(name)) {
            throw ApiException.badRequest("the name of the object (" + meta.getName()
                + ") does not match the name on the URL (" + name + ")");
          }
          String rv = meta.getResourceVersion();
          if (rv != null && !rv.isEmpty() && !rv.equals(Long.toString(cur.revision()))) {
            throw ApiException.conflictOnUpdate(type.group(), type.resource(), name);
          }
          if ((rv == null || rv.isEmpty()) && !strategy.allowUnconditionalUpdate()) {
            throw invalid(name, List.of(FieldError.invalid(io.kemu.apiserver.validation.FieldPath.root("metadata",
                "resourceVersion"), 0, "must be specified for an update")));
          }
          keepSystemMetadata(meta, old.getMetadata(), type.namespaced() ? namespace : null, name);
          if (status) {
            strategy.prepareForStatusUpdate(obj, old);
          } else {
            strategy.prepareForUpdate(obj, old);
            if (strategy.tracksGeneration() && strategy.bumpsGeneration(obj, old)) {
              long gen = old.getMetadata().getGeneration() == null ? 1 : old.getMetadata().getGeneration();
              meta.setGeneration(gen + 1);
            }
          }
          List<FieldError> errs = status ? strategy.validateStatusUpdate(obj, old) : strategy.validateUpdate(obj, old);
          if (!errs.isEmpty()) {
            throw invalid(name, errs);
          }
          meta.setResourceVersion(null);
          result[0] = obj;
          // genericregistry's shouldDeleteDuringUpdate: the last finalizer left an object deleted with grace 0.
          finalizersDone[0] = noFinalizers(obj) && Long.valueOf(0).equals(old.getMetadata().getDeletionGracePeriodSeconds());
          return rc.dryRun() ? cur.value() : encode(obj);
        })
        .thenCompose(s -> {
          T obj = decode(s.value(), s.revision());
          if (finalizersDone[0] && !rc.dryRun()) {
            return storage.delete(key, s, x -> true).thenApply(d -> obj);
          }
          return CompletableFuture.completedFuture(rc.dryRun() && result[0] != null ? result[0] : obj);
        })
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof StorageException se) {
            if (se.code() == StorageException.Code.KEY_NOT_FOUND) {
              throw notFound(name);
            }
            if (se.code() == StorageException.Code.RESOURCE_VERSION_CONFLICTS) {
              throw ApiException.conflictOnUpdate(type.group(), type.resource(), name);
            }
          }
          throw rethrow(cause);
        });
  }

  /**
   * Read-modify-write for system subresources (pods/binding, namespaces/finalize): no strategy, no validation;
   * the caller's function enforces its own rules by throwing ApiExceptions.
   */
  public CompletionStage<T> systemUpdate(String namespace, String name, UnaryOperator<T> mutate) {
    String key = type.key(namespace, name);
    @SuppressWarnings("unchecked")
    T[] written = (T[]) new HasMetadata[1];
    return storage.guaranteedUpdate(key, cachedState(key), cur -> {
          T obj = mutate.apply(decode(cur.value(), cur.revision()));
          written[0] = obj;
          return encode(obj);
        })
        .thenApply(s -> {
          // what was written, not a decode of it: the object is already at hand
          T obj = written[0] != null ? written[0] : decode(s.value(), s.revision());
          obj.getMetadata().setResourceVersion(Long.toString(s.revision()));
          return obj;
        })
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof StorageException se && se.code() == StorageException.Code.KEY_NOT_FOUND) {
            throw notFound(name);
          }
          throw rethrow(cause);
        });
  }

  /**
   * DELETE: preconditions (uid, resourceVersion), then finalizers and graceful deletion set
   * deletionTimestamp and keep the object; otherwise it is removed at once.
   */
  public CompletionStage<DeleteResult<T>> delete(RequestContext rc, String namespace, String name,
                                                 DeleteOptions options) {
    String key = type.key(namespace, name);
    DeleteOptions opts = options == null ? new DeleteOptions() : options;
    return storage.get(key).thenCompose(found -> {
      Stored cur = found.orElseThrow(() -> notFound(name));
      T obj = decode(cur.value(), cur.revision());
      checkPreconditions(opts, obj, name);
      Long grace = strategy.gracePeriodSeconds(obj, opts.getGracePeriodSeconds());
      List<String> finalizers = new ArrayList<>(Optional.ofNullable(obj.getMetadata().getFinalizers()).orElse(List.of()));
      String policy = opts.getPropagationPolicy();
      if ("Foreground".equals(policy) && !finalizers.contains("foregroundDeletion")) {
        finalizers.add("foregroundDeletion");
      } else if (("Orphan".equals(policy) || Boolean.TRUE.equals(opts.getOrphanDependents()))
          && !finalizers.contains("orphan")) {
        finalizers.add("orphan");
      }
      boolean graceful = grace != null && grace > 0;
      if (finalizers.isEmpty() && !graceful) {
        if (rc.dryRun()) {
          return CompletableFuture.completedFuture(new DeleteResult<>(obj, true));
        }
        return storage.delete(key, cur, s -> preconditionsHold(opts, decode(s.value(), s.revision())))
            .thenApply(s -> new DeleteResult<>(obj, true));
      }
      if (rc.dryRun()) {
        return CompletableFuture.completedFuture(new DeleteResult<>(obj, false));
      }
      // Mark for deletion (updateForGracefulDeletionAndFinalizers: no update validation, it may set what users
      // may not); kubelets, controllers and finalizers finish the job.
      return systemUpdate(namespace, name, o -> {
        checkPreconditions(opts, o, name);
        ObjectMeta m = o.getMetadata();
        if (m.getDeletionTimestamp() == null) {
          m.setDeletionTimestamp(KubeJson.timestamp(rc.now().plusSeconds(graceful ? grace : 0)));
          m.setDeletionGracePeriodSeconds(graceful ? grace : 0L);
        } else if (graceful && m.getDeletionGracePeriodSeconds() != null && grace < m.getDeletionGracePeriodSeconds()) {
          // A shorter grace period may replace a longer one, never the reverse.
          m.setDeletionTimestamp(KubeJson.timestamp(rc.now().plusSeconds(grace)));
          m.setDeletionGracePeriodSeconds(grace);
        }
        m.setFinalizers(finalizers.isEmpty() ? null : finalizers);
        return o;
      }).thenApply(o -> new DeleteResult<>(o, false));
    }).exceptionally(e -> {
      Throwable cause = unwrap(e);
      if (cause instanceof StorageException se) {
        if (se.code() == StorageException.Code.KEY_NOT_FOUND) {
          throw notFound(name);
        }
        if (se.code() == StorageException.Code.RESOURCE_VERSION_CONFLICTS) {
          throw ApiException.conflict(type.group(), type.resource(), name,
              "the ResourceVersion in the precondition (" + preconditionRv(opts) + ") does not match the "
                  + "ResourceVersion in record. The object might have been modified");
        }
      }
      throw rethrow(cause);
    });
  }

  /** Deletion bypassing grace and finalizer handling, used by DELETE with gracePeriodSeconds=0 on a pod. */
  public CompletionStage<T> deleteNow(String namespace, String name, DeleteOptions opts) {
    String key = type.key(namespace, name);
    return storage.delete(key, null, s -> opts == null || preconditionsHold(opts, decode(s.value(), s.revision())))
        .thenApply(s -> decode(s.value(), s.revision()))
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof StorageException se && se.code() == StorageException.Code.KEY_NOT_FOUND) {
            throw notFound(name);
          }
          throw rethrow(cause);
        });
  }

  // ------------------------------------------------------------------ helpers

  private void checkPreconditions(DeleteOptions opts, T obj, String name) {
    if (!preconditionsHold(opts, obj)) {
      if (opts.getPreconditions() != null && opts.getPreconditions().getUid() != null
          && !opts.getPreconditions().getUid().equals(obj.getMetadata().getUid())) {
        throw ApiException.conflict(type.group(), type.resource(), name, "the UID in the precondition ("
            + opts.getPreconditions().getUid() + ") does not match the UID in record ("
            + obj.getMetadata().getUid() + "). The object might have been deleted and then recreated");
      }
      throw ApiException.conflict(type.group(), type.resource(), name, "the ResourceVersion in the precondition ("
          + preconditionRv(opts) + ") does not match the ResourceVersion in record ("
          + obj.getMetadata().getResourceVersion() + "). The object might have been modified");
    }
  }

  private static String preconditionRv(DeleteOptions opts) {
    return opts.getPreconditions() == null ? "" : opts.getPreconditions().getResourceVersion();
  }

  private static boolean preconditionsHold(DeleteOptions opts, HasMetadata obj) {
    var p = opts.getPreconditions();
    if (p == null) {
      return true;
    }
    if (p.getUid() != null && !p.getUid().isEmpty() && !p.getUid().equals(obj.getMetadata().getUid())) {
      return false;
    }
    return p.getResourceVersion() == null || p.getResourceVersion().isEmpty()
        || p.getResourceVersion().equals(obj.getMetadata().getResourceVersion());
  }

  /** Fields an update may not touch (rest.FillObjectMetaSystemFields / the update strategy's metadata rules). */
  private static void keepSystemMetadata(ObjectMeta meta, ObjectMeta old, String namespace, String name) {
    meta.setName(name);
    meta.setNamespace(namespace);
    meta.setUid(old.getUid());
    meta.setCreationTimestamp(old.getCreationTimestamp());
    meta.setDeletionTimestamp(old.getDeletionTimestamp());
    meta.setDeletionGracePeriodSeconds(old.getDeletionGracePeriodSeconds());
    meta.setGeneration(old.getGeneration());
    meta.setSelfLink(null);
    if (meta.getGenerateName() == null) {
      meta.setGenerateName(old.getGenerateName());
    }
  }

  private static boolean noFinalizers(HasMetadata obj) {
    return obj.getMetadata().getFinalizers() == null || obj.getMetadata().getFinalizers().isEmpty();
  }

  private static String generateName(String base) {
    String b = base.length() > 58 ? base.substring(0, 58) : base;
    StringBuilder sb = new StringBuilder(b);
    for (int i = 0; i < 5; i++) {
      sb.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }

  public ApiException notFound(String name) {
    return ApiException.notFound(type.group(), type.resource(), name);
  }

  public ApiException invalid(String name, List<FieldError> errs) {
    return ApiException.invalid(type.group(), type.kind(), name,
        FieldErrors.invalidMessage(type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group(), name, errs),
        errs.stream().map(e -> new ApiException.Cause(e.type().causeType(), e.body(), e.field())).toList());
  }

  static long parseResourceVersion(String rv) {
    if (rv == null || rv.isEmpty()) {
      return 0;
    }
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("resourceVersion: Invalid value: \"" + rv + "\": invalid value, must be "
          + "a non-negative integer");
    }
  }

  public static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  public static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new CompletionException(cause);
  }
}
