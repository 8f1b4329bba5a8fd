package io.kemu.apiserver.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.api.selectors.FieldSelector;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.api.selectors.SelectorParseException;
import io.kemu.apiserver.admission.Admission;
import io.kemu.apiserver.apply.FieldManager;
import io.kemu.apiserver.apply.ManagedFieldsWrites;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.authn.TokenAuthenticator;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.Attributes;
import io.kemu.apiserver.authz.Authorizer;
import io.kemu.apiserver.authz.RbacAuthorizer;
import io.kemu.apiserver.authz.RbacEscalation;
import io.kemu.apiserver.defaults.ObjectDefaults;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.patch.PatchException;
import io.kemu.apiserver.patch.PatchType;
import io.kemu.apiserver.patch.JsonMergePatch;
import io.kemu.apiserver.patch.JsonPatch;
import io.kemu.apiserver.patch.StrategicMergePatch;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.registry.core.NamespaceRest;
import io.kemu.apiserver.registry.ScaleRest;
import io.kemu.apiserver.registry.core.PodBindingRest;
import io.kemu.apiserver.registry.core.PodEvictionRest;
import io.kemu.apiserver.registry.core.TokenRequestRest;
import io.kemu.apiserver.registry.core.ServiceRest;
import io.kemu.apiserver.request.BodyDecoder;
import io.kemu.apiserver.request.BodyDecoder.FieldValidation;
import io.kemu.apiserver.request.MediaTypes;
import io.kemu.apiserver.request.MediaTypes.Output;
import io.kemu.apiserver.request.RequestInfo;
import io.kemu.apiserver.watchcache.CachedObject;
import io.kemu.apiserver.watchcache.WatchFilter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * kube-apiserver's request pipeline for resource requests, transport-independent: authentication,
 * authorization, decoding with defaulting and field validation, admission, then the registry; the answer is a
 * complete body or a watch stream. Non-resource paths (discovery, version, health, OpenAPI) go to
 * {@link NonResourceHandler}.
 */
public final class ResourceHandler {
  /** Paths anonymous requests may read (kube 1.32's AnonymousAuthConfigurableEndpoints, plus /version). */
  static final Set<String> ANONYMOUS_PATHS = Set.of("/version", "/version/", "/healthz", "/livez", "/readyz");

  private final Map<String, Registry<?>> registries;
  private final TokenAuthenticator authn;
  private final RbacAuthorizer authz;
  private final Authorizer authorizer;
  private final Admission admission;
  private final Clock clock;
  private final NonResourceHandler nonResource;
  private final PodBindingRest binding;
  private final NamespaceRest namespaceRest;
  private final ServiceRest serviceRest;
  private final Map<String, ScaleRest<?>> scaleRests;
  private final ReviewHandler reviews;
  private final PodLogs logs;
  private final PodEvictionRest evictions;
  private final TokenRequestRest tokenRequests;
  private final RbacEscalation escalation;

  public ResourceHandler(List<Registry<?>> registries, TokenAuthenticator authn, RbacAuthorizer authz,
                         Authorizer authorizer, Admission admission, Clock clock, NonResourceHandler nonResource,
                         ServiceRest serviceRest, KubeletClient kubelets) {
    this.registries = registries.stream().collect(Collectors.toMap(r -> key(r.type()), Function.identity()));
    this.authn = authn;
    this.authz = authz;
    this.authorizer = authorizer; // the chain (Node, RBAC); authz alone answers rules reviews
    this.admission = admission;
    this.clock = clock;
    this.nonResource = nonResource;
    this.nonResource.setAuthorizer(this::authorize);
    this.binding = new PodBindingRest(registry(Resources.PODS));
    this.namespaceRest = new NamespaceRest(registry(Resources.NAMESPACES));
    this.serviceRest = serviceRest;
    this.scaleRests = Map.of(key(Resources.DEPLOYMENTS), new ScaleRest<>(registry(Resources.DEPLOYMENTS)),
        key(Resources.REPLICA_SETS), new ScaleRest<>(registry(Resources.REPLICA_SETS)));
    this.reviews = new ReviewHandler(authz, a -> authorizer.authorize(a).allowed());
    this.escalation = new RbacEscalation(new RbacEscalation.RuleResolver() {
      @Override
      public List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rulesFor(UserInfo user, String namespace) {
        return authz.rulesFor(user, namespace);
      }

      @Override
      public List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> roleRules(
          io.fabric8.kubernetes.api.model.rbac.RoleRef ref, String namespace) {
        return authz.roleRules(ref, namespace);
      }
    }, a -> authorizer.authorize(a).allowed());
    this.logs = new PodLogs(kubelets);
    this.evictions = new PodEvictionRest(registry(Resources.PODS), registry(Resources.POD_DISRUPTION_BUDGETS));
    this.tokenRequests = new TokenRequestRest(registry(Resources.SERVICE_ACCOUNTS), registry(Resources.PODS),
        registry(Resources.SECRETS), authn.serviceAccounts());
  }

