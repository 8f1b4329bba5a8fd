package io.kemu.apiserver.endpoints;

import io.kemu.api.ResourceType;
import io.kemu.apiserver.request.MediaTypes.Output;
import io.kemu.apiserver.watchcache.WatchEvent;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/** What the handler answers: a complete body, or a stream of watch events that the transport encodes. */
public sealed interface ApiResponse {
  /** A body streamed as it comes (pods/log, possibly following). */
  record Stream(String contentType, Source<org.apache.pekko.util.ByteString, NotUsed> body) implements ApiResponse {}

  record Complete(int code, String contentType, byte[] body, List<String> warnings) implements ApiResponse {}

  record Watch(ResourceType type, Source<WatchEvent, NotUsed> events, Output output, String includeObject,
               long timeoutSeconds) implements ApiResponse {}
}
