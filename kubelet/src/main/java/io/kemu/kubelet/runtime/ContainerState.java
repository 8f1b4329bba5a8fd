package io.kemu.kubelet.runtime;

import java.time.Instant;

/**
 * The runtime's view of one container instance (CRI ContainerStatus, reduced): created, running, exited,
 * or not yet created with a waiting reason.
 */
public record ContainerState(String name, String image, String imageRef, String imageId, String containerId,
                             Phase phase, String waitingReason, String waitingMessage, Instant startedAt,
                             Instant finishedAt, int exitCode, String terminatedReason, int restartCount,
                             boolean ready, boolean started) {

  public enum Phase { WAITING, RUNNING, EXITED }

  public static ContainerState waiting(String name, String image, String reason, int restarts) {
    return new ContainerState(name, image, null, null, null, Phase.WAITING, reason, null, null, null, 0, null,
        restarts, false, false);
  }

  public ContainerState running(String imageRef, String imageId, String containerId, Instant at) {
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.RUNNING, null, null, at, null, 0,
        null, restartCount, ready, true);
  }

  public ContainerState exited(int code, String reason, Instant at) {
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.EXITED, null, null, startedAt, at,
        code, reason, restartCount, false, false);
  }

  public ContainerState withReady(boolean r) {
    return new ContainerState(name, image, imageRef, imageId, containerId, phase, waitingReason, waitingMessage,
        startedAt, finishedAt, exitCode, terminatedReason, restartCount, r, started);
  }
}
