package io.kemu.api.client;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.ResourceType;
import io.kemu.api.client.ApiClient.Event;
import io.kemu.api.client.ApiClient.ObjectList;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What kemu's controllers need of the Kubernetes API (client-go's typed clientset plus the metadata client the
 * garbage collector uses): {@link ApiClient} talks to the apiservers, {@code testing.FakeKubeClient} to an
 * in-memory object tracker. Every failure is a {@link StatusException}.
 */
public interface KubeClient {
  ActorSystem<?> system();

  <T extends HasMetadata> CompletionStage<T> get(Class<T> type, String namespace, String name);

  <T extends HasMetadata> CompletionStage<ObjectList<T>> list(Class<T> type, String namespace, ListOptions opts);

  /** Every page of a list at one resourceVersion. */
  <T extends HasMetadata> CompletionStage<ObjectList<T>> listAll(Class<T> type, String namespace, ListOptions opts);

  /** A watch from the options' resourceVersion; the stream ends when the server closes it. */
  <T extends HasMetadata> CompletionStage<Source<Event<T>, NotUsed>> watch(Class<T> type, String namespace,
                                                                         ListOptions opts);

  <T extends HasMetadata> CompletionStage<T> create(T obj);

  <T extends HasMetadata> CompletionStage<T> update(T obj);

  <T extends HasMetadata> CompletionStage<T> updateStatus(T obj);

  /** PATCH with a patch type's content type ("application/merge-patch+json", ...), on a subresource or not. */
  <T extends HasMetadata> CompletionStage<T> patch(Class<T> type, String namespace, String name, String subresource,
                                                  String contentType, Object patch);

  CompletionStage<Void> delete(Class<? extends HasMetadata> type, String namespace, String name,
                               DeleteOptions options);

  // ---------------------------------------------------------------- any kind, metadata only (the GC's client)

  CompletionStage<PartialObjectMetadata> getMetadata(ResourceType type, String namespace, String name);

  /** Every page of a list, each item reduced to its apiVersion, kind and metadata. */
  CompletionStage<ObjectList<PartialObjectMetadata>> listMetadata(ResourceType type, String namespace,
                                                                  ListOptions opts);

  CompletionStage<Source<Event<PartialObjectMetadata>, NotUsed>> watchMetadata(ResourceType type, String namespace,
                                                                               ListOptions opts);

  /** A JSON merge patch of any kind; answers the patched object's metadata. */
  CompletionStage<PartialObjectMetadata> patchMetadata(ResourceType type, String namespace, String name,
                                                       Object mergePatch);

  CompletionStage<Void> delete(ResourceType type, String namespace, String name, DeleteOptions options);
}
