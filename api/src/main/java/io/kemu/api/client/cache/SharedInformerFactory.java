package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.ResourceType;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.ListOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.stream.Materializer;

/**
 * client-go's SharedInformerFactory (plus the metadata informer factory): one informer per kind, namespace and
 * selectors in a JVM, however many controllers read it. Informers requested after {@link #start} start when
 * {@code start} is called again, as in client-go.
 */
public final class SharedInformerFactory {
  private record InformerKey(String kind, String namespace, ListOptions options, boolean metadata) {}

  private final KubeClient client;
  private final Materializer materializer;
  private final Map<InformerKey, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private boolean shutdown;

  public SharedInformerFactory(KubeClient client) {
    this.client = client;
    this.materializer = Materializer.matFromSystem(client.system());
  }

  public KubeClient client() {
    return client;
  }

  /** All objects of a kind, in every namespace. */
  public <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type) {
    return informerFor(type, null, ListOptions.ALL);
  }

  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type, String namespace,
                                                                                ListOptions options) {
    InformerKey key = new InformerKey(type.getName(), namespace, options, false);
    return (SharedIndexInformer<T>) informers.computeIfAbsent(key, k ->
        new SharedIndexInformer<>(ListerWatcher.typed(client, type, namespace, options), materializer));
  }

  /** Objects of any kind reduced to their metadata (the garbage collector's view). */
  @SuppressWarnings("unchecked")
  public synchronized SharedIndexInformer<PartialObjectMetadata> metadataInformerFor(ResourceType type) {
    InformerKey key = new InformerKey(type.groupResource(), null, ListOptions.ALL, true);
    return (SharedIndexInformer<PartialObjectMetadata>) informers.computeIfAbsent(key, k ->
        new SharedIndexInformer<>(ListerWatcher.metadata(client, type, null, ListOptions.ALL), materializer));
  }

  /** Starts every informer not started yet. */
  public synchronized void start() {
    if (shutdown) {
      return;
    }
    informers.values().forEach(SharedIndexInformer::run);
  }

  /** Completes when every informer created so far has synced. */
  public synchronized CompletableFuture<Void> waitForCacheSync() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    informers.values().forEach(i -> all.add(i.synced()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Stops every informer for good. */
  public synchronized void shutdown() {
    shutdown = true;
    informers.values().forEach(SharedIndexInformer::stop);
  }
}
