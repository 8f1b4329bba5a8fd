package io.kemu.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.patch.PatchMeta;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /openapi/v3: the root lists one document per served group-version with a content hash (kubectl caches by
 * it); each document describes the operations of its resources, with the query parameters kubectl looks for
 * (fieldValidation tells it the server validates fields itself), x-kubernetes-group-version-kind, the media types
 * of PATCH (kubectl computes a strategic merge patch from the schemas when they include
 * application/strategic-merge-patch+json) and, under components.schemas, the schemas of every type its kinds
 * reach ({@link SchemaGenerator}): what {@code kubectl explain} reads.
 *
 * <p>The documents are generated once, on a thread of their own, and kept as bytes with their hash: the apiserver
 * starts without waiting for them; an OpenAPI request that comes before they are ready waits for
 * {@link #generated()} (the accessors block until then).
 */
public final class OpenApi {
  private static final Logger log = LoggerFactory.getLogger(OpenApi.class);

  private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml",
      "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");
  private static final List<String> BODY_TYPES = List.of("*/*");
  private static final List<String> LIST_PARAMS = List.of("labelSelector", "fieldSelector", "limit", "continue",
      "resourceVersion", "resourceVersionMatch", "timeoutSeconds", "watch", "allowWatchBookmarks");
  private static final List<String> WRITE_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation", "force");
  private static final List<String> DELETE_PARAMS = List.of("dryRun", "gracePeriodSeconds", "propagationPolicy");

  /** The generated documents: bytes and hash per group-version path ("api/v1", "apis/apps/v1"). */
  record Documents(Map<String, byte[]> documents, Map<String, String> hashes, long generationNanos) {}

  private static long cpuNanos() {
    ThreadMXBean b = ManagementFactory.getThreadMXBean();
    return b.isCurrentThreadCpuTimeSupported() ? b.getCurrentThreadCpuTime() : 0;
  }

  private final CompletableFuture<Documents> documents;

  public OpenApi(List<ResourceType> resources) {
    List<ResourceType> copy = List.copyOf(resources);
    documents = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        long cpu = cpuNanos();
        Documents d = generate(copy);
        log.info("OpenAPI v3 documents of {} group-versions generated in {} ms ({} ms of CPU)",
            d.documents().size(), d.generationNanos() / 1_000_000, (cpuNanos() - cpu) / 1_000_000);
        documents.complete(d);
      } catch (RuntimeException | LinkageError e) {
        log.error("cannot generate the OpenAPI schemas, serving the operations alone: {}", e.toString());
        documents.complete(generate(copy, false));
      }
    }, "openapi-generator");
    t.setDaemon(true);
    t.start();
  }

  /** Completes when the documents are generated: wait on it rather than blocking in {@link #root}. */
  public CompletionStage<Void> generated() {
    return documents.thenApply(d -> null);
  }

  private Documents ready() {
    return documents.join();
  }

  public ObjectNode root() {
    ObjectNode root = KubeJson.MAPPER.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    ready().hashes().forEach((gv, h) -> paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + h));
    return root;
  }

  /** The document of "api/v1" or "apis/{group}/{version}", or null. */
  public byte[] document(String groupVersionPath) {
    return ready().documents().get(groupVersionPath);
  }

  // ================================================================ generation

  static Documents generate(List<ResourceType> resources) {
    return generate(resources, true);
  }

  static Documents generate(List<ResourceType> resources, boolean withSchemas) {
    long start = System.nanoTime();
    Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
    for (ResourceType t : resources) {
      byGv.computeIfAbsent(groupVersionPath(t.group(), t.version()), k -> new ArrayList<>()).add(t);
    }
    SchemaGenerator.Schemas schemas = null;
    Map<String, List<SchemaGenerator.Kind>> kindsByGv = new LinkedHashMap<>();
    if (withSchemas) {
      SchemaGenerator g = new SchemaGenerator(new ProtoTypes(), OpenApiMarkers.builtIn());
      byGv.forEach((gv, types) -> {
        List<SchemaGenerator.Kind> kinds = kinds(types);
        kinds.forEach(g::addKind);
        kindsByGv.put(gv, kinds);
      });
      schemas = g.build();
    }
    Map<String, byte[]> docs = new LinkedHashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<List<String>, String> names = new HashMap<>();
    if (schemas != null) {
      schemas.kinds().forEach((k, name) -> names.put(List.of(k.group(), k.version(), k.kind()), name));
    }
    for (Map.Entry<String, List<ResourceType>> e : byGv.entrySet()) {
      ObjectNode doc = document(e.getValue(), names);
      ObjectNode components = doc.putObject("components").putObject("schemas");
      if (schemas != null) {
        Set<String> roots = new LinkedHashSet<>();
        for (SchemaGenerator.Kind k : kindsByGv.get(e.getKey())) {
          roots.add(schemas.nameOf(k));
        }
        roots.add(SchemaGenerator.PATCH);
        schemas.closure(roots).forEach(components::set);
      }
      byte[] bytes = KubeJson.bytes(doc);
      docs.put(e.getKey(), bytes);
      hashes.put(e.getKey(), hash(bytes));
    }
    return new Documents(docs, hashes, System.nanoTime() - start);
  }

  static String groupVersionPath(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /**
   * The kinds a group-version's document describes: each resource's kind and list kind, and the kinds its
   * subresources answer with (autoscaling/v1 Scale for deployments/scale...), as kube-apiserver's do.
   */
  static List<SchemaGenerator.Kind> kinds(List<ResourceType> types) {
    Map<List<String>, SchemaGenerator.Kind> kinds = new LinkedHashMap<>();
    for (ResourceType t : types) {
      PatchMeta.Type patch = PatchMeta.forKind(t.apiVersion(), t.kind()).orElse(PatchMeta.generic());
      kinds.putIfAbsent(List.of(t.group(), t.version(), t.kind()),
          new SchemaGenerator.Kind(t.group(), t.version(), t.kind(), t.type(), patch, describe(t.kind(), t)));
      Class<?> list = modelClass(t.type().getPackageName(), t.kind() + "List");
      if (list != null) {
        kinds.putIfAbsent(List.of(t.group(), t.version(), t.kind() + "List"), new SchemaGenerator.Kind(t.group(),
            t.version(), t.kind() + "List", list, null, t.kind() + "List is a list of " + t.kind() + " objects."));
      }
    }
    for (ResourceType t : types) {
      for (String s : t.subresources()) {
        Discovery.Sub sub = Discovery.sub(t, s);
        List<String> key = List.of(sub.group(), sub.version(), sub.kind());
        if (kinds.containsKey(key)) {
          continue;
        }
        Class<?> c = modelClass(sub.group(), sub.version(), sub.kind());
        if (c != null) {
          String apiVersion = sub.group().isEmpty() ? sub.version() : sub.group() + "/" + sub.version();
          kinds.put(key, new SchemaGenerator.Kind(sub.group(), sub.version(), sub.kind(), c,
              PatchMeta.forKind(apiVersion, sub.kind()).orElse(null),
              sub.kind() + " of " + apiVersion + ", the body of " + t.resource() + "/" + s + "."));
        }
      }
    }
    return List.copyOf(kinds.values());
  }

  private static String describe(String kind, ResourceType t) {
    return kind + " of " + t.apiVersion() + " (" + t.resource() + ", " + (t.namespaced() ? "namespaced" : "cluster-scoped")
        + "), as served by kemu.";
  }

  /** The fabric8 class of a kind outside the resource table: model.Kind, model.group.version.Kind, model.group.Kind. */
  static Class<?> modelClass(String group, String version, String kind) {
    String base = "io.fabric8.kubernetes.api.model";
    if (group.isEmpty()) {
      return modelClass(base, kind);
    }
    String pkg = ProtoTypes.protoPackage(group, version);
    String goPackage = pkg.substring("k8s.io.api.".length(), pkg.lastIndexOf('.'));
    Class<?> c = modelClass(base + "." + goPackage + "." + version, kind);
    return c != null ? c : modelClass(base + "." + goPackage, kind);
  }

  private static Class<?> modelClass(String pkg, String simpleName) {
    try {
      return Class.forName(pkg + "." + simpleName, false, OpenApi.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /**
   * The operations of a group-version's resources. {@code names}: the definition name of each kind by
   * [group, version, kind], for the bodies' schemas (empty when the schemas could not be generated).
   */
  private static ObjectNode document(List<ResourceType> types, Map<List<String>, String> names) {
    ObjectNode doc = KubeJson.MAPPER.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", "v1.32.4");
    ObjectNode paths = doc.putObject("paths");
    String patch = names.isEmpty() ? null : SchemaGenerator.PATCH;
    for (ResourceType t : types) {
      Gvk gvk = new Gvk(t.group(), t.version(), t.kind());
      String kind = names.get(gvk.key());
      String list = names.get(new Gvk(t.group(), t.version(), t.kind() + "List").key());
      String base = t.collectionPath(t.namespaced() ? "{namespace}" : null);
      String item = base + "/{name}";
      String scope = t.namespaced() ? "Namespaced" : "";
      if (t.namespaced()) {
        paths.putObject(t.collectionPath(null)).set("get",
            operation("list" + t.kind() + "ForAllNamespaces", "list", gvk, LIST_PARAMS, null, null, list));
      }
      ObjectNode collection = paths.putObject(base);
      collection.set("get", operation("list" + scope + t.kind(), "list", gvk, LIST_PARAMS, null, null, list));
      collection.set("post", operation("create" + scope + t.kind(), "post", gvk, WRITE_PARAMS, BODY_TYPES, kind,
          kind));
      ObjectNode one = paths.putObject(item);
      one.set("get", operation("read" + scope + t.kind(), "get", gvk, List.of(), null, null, kind));
      one.set("put", operation("replace" + scope + t.kind(), "put", gvk, WRITE_PARAMS, BODY_TYPES, kind, kind));
      one.set("patch", operation("patch" + scope + t.kind(), "patch", gvk, PATCH_PARAMS, PATCH_TYPES, patch, kind));
      one.set("delete", operation("delete" + scope + t.kind(), "delete", gvk, DELETE_PARAMS, null, null, null));
      for (String s : t.subresources()) {
        ObjectNode sub = paths.putObject(item + "/" + s);
        Discovery.Sub d = Discovery.sub(t, s);
        Gvk subGvk = new Gvk(d.group(), d.version(), d.kind());
        String op = scope + t.kind() + cap(s);
        // pods/log answers text, not the Pod its discovery entry names
        String subKind = s.equals("log") ? null : names.get(subGvk.key());
        if (d.verbs().contains("get")) {
          sub.set("get", operation("read" + op, "get", subGvk, List.of(), null, null, subKind));
        }
        if (d.verbs().contains("create")) {
          sub.set("post", operation("create" + op, "post", subGvk, WRITE_PARAMS, BODY_TYPES, subKind, subKind));
        }
        if (d.verbs().contains("update")) {
          sub.set("put", operation("replace" + op, "put", subGvk, WRITE_PARAMS, BODY_TYPES, subKind, subKind));
        }
        if (d.verbs().contains("patch")) {
          sub.set("patch", operation("patch" + op, "patch", subGvk, PATCH_PARAMS, PATCH_TYPES, patch, subKind));
        }
      }
    }
    return doc;
  }

  private record Gvk(String group, String version, String kind) {
    List<String> key() {
      return List.of(group, version, kind);
    }
  }

  /**
   * One operation. {@code bodyTypes}: the media types of its request body (none when null), whose schema is the
   * definition {@code body} (an empty schema when unknown); {@code response}: the definition of the 200 answer.
   */
  private static ObjectNode operation(String id, String action, Gvk gvk, List<String> params, List<String> bodyTypes,
                                      String body, String response) {
    ObjectNode op = KubeJson.MAPPER.createObjectNode();
    op.put("operationId", id);
    ArrayNode ps = op.putArray("parameters");
    for (String p : params) {
      ObjectNode pn = ps.addObject();
      pn.put("name", p);
      pn.put("in", "query");
      pn.putObject("schema").put("type", "string").put("uniqueItems", true);
    }
    if (bodyTypes != null) {
      ObjectNode rb = op.putObject("requestBody");
      ObjectNode content = rb.putObject("content");
      for (String mt : bodyTypes) {
        ObjectNode schema = content.putObject(mt).putObject("schema");
        if (body != null) {
          schema.put("$ref", SchemaGenerator.REF + body);
        }
      }
      rb.put("required", true);
    }
    ObjectNode ok = op.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (response != null) {
      ok.putObject("content").putObject("application/json").putObject("schema")
          .put("$ref", SchemaGenerator.REF + response);
    }
    op.put("x-kubernetes-action", action);
    ObjectNode g = op.putObject("x-kubernetes-group-version-kind");
    g.put("group", gvk.group());
    g.put("version", gvk.version());
    g.put("kind", gvk.kind());
    return op;
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String hash(byte[] doc) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-512").digest(doc);
      return HexFormat.of().withUpperCase().formatHex(d, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