  private static String key(ResourceType t) {
    return t.group() + "/" + t.version() + "/" + t.resource();
  }

  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Registry<T> registry(ResourceType t) {
    return (Registry<T>) registries.get(key(t));
  }

  /** The create-only resources kemu answers without storing them (the self reviews). */
  public static List<io.kemu.apiserver.discovery.Discovery.Virtual> virtualResources() {
    return ReviewHandler.RESOURCES;
  }

  public RbacAuthorizer authorizer() {
    return authz;
  }

  /** Never fails: every error becomes a Status answer. */
  public CompletionStage<ApiResponse> handle(ApiRequest r) {
    CompletionStage<ApiResponse> result;
    try {
      UserInfo user = authenticate(r);
      result = r.info().resourceRequest() ? resource(user, r) : nonResource.handle(user, r);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.exceptionally(e -> {
      Throwable cause = Registry.unwrap(e);
      if (cause instanceof ApiException api) {
        return Responses.error(api);
      }
      if (cause instanceof SelectorParseException spe) {
        return Responses.error(ApiException.badRequest(spe.getMessage()));
      }
      if (cause instanceof PatchException pe) {
        return Responses.error(new ApiException(pe.code(), pe.reason(), pe.getMessage(), null, null, null, null,
            null));
      }
      org.slf4j.LoggerFactory.getLogger(ResourceHandler.class).error("{} {} failed", r.info().verb(),
          r.info().path(), cause);
      return Responses.error(ApiException.internal(String.valueOf(cause.getMessage())));
    });
  }

  UserInfo authenticate(ApiRequest r) {
    if (r.bearerToken() != null && !r.bearerToken().isEmpty()) {
      return authn.authenticate(r.bearerToken()).orElseThrow(ApiException::unauthorized);
    }
    if (r.certUser() != null) {
      return r.certUser();
    }
    if (!r.info().resourceRequest() && ANONYMOUS_PATHS.contains(r.info().path())) {
      return UserInfo.ANONYMOUS_USER;
    }
    throw ApiException.unauthorized();
  }

  void authorize(Attributes a) {
    RbacAuthorizer.Decision decision = authorizer.authorize(a);
    if (!decision.allowed()) {
      String res = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
      // ForbiddenStatusError names the resource without its subresource (the message has both)
      String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
      String prefix = a.resourceRequest()
          ? (a.name().isEmpty() ? qualified + " is forbidden: " : qualified + " \"" + a.name() + "\" is forbidden: ")
          : "forbidden: ";
      // responsewriters.ForbiddenStatusError: the authorizers' reasons follow the message
      String reason = decision.reason() == null || decision.reason().isEmpty() ? "" : ": " + decision.reason();
      throw ApiException.forbidden(a.apiGroup(), res, a.name().isEmpty() ? null : a.name(),
          prefix + a.forbiddenMessage() + reason);
    }
  }

  // ------------------------------------------------------------------ resource requests

  private CompletionStage<ApiResponse> resource(UserInfo user, ApiRequest r) {
    RequestInfo i = r.info();
    io.kemu.apiserver.discovery.Discovery.Virtual review = ReviewHandler.find(i.apiGroup(), i.apiVersion(), i.resource());
    if (review != null) {
      if (!i.verb().equals("create") || !i.name().isEmpty()) {
        throw ApiException.methodNotSupported(review.group(), review.resource(), i.verb());
      }
      // Every authenticated user may review itself (system:basic-user), as upstream.
      return CompletableFuture.completedFuture(reviews.create(review, user, r));
    }
    Registry<?> reg = registries.get(i.apiGroup() + "/" + i.apiVersion() + "/" + i.resource());
    if (reg == null) {
      throw ApiException.notFoundPath();
    }
    ResourceType t = reg.type();
    boolean isNamespaceObject = t == Resources.NAMESPACES;
    if (!t.namespaced() && !isNamespaceObject && !i.namespace().isEmpty()) {
      throw ApiException.notFoundPath();
    }
    if (!i.subresource().isEmpty() && !t.subresources().contains(i.subresource())) {
      throw ApiException.notFoundPath();
    }
    authorize(Attributes.resource(user, i.verb(), i.apiGroup(), i.resource(), i.subresource(), i.namespace(),
        i.name()).withFieldSelector(r.param("fieldSelector")));
    String ns = t.namespaced() ? i.namespace() : null;
    if (t.namespaced() && ns.isEmpty() && !i.name().isEmpty()) {
      throw ApiException.notFoundPath();
    }
    RequestContext rc = new RequestContext(user, isDryRun(r), r.param("fieldManager"), clock.instant());
    Output out = MediaTypes.negotiate(r.accept(), false);
    return switch (i.verb()) {
      case "get" -> get(reg, ns, i, r, out);
      case "list" -> list(reg, ns, r, out);
      case "watch" -> watch(reg, ns, r, out);
      case "create" -> create(reg, ns, i, r, rc, out);
      case "update" -> update(reg, ns, i, r, rc, out);
      case "patch" -> patch(reg, ns, i, r, rc, out);
      case "delete" -> delete(reg, ns, i, r, rc, out);
      case "deletecollection" -> deleteCollection(reg, ns, r, rc);
      default -> throw ApiException.methodNotSupported(t.group(), t.resource(), i.verb());
    };
  }

  @SuppressWarnings("unchecked")
  private CompletionStage<ApiResponse> get(Registry<?> reg, String ns, RequestInfo i, ApiRequest r, Output out) {
    if (i.subresource().equals("scale")) {
      return scaleRests.get(key(reg.type())).get(ns, i.name()).thenApply(sc -> Responses.json(200, sc, List.of()));
    }
    if (i.subresource().equals("log")) {
      return ((Registry<Pod>) reg).get(ns, i.name()).thenCompose(pod -> logs.logs(pod, r));
    }
    if (!i.subresource().isEmpty() && !i.subresource().equals("status")) {
      throw ApiException.methodNotSupported(reg.type().group(), reg.type().resource() + "/" + i.subresource(), "get");
    }
    return reg.get(ns, i.name()).thenApply(o -> Responses.object(200, o, out, r.param("includeObject"),
        clock.instant(), List.of()));
  }

  private CompletionStage<ApiResponse> list(Registry<?> reg, String ns, ApiRequest r, Output out) {
    WatchFilter filter = filter(reg, ns, r);
    String rv = r.param("resourceVersion");
    String match = r.param("resourceVersionMatch");
    if (match != null && !match.isEmpty()) {
      if (rv == null || rv.isEmpty()) {
        throw invalidListOptions("resourceVersionMatch", match, "resourceVersionMatch is forbidden unless "
            + "resourceVersion is provided");
      }
      if (match.equals("Exact") && rv.equals("0")) {
        throw invalidListOptions("resourceVersionMatch", match, "resourceVersionMatch \"exact\" is forbidden for "
            + "resourceVersion \"0\"");
      }
      if (match.equals("NotOlderThan")) {
        rv = "0".equals(rv) ? "0" : "";
      } else if (!match.equals("Exact")) {
        throw invalidListOptions("resourceVersionMatch", match, "supported values: \"Exact\", \"NotOlderThan\"");
      }
    }
    long limit = parseLong(r.param("limit"), "limit");
    return reg.list(ns, filter, rv, limit, r.param("continue"))
        .thenApply(res -> Responses.list(reg.type(), res.items(), res.resourceVersion(), res.continueToken(),
            res.remaining(), out, r.param("includeObject"), clock.instant()));
  }

  private CompletionStage<ApiResponse> watch(Registry<?> reg, String ns, ApiRequest r, Output out) {
    WatchFilter filter = filter(reg, ns, r);
    long timeout = r.param("timeoutSeconds") != null ? parseLong(r.param("timeoutSeconds"), "timeoutSeconds")
        // kube-apiserver closes watches after a random time in [min-request-timeout, 2x] (1800 s).
        : 1800 + ThreadLocalRandom.current().nextLong(1800);
    boolean bookmarks = "true".equals(r.param("allowWatchBookmarks"));
    return reg.watch(ns, filter, r.param("resourceVersion"), bookmarks)
        .thenApply(src -> new ApiResponse.Watch(reg.type(), src, out, r.param("includeObject"), timeout));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> create(Registry reg, String ns, RequestInfo i, ApiRequest r, RequestContext rc,
                                              Output out) {
    ResourceType t = reg.type();
    if (!i.subresource().isEmpty()) {
      if (t == Resources.PODS && i.subresource().equals("eviction")) {
        JsonNode body = BodyDecoder.parse(r.contentType(), r.body());
        Eviction eviction = KubeJson.convert(body, Eviction.class);
        return eviction(rc, ns, i.name(), eviction).thenApply(x -> Responses.json(201,
            Responses.success(201, "policy", "pods/eviction", i.name(), null), List.of()));
      }
      if (t == Resources.SERVICE_ACCOUNTS && i.subresource().equals("token")) {
        JsonNode body = BodyDecoder.parse(r.contentType(), r.body());
        return tokenRequests.create(ns, i.name(), body, rc.now()).thenApply(tr -> Responses.json(201, tr, List.of()));
      }
      if (t == Resources.PODS && i.subresource().equals("binding")) {
        JsonNode body = BodyDecoder.parse(r.contentType(), r.body());
        Binding b = KubeJson.convert(body, Binding.class);
        return binding.bind(ns, i.name(), b, rc.now()).thenApply(p -> {
          Flow.LOG.info("apiserver: bound pod {}/{} to {} for {} (revision {})", ns, i.name(),
              p.getSpec().getNodeName(), rc.user().name(), p.getMetadata().getResourceVersion());
          return Responses.json(201, Responses.success(201, "", "pods/binding", i.name(), null), List.of());
        });
      }
      throw ApiException.methodNotSupported(t.group(), t.resource() + "/" + i.subresource(), "create");
    }
    if (!i.name().isEmpty()) {
      throw ApiException.methodNotSupported(t.group(), t.resource(), "create");
    }
    BodyDecoder.Decoded d = BodyDecoder.decodeObject(r.contentType(), r.body(), t,
        BodyDecoder.fieldValidation(r.param("fieldValidation")));
    HasMetadata obj = d.typed();
    if (obj.getMetadata() == null) {
      obj.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    if (t.namespaced()) {
      String bodyNs = obj.getMetadata().getNamespace();
      if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
            + "the request");
      }
      obj.getMetadata().setNamespace(ns);
    }
    ObjectDefaults.apply(obj);
    ManagedFieldsWrites.update(t, "", null, obj, manager(r, rc), rc.now()); // apply: managedFields
    String name = obj.getMetadata().getName();
    AdmissionAttributes attrs = new AdmissionAttributes(Operation.CREATE, t, "", ns, name, obj, null, rc.user(),
        rc.dryRun());
    return admission.admit(attrs)
        .thenCompose(x -> admission.validate(attrs))
        .thenApply(x -> {
          escalation.check(obj, null, rc.user()); // the RBAC registries' storage checks it after admission
          return x;
        })
        .thenCompose(x -> t == Resources.SERVICES
            ? serviceRest.create(rc, (Service) obj).thenApply(svc -> new Registry.Created<>(svc, null))
            : reg.createServed(rc, obj))
        .thenApply(created -> {
          Registry.Created<?> cr = (Registry.Created<?>) created;
          HasMetadata c = (HasMetadata) cr.object();
          if (t == Resources.PODS) {
            Flow.LOG.info("apiserver: pod {}/{} from {} authenticated, authorized, admitted and stored (revision {})",
                ns, c.getMetadata().getName(), rc.user().name(), c.getMetadata().getResourceVersion());
          }
          List<String> warnings = withAdmissionWarnings(d.warnings(), attrs);
          if (out == Output.JSON && cr.json() != null) {
            return new ApiResponse.Complete(201, MediaTypes.JSON, cr.json(), warnings);
          }
          return Responses.object(201, c, out, r.param("includeObject"), clock.instant(), warnings);
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> update(Registry reg, String ns, RequestInfo i, ApiRequest r, RequestContext rc,
                                              Output out) {
    ResourceType t = reg.type();
    if (i.name().isEmpty()) {
      throw ApiException.methodNotSupported(t.group(), t.resource(), "update");
    }
    if (i.subresource().equals("scale")) {
      JsonNode body = BodyDecoder.parse(r.contentType(), r.body());
      Scale wanted = KubeJson.convert(body, Scale.class);
      return ((ScaleRest) scaleRests.get(key(t))).update(rc, ns, i.name(), current -> wanted)
          .thenApply(sc -> Responses.json(200, sc, List.of()));
    }
    BodyDecoder.Decoded d = BodyDecoder.decodeObject(r.contentType(), r.body(), t,
        BodyDecoder.fieldValidation(r.param("fieldValidation")));
    HasMetadata body = d.typed();
    if (t == Resources.NAMESPACES && i.subresource().equals("finalize")) {
      return namespaceRest.finalize(rc, i.name(), (Namespace) body)
          .thenApply(n -> Responses.object(200, n, out, null, clock.instant(), d.warnings()));
    }
    if (body.getMetadata() != null && t.namespaced() && body.getMetadata().getNamespace() != null
        && !body.getMetadata().getNamespace().isEmpty() && !body.getMetadata().getNamespace().equals(ns)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
          + "the request");
    }
    ObjectDefaults.apply(body);
    List<String> warnings = new ArrayList<>();
    return updater(reg).update(rc, ns, i.name(), i.subresource(), old -> {
          warnings.clear();
          warnings.addAll(d.warnings());
          HasMetadata obj = KubeJson.copy(body); // apply: managedFields are recomputed on each attempt
          ManagedFieldsWrites.update(t, i.subresource(), (HasMetadata) old, obj, manager(r, rc), rc.now());
          admitUpdate(t, i, ns, obj, (HasMetadata) old, rc, warnings);
          return obj;
        })
        .thenApply(o -> Responses.object(200, (HasMetadata) o, out, r.param("includeObject"), clock.instant(),
            warnings));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> patch(Registry reg, String ns, RequestInfo i, ApiRequest r, RequestContext rc,
                                             Output out) {
    ResourceType t = reg.type();
    PatchType type = PatchType.fromContentType(r.contentType()).orElseThrow(() -> new ApiException(415,
        "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
        + "application/strategic-merge-patch+json", null, null, null, null, null));
    if (type == PatchType.APPLY) {
      return applyPatch(reg, ns, i, r, rc, out); // apply
    }
    if (r.param("force") != null) { // apply: validation.ValidatePatchOptions
      throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", "PatchOptions.meta.k8s.io \"\" is invalid: "
          + "force: Forbidden: may not be specified for non-apply patch", List.of(new ApiException.Cause(
          "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")));
    }
    JsonNode patch;
    try {
      patch = KubeJson.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw ApiException.badRequest("error decoding patch: " + e.getMessage());
    }
    FieldValidation mode = BodyDecoder.fieldValidation(r.param("fieldValidation"));
    List<String> warnings = new ArrayList<>();
    if (i.subresource().equals("scale")) {
      return ((ScaleRest) scaleRests.get(key(t))).update(rc, ns, i.name(), current -> {
        JsonNode patched = applyPatch(type == PatchType.STRATEGIC ? PatchType.MERGE : type,
            KubeJson.MAPPER.valueToTree(current), patch, t);
        return KubeJson.convert(patched, Scale.class);
      }).thenApply(sc -> Responses.json(200, sc, List.of()));
    }
    return updater(reg).update(rc, ns, i.name(), i.subresource(), old -> {
          ObjectNode current = KubeJson.MAPPER.valueToTree(old);
          JsonNode patched = applyPatch(type, current, patch, t);
          BodyDecoder.Decoded d = BodyDecoder.decodeObject(MediaTypes.JSON, KubeJson.bytes(patched), t, mode);
          warnings.clear();
          warnings.addAll(d.warnings());
          HasMetadata obj = d.typed();
          // A resourceVersion in the patch is a precondition; otherwise the patch applies to what is stored.
          if (!patch.path("metadata").has("resourceVersion")) {
            obj.getMetadata().setResourceVersion(((HasMetadata) old).getMetadata().getResourceVersion());
          }
          ObjectDefaults.apply(obj);
          ManagedFieldsWrites.update(t, i.subresource(), (HasMetadata) old, obj, manager(r, rc), rc.now()); // apply
          admitUpdate(t, i, ns, obj, (HasMetadata) old, rc, warnings);
          return obj;
        })
        .thenApply(o -> Responses.object(200, (HasMetadata) o, out, r.param("includeObject"), clock.instant(),
            warnings));
  }

  private CompletionStage<Void> eviction(RequestContext rc, String ns, String name, Eviction eviction) {
    // the create of pods/eviction is admitted like any create (NodeRestriction's admitPodEviction)
    AdmissionAttributes attrs = new AdmissionAttributes(Operation.CREATE, Resources.PODS, "eviction", ns, name,
        eviction, null, rc.user(), rc.dryRun());
    return admission.admit(attrs).thenCompose(x -> admission.validate(attrs))
        .thenCompose(x -> evictions.evict(rc, ns, name, eviction));
  }

  /** The write path of a registry: services allocate IPs and ports, everything else goes straight in. */
  @FunctionalInterface
  private interface Updater {
    CompletionStage<?> update(RequestContext rc, String ns, String name, String sub,
                              java.util.function.UnaryOperator<HasMetadata> mutate);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Updater updater(Registry reg) {
    if (reg.type() == Resources.SERVICES) {
      return (rc, ns, name, sub, mutate) -> serviceRest.update(rc, ns, name, sub, (java.util.function.UnaryOperator) mutate);
    }
    return (rc, ns, name, sub, mutate) -> reg.update(rc, ns, name, sub, (java.util.function.UnaryOperator) mutate);
  }

  /** The decoder's warnings followed by the admission plugins' (PodSecurity's "would violate ..."). */
  private static List<String> withAdmissionWarnings(List<String> warnings, AdmissionAttributes attrs) {
    if (attrs.warnings().isEmpty()) {
      return warnings;
    }
    List<String> all = new ArrayList<>(warnings);
    all.addAll(attrs.warnings());
    return all;
  }

  private static JsonNode applyPatch(PatchType type, JsonNode current, JsonNode patch, ResourceType t) {
    return switch (type) {
      case JSON -> JsonPatch.apply(current, patch);
      case MERGE -> JsonMergePatch.apply(current, patch);
      case STRATEGIC -> StrategicMergePatch.apply(current, patch, t.apiVersion(), t.kind());
      default -> throw ApiException.methodNotSupported(t.group(), t.resource(), "apply");
    };
  }

  private void admitUpdate(ResourceType t, RequestInfo i, String ns, HasMetadata obj, HasMetadata old,
                           RequestContext rc, List<String> warnings) {
    AdmissionAttributes attrs = new AdmissionAttributes(Operation.UPDATE, t, i.subresource(), ns, i.name(), obj, old,
        rc.user(), rc.dryRun());
    // Update admission runs inside the compare-and-swap loop; kemu's plugins answer synchronously there.
    admission.admit(attrs).thenCompose(x -> admission.validate(attrs)).toCompletableFuture().join();
    escalation.check(obj, old, rc.user());
    warnings.addAll(attrs.warnings());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> delete(Registry reg, String ns, RequestInfo i, ApiRequest r, RequestContext rc,
                                              Output out) {
    ResourceType t = reg.type();
    if (!i.subresource().isEmpty()) {
      throw ApiException.methodNotSupported(t.group(), t.resource() + "/" + i.subresource(), "delete");
    }
    DeleteOptions opts = deleteOptions(r);
    AdmissionAttributes attrs = new AdmissionAttributes(Operation.DELETE, t, "", ns, i.name(), null, null, rc.user(),
        rc.dryRun());
    // rest.AdmissionToValidateObjectDeleteFunc: mutating plugins (NodeRestriction) see deletes too
    CompletionStage<Registry.DeleteResult<?>> result = admission.admit(attrs).thenCompose(y -> admission.validate(attrs))
        .thenCompose(x -> {
      if (t == Resources.NAMESPACES) {
        return (CompletionStage) namespaceRest.delete(rc, i.name(), opts);
      }
      if (t == Resources.SERVICES) {
        return (CompletionStage) serviceRest.delete(rc, ns, i.name(), opts);
      }
      return (CompletionStage) reg.delete(rc, ns, i.name(), opts);
    });
    return result.thenApply(res -> {
      HasMetadata o = (HasMetadata) res.object();
      if (t == Resources.PODS) {
        Flow.LOG.info("apiserver: pod {}/{} {} by {}", ns, i.name(), res.deletedNow() ? "deleted"
            : "marked for deletion (grace " + o.getMetadata().getDeletionGracePeriodSeconds() + "s)", rc.user().name());
      }
      if (t == Resources.PODS || t == Resources.NAMESPACES || !res.deletedNow()) {
        return Responses.object(200, o, Output.JSON, null, clock.instant(), List.of());
      }
      return Responses.json(200, Responses.success(200, t.group(), t.resource(), i.name(),
          o.getMetadata().getUid()), List.of());
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> deleteCollection(Registry reg, String ns, ApiRequest r, RequestContext rc) {
    ResourceType t = reg.type();
    DeleteOptions opts = deleteOptions(r);
    WatchFilter filter = filter(reg, ns, r);
    return reg.list(ns, filter, "", 0, null).thenCompose(res -> {
      List<CompletableFuture<Object>> deletions = new ArrayList<>();
      for (Object item : ((Registry.ListResult) res).items()) {
        CachedObject o = (CachedObject) item;
        CompletionStage<Object> d = ((CompletionStage<Object>) reg.delete(rc, t.namespaced() ? o.namespace() : null,
            o.name(), opts)).handle((Object x, Throwable e) -> {
              Throwable cause = e == null ? null : Registry.unwrap(e);
              if (cause instanceof ApiException api && api.code() == 404) {
                return null;
              }
              if (cause != null) {
                throw Registry.rethrow(cause);
              }
              return x;
            });
        deletions.add(d.toCompletableFuture());
      }
      return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
          .thenApply(x -> Responses.list(t, ((Registry.ListResult<CachedObject>) res).items(),
              ((Registry.ListResult<CachedObject>) res).resourceVersion(), null, null, Output.JSON, null,
              clock.instant()));
    });
  }

  // ------------------------------------------------------------------ server-side apply (branch apply)

  /** managerOrUserAgent: the fieldManager of a write without one. */
  private static String manager(ApiRequest r, RequestContext rc) {
    return ManagedFieldsWrites.managerOrUserAgent(rc.fieldManager(), r.userAgent(), rc.user());
  }

  /**
   * PATCH with application/apply-patch+yaml (patch.go's applyPatcher): the configuration is applied to the
   * stored object, or, when there is none, to the kind's empty object and created (forceAllowCreate).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> applyPatch(Registry reg, String ns, RequestInfo i, ApiRequest r,
                                                  RequestContext rc, Output out) {
    ResourceType t = reg.type();
    String manager = r.param("fieldManager");
    if (manager == null || manager.isEmpty()) {
      // validation.ValidatePatchOptions
      throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", "PatchOptions.meta.k8s.io \"\" is invalid: "
          + "fieldManager: Required value: is required for apply patch", List.of(new ApiException.Cause(
          "FieldValueRequired", "Required value: is required for apply patch", "fieldManager")));
    }
    boolean force = parseBool(r.param("force"), "force");
    if (!ManagedFieldsWrites.tracked(i.subresource())) {
      throw ApiException.methodNotSupported(t.group(), t.resource() + "/" + i.subresource(), "apply");
    }
    JsonNode parsed;
    try {
      parsed = BodyDecoder.parse(MediaTypes.YAML, r.body());
    } catch (ApiException e) {
      throw ApiException.badRequest("error decoding patch: " + e.getMessage());
    }
    if (parsed == null || !parsed.isObject()) {
      throw ApiException.badRequest("error decoding patch: json: cannot unmarshal " + (parsed == null ? "null"
          : parsed.getNodeType().toString().toLowerCase()) + " into Go value of type map[string]interface {}");
    }
    ObjectNode applied = (ObjectNode) parsed;
    FieldValidation mode = BodyDecoder.fieldValidation(r.param("fieldValidation"));
    FieldManager fm = FieldManager.of(t, i.subresource());
    List<String> warnings = new ArrayList<>();
    CompletionStage<ApiResponse> updated = updater(reg).update(rc, ns, i.name(), i.subresource(), old -> {
          ObjectNode live = KubeJson.MAPPER.valueToTree(old);
          ObjectNode result = fm.apply(live, applied, manager, force, rc.now());
          HasMetadata obj = decodeApplied(t, result, mode, warnings);
          if (!applied.path("metadata").has("resourceVersion")) {
            obj.getMetadata().setResourceVersion(((HasMetadata) old).getMetadata().getResourceVersion());
          }
          ObjectDefaults.apply(obj);
          admitUpdate(t, i, ns, obj, (HasMetadata) old, rc, warnings);
          return obj;
        })
        .thenApply(o -> Responses.object(200, (HasMetadata) o, out, r.param("includeObject"), clock.instant(),
            warnings));
    return updated.handle((done, err) -> err == null ? CompletableFuture.completedFuture(done) : notFound(err)
            .filter(e -> i.subresource().isEmpty())
            .map(e -> applyCreate(reg, ns, i, r, rc, out, fm, applied, manager, force, mode))
            .orElseGet(() -> CompletableFuture.failedFuture(err)))
        .thenCompose(Function.identity());
  }

  /** The error, when it is a NotFound (the object to apply to does not exist). */
  private static java.util.Optional<Throwable> notFound(Throwable err) {
    Throwable cause = Registry.unwrap(err);
    return cause instanceof ApiException api && api.code() == 404 ? java.util.Optional.of(cause)
        : java.util.Optional.empty();
  }

  /** The create of an apply to an object that does not exist. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private CompletionStage<ApiResponse> applyCreate(Registry reg, String ns, RequestInfo i, ApiRequest r,
                                                   RequestContext rc, Output out, FieldManager fm, ObjectNode applied,
                                                   String manager, boolean force, FieldValidation mode) {
    ResourceType t = reg.type();
    ObjectNode result = fm.apply(fm.emptyObject(), applied, manager, force, rc.now());
    List<String> warnings = new ArrayList<>();
    HasMetadata obj = decodeApplied(t, result, mode, warnings);
    io.fabric8.kubernetes.api.model.ObjectMeta meta = obj.getMetadata();
    if (meta.getUid() != null && !meta.getUid().isEmpty()) {
      throw ApiException.conflict(t.group(), t.resource(), i.name(), "uid mismatch: the provided object specified "
          + "uid " + meta.getUid() + ", and no existing object was found");
    }
    // checkName
    String objNs = meta.getNamespace() == null ? "" : meta.getNamespace();
    if (t.namespaced() && !objNs.isEmpty() && !objNs.equals(ns)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
          + "the request");
    }
    String objName = meta.getName() == null ? "" : meta.getName();
    if (!objName.equals(i.name())) {
      throw ApiException.badRequest("the name of the object (" + objName + ") does not match the name on the URL ("
          + i.name() + ")");
    }
    if (t.namespaced()) {
      meta.setNamespace(ns);
    }
    ObjectDefaults.apply(obj);
    AdmissionAttributes attrs = new AdmissionAttributes(Operation.CREATE, t, "", ns, i.name(), obj, null, rc.user(),
        rc.dryRun());
    return admission.admit(attrs)
        .thenCompose(x -> admission.validate(attrs))
        .thenApply(x -> {
          escalation.check(obj, null, rc.user()); // the RBAC registries' storage checks it after admission
          return x;
        })
        .thenCompose(x -> t == Resources.SERVICES ? serviceRest.create(rc, (Service) obj) : reg.create(rc, obj))
        .thenApply(created -> Responses.object(201, (HasMetadata) created, out, r.param("includeObject"),
            clock.instant(), withAdmissionWarnings(warnings, attrs)));
  }

  private static HasMetadata decodeApplied(ResourceType t, ObjectNode result, FieldValidation mode,
                                           List<String> warnings) {
    BodyDecoder.Decoded d = BodyDecoder.decodeObject(MediaTypes.JSON, KubeJson.bytes(result), t, mode);
    warnings.clear();
    warnings.addAll(d.warnings());
    HasMetadata obj = d.typed();
    if (obj.getMetadata() == null) {
      obj.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    return obj;
  }

  /** A boolean query parameter, as strconv.ParseBool reads it. */
  private static boolean parseBool(String v, String name) {
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw ApiException.badRequest("strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
    };
  }

  // ------------------------------------------------------------------ (end of branch apply)

  // ------------------------------------------------------------------ helpers

  private static WatchFilter filter(Registry<?> reg, String ns, ApiRequest r) {
    LabelSelector labels = LabelSelector.parse(r.param("labelSelector"));
    FieldSelector fields = FieldSelector.parse(r.param("fieldSelector"));
    Set<String> supported = reg.strategy().fieldPaths().keySet();
    for (FieldSelector.Requirement req : fields.requirements()) {
      if (!supported.contains(req.field())) {
        throw ApiException.badRequest("field label not supported: " + req.field());
      }
    }
    return new WatchFilter(ns, labels, fields);
  }

  /** DeleteOptions from the body (JSON or protobuf) and the query parameters, as kubectl sends them. */
  static DeleteOptions deleteOptions(ApiRequest r) {
    DeleteOptions opts = new DeleteOptions();
    if (r.body() != null && r.body().length > 0) {
      JsonNode n = BodyDecoder.parse(r.contentType() == null ? MediaTypes.JSON : r.contentType(), r.body());
      opts = KubeJson.convert(n, DeleteOptions.class);
    }
    if (r.param("gracePeriodSeconds") != null) {
      opts.setGracePeriodSeconds(parseLong(r.param("gracePeriodSeconds"), "gracePeriodSeconds"));
    }
    if (r.param("propagationPolicy") != null) {
      opts.setPropagationPolicy(r.param("propagationPolicy"));
    }
    if (r.param("orphanDependents") != null) {
      opts.setOrphanDependents(Boolean.parseBoolean(r.param("orphanDependents")));
    }
    String policy = opts.getPropagationPolicy();
    if (policy != null && !Set.of("Orphan", "Background", "Foreground").contains(policy)) {
      throw ApiException.invalid("", "DeleteOptions", "", "DeleteOptions.meta.k8s.io \"\" is invalid: "
          + "propagationPolicy: Unsupported value: \"" + policy + "\": supported values: \"Foreground\", "
          + "\"Background\", \"Orphan\", \"nil\"", List.of(new ApiException.Cause("FieldValueNotSupported",
          "Unsupported value: \"" + policy + "\"", "propagationPolicy")));
    }
    if (opts.getGracePeriodSeconds() != null && opts.getGracePeriodSeconds() < 0) {
      opts.setGracePeriodSeconds(1L); // kube treats negative grace as 1 s
    }
    return opts;
  }

  private static boolean isDryRun(ApiRequest r) {
    String dry = r.param("dryRun");
    if (dry == null || dry.isEmpty()) {
      return false;
    }
    if (!dry.equals("All")) {
      throw ApiException.badRequest("dryRun: Unsupported value: \"" + dry + "\": supported values: \"All\"");
    }
    return true;
  }

  static long parseLong(String v, String name) {
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid value for " + name + ": " + v);
    }
  }

  private static ApiException invalidListOptions(String field, String value, String detail) {
    return ApiException.invalid("meta.k8s.io", "ListOptions", "", "ListOptions.meta.k8s.io \"\" is invalid: "
        + field + ": Forbidden: " + detail, List.of(new ApiException.Cause("FieldValueForbidden", "Forbidden: "
        + detail, field)));
  }
}
