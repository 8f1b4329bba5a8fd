package io.kemu.kubelet.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.kemu.api.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The ConfigMaps and Secrets a container's env and envFrom refer to (kubelet_pods.go makeEnvironmentVariables):
 * fetched, then each reference resolved, with kube's messages for what is missing unless it is optional.
 */
final class EnvSources {
  private EnvSources() {}

  /** env values by variable name, envFrom variables (prefixed), or the first error. */
  record Resolved(Map<String, String> values, Map<String, String> from, String error) {}

  record Source(Map<String, String> data) {}

  static CompletionStage<Resolved> resolve(ApiClient client, String ns, Container c) {
    Map<String, CompletionStage<Source>> fetches = new LinkedHashMap<>();
    if (c.getEnvFrom() != null) {
      for (EnvFromSource f : c.getEnvFrom()) {
        if (f.getConfigMapRef() != null) {
          fetches.computeIfAbsent("cm/" + f.getConfigMapRef().getName(), k -> configMap(client, ns,
              f.getConfigMapRef().getName()));
        }
        if (f.getSecretRef() != null) {
          fetches.computeIfAbsent("s/" + f.getSecretRef().getName(), k -> secret(client, ns, f.getSecretRef().getName()));
        }
      }
    }
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
          String n = e.getValueFrom().getConfigMapKeyRef().getName();
          fetches.computeIfAbsent("cm/" + n, k -> configMap(client, ns, n));
        }
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          String n = e.getValueFrom().getSecretKeyRef().getName();
          fetches.computeIfAbsent("s/" + n, k -> secret(client, ns, n));
        }
      }
    }
    CompletableFuture<Map<String, Source>> all = CompletableFuture.completedFuture(new LinkedHashMap<>());
    for (Map.Entry<String, CompletionStage<Source>> e : fetches.entrySet()) {
      all = all.thenCombine(e.getValue(), (acc, src) -> {
        acc.put(e.getKey(), src);
        return acc;
      });
    }
    return all.thenApply(sources -> resolve(ns, c, sources));
  }

  /** Pure: the references against what was fetched (a null data map: the object does not exist). */
  static Resolved resolve(String ns, Container c, Map<String, Source> sources) {
    Map<String, String> from = new LinkedHashMap<>();
    if (c.getEnvFrom() != null) {
      for (EnvFromSource f : c.getEnvFrom()) {
        String prefix = f.getPrefix() == null ? "" : f.getPrefix();
        if (f.getConfigMapRef() != null) {
          Source s = sources.get("cm/" + f.getConfigMapRef().getName());
          if (s.data() == null) {
            if (!Boolean.TRUE.equals(f.getConfigMapRef().getOptional())) {
              return error("configmap \"" + f.getConfigMapRef().getName() + "\" not found");
            }
          } else {
            s.data().forEach((k, v) -> from.put(prefix + k, v));
          }
        }
        if (f.getSecretRef() != null) {
          Source s = sources.get("s/" + f.getSecretRef().getName());
          if (s.data() == null) {
            if (!Boolean.TRUE.equals(f.getSecretRef().getOptional())) {
              return error("secret \"" + f.getSecretRef().getName() + "\" not found");
            }
          } else {
            s.data().forEach((k, v) -> from.put(prefix + k, v));
          }
        }
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() == null) {
          continue;
        }
        var cm = e.getValueFrom().getConfigMapKeyRef();
        var sk = e.getValueFrom().getSecretKeyRef();
        if (cm != null) {
          Source s = sources.get("cm/" + cm.getName());
          boolean optional = Boolean.TRUE.equals(cm.getOptional());
          if (s.data() == null) {
            if (!optional) {
              return error("configmap \"" + cm.getName() + "\" not found");
            }
          } else if (!s.data().containsKey(cm.getKey())) {
            if (!optional) {
              return error("couldn't find key " + cm.getKey() + " in ConfigMap " + ns + "/" + cm.getName());
            }
          } else {
            values.put(e.getName(), s.data().get(cm.getKey()));
          }
        } else if (sk != null) {
          Source s = sources.get("s/" + sk.getName());
          boolean optional = Boolean.TRUE.equals(sk.getOptional());
          if (s.data() == null) {
            if (!optional) {
              return error("secret \"" + sk.getName() + "\" not found");
            }
          } else if (!s.data().containsKey(sk.getKey())) {
            if (!optional) {
              return error("couldn't find key " + sk.getKey() + " in Secret " + ns + "/" + sk.getName());
            }
          } else {
            values.put(e.getName(), s.data().get(sk.getKey()));
          }
        }
      }
    }
    return new Resolved(values, from, null);
  }

  private static Resolved error(String message) {
    return new Resolved(Map.of(), Map.of(), message);
  }

  private static CompletionStage<Source> configMap(ApiClient client, String ns, String name) {
    return client.get(ConfigMap.class, ns, name).handle((cm, err) -> {
      if (err != null) {
        return new Source(null);
      }
      Map<String, String> data = new LinkedHashMap<>();
      if (cm.getData() != null) {
        data.putAll(cm.getData());
      }
      return new Source(data);
    });
  }

  private static CompletionStage<Source> secret(ApiClient client, String ns, String name) {
    return client.get(Secret.class, ns, name).handle((sec, err) -> {
      if (err != null) {
        return new Source(null);
      }
      Map<String, String> data = new LinkedHashMap<>();
      if (sec.getData() != null) {
        sec.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (sec.getStringData() != null) {
        data.putAll(sec.getStringData());
      }
      return new Source(data);
    });
  }
}
