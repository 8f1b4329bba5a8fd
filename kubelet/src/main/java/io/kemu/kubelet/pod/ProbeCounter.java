package io.kemu.kubelet.pod;

/**
 * prober/worker.go's counting: consecutive equal results against successThreshold and failureThreshold; the result
 * changes only when a threshold is reached. Pure.
 */
public final class ProbeCounter {
  private final int successThreshold;
  private final int failureThreshold;
  private Boolean result;
  private Boolean lastRaw;
  private int run;

  /** @param initial the result before any probe (readiness: false; liveness and startup: unknown → null) */
  public ProbeCounter(int successThreshold, int failureThreshold, Boolean initial) {
    this.successThreshold = Math.max(1, successThreshold);
    this.failureThreshold = Math.max(1, failureThreshold);
    this.result = initial;
  }

  /** Records one probe; returns true when the result changed (or a failure reached the threshold again). */
  public boolean record(boolean ok) {
    if (lastRaw == null || lastRaw != ok) {
      run = 1;
    } else {
      run++;
    }
    lastRaw = ok;
    int threshold = ok ? successThreshold : failureThreshold;
    if (run >= threshold && (result == null || result != ok)) {
      result = ok;
      return true;
    }
    return false;
  }

  /** The current result: null before any threshold was reached. */
  public Boolean result() {
    return result;
  }

  /** After a liveness kill the worker starts counting afresh (the container restarts). */
  public void reset(Boolean initial) {
    result = initial;
    lastRaw = null;
    run = 0;
  }
}
