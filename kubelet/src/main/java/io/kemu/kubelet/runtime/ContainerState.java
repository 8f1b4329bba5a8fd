package io.kemu.kubelet.runtime;

import java.time.Instant;

/**
 * The runtime's view of one container (CRI ContainerStatus, reduced): created, running, exited, or not (yet)
 * running with a waiting reason; plus the termination of the instance before (lastState) and the restart count.
 */
public record ContainerState(String name, String image, String imageRef, String imageId, String containerId,
                             Phase phase, String waitingReason, String waitingMessage, Instant startedAt,
                             Instant finishedAt, int exitCode, String terminatedReason, String terminatedMessage,
                             int restartCount, boolean ready, boolean started, Terminated last) {

  public enum Phase { WAITING, RUNNING, EXITED }

  /** A finished instance, as lastState.terminated shows it. */
  public record Terminated(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt,
                           String containerId) {}

  public static ContainerState waiting(String name, String image, String reason, int restarts) {
    return new ContainerState(name, image, null, null, null, Phase.WAITING, reason, null, null, null, 0, null, null,
        restarts, false, false, null);
  }

  public ContainerState running(String imageRef, String imageId, String containerId, Instant at) {
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.RUNNING, null, null, at, null, 0,
        null, null, restartCount, false, false, last);
  }

  public ContainerState exited(int code, String reason, Instant at) {
    return exited(code, reason, null, at);
  }

  public ContainerState exited(int code, String reason, String message, Instant at) {
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.EXITED, null, null, startedAt, at,
        code, reason, message, restartCount, false, false, last);
  }

  /** Waiting again (back-off, pull errors): an exited instance becomes lastState. */
  public ContainerState waitingWith(String reason, String message) {
    Terminated l = phase == Phase.EXITED ? termination() : last;
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.WAITING, reason, message, null, null,
        0, null, null, restartCount, false, false, l);
  }

  /** The next instance is being started: one more restart, the ended one as lastState. */
  public ContainerState restarting() {
    Terminated l = phase == Phase.EXITED ? termination() : last;
    return new ContainerState(name, image, imageRef, imageId, containerId, Phase.WAITING, waitingReason,
        waitingMessage, null, null, 0, null, null, restartCount + 1, false, false, l);
  }

  public Terminated termination() {
    return new Terminated(exitCode, terminatedReason, terminatedMessage, startedAt, finishedAt, containerId);
  }

  public ContainerState withReady(boolean r) {
    return new ContainerState(name, image, imageRef, imageId, containerId, phase, waitingReason, waitingMessage,
        startedAt, finishedAt, exitCode, terminatedReason, terminatedMessage, restartCount, r, started, last);
  }

  public ContainerState withStarted(boolean s) {
    return new ContainerState(name, image, imageRef, imageId, containerId, phase, waitingReason, waitingMessage,
        startedAt, finishedAt, exitCode, terminatedReason, terminatedMessage, restartCount, ready, s, last);
  }
}
