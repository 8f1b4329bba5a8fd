package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.ResourceType;
import io.kemu.api.client.ApiClient.Event;
import io.kemu.api.client.ApiClient.ObjectList;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.ListOptions;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * client-go's ListerWatcher: how a {@link Reflector} lists a collection and watches it from a resourceVersion.
 * The options' selectors are fixed; the reflector sets resourceVersion, paging and bookmarks.
 */
public interface ListerWatcher<T extends HasMetadata> {
  /** Every page of the list at one resourceVersion. */
  CompletionStage<ObjectList<T>> list(ListOptions opts);

  CompletionStage<Source<Event<T>, NotUsed>> watch(ListOptions opts);

  /** The label and field selectors every list and watch carries. */
  ListOptions options();

  /** A short name for logs ("pods", "pods spec.nodeName=node-1"). */
  String describe();

  static <T extends HasMetadata> ListerWatcher<T> typed(KubeClient client, Class<T> type, String namespace,
                                                       ListOptions options) {
    return of(opts -> client.listAll(type, namespace, opts), opts -> client.watch(type, namespace, opts), options,
        type.getSimpleName() + describeOptions(namespace, options));
  }

  /** Objects of any kind reduced to their metadata, as the garbage collector's metadata informers keep them. */
  static ListerWatcher<PartialObjectMetadata> metadata(KubeClient client, ResourceType type, String namespace,
                                                       ListOptions options) {
    return of(opts -> client.listMetadata(type, namespace, opts), opts -> client.watchMetadata(type, namespace, opts),
        options, type.groupResource() + " (metadata)" + describeOptions(namespace, options));
  }

  /** A lister-watcher from its two calls. */
  static <T extends HasMetadata> ListerWatcher<T> of(Function<ListOptions, CompletionStage<ObjectList<T>>> list,
                                                    Function<ListOptions, CompletionStage<Source<Event<T>, NotUsed>>> watch,
                                                    ListOptions options, String description) {
    return new ListerWatcher<>() {
      @Override
      public CompletionStage<ObjectList<T>> list(ListOptions opts) {
        return list.apply(opts);
      }

      @Override
      public CompletionStage<Source<Event<T>, NotUsed>> watch(ListOptions opts) {
        return watch.apply(opts);
      }

      @Override
      public ListOptions options() {
        return options;
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  private static String describeOptions(String namespace, ListOptions o) {
    StringBuilder sb = new StringBuilder();
    if (namespace != null && !namespace.isEmpty()) {
      sb.append(" in ").append(namespace);
    }
    if (o.labelSelector() != null && !o.labelSelector().isEmpty()) {
      sb.append(' ').append(o.labelSelector());
    }
    if (o.fieldSelector() != null && !o.fieldSelector().isEmpty()) {
      sb.append(' ').append(o.fieldSelector());
    }
    return sb.toString();
  }
}
