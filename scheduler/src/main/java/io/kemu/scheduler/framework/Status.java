package io.kemu.scheduler.framework;

import java.util.List;

/**
 * framework.Status: a code, the reasons (shown in FailedScheduling messages, joined by ", ") and the plugin that
 * produced it. A null Status means Success, as in kube-scheduler.
 */
public record Status(Code code, List<String> reasons, String plugin, Throwable cause) {
  public enum Code { SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP, PENDING }

  public Status(Code code, List<String> reasons, String plugin) {
    this(code, reasons, plugin, null);
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
  public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

  public static Status of(Code code, String... reasons) {
    return new Status(code, List.of(reasons), null);
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), null);
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), null);
  }

  public static Status error(String reason) {
    return new Status(Code.ERROR, List.of(reason), null);
  }

  /** AsStatus(err): an Error status that keeps the exception. */
  public static Status error(Throwable t) {
    return new Status(Code.ERROR, List.of(String.valueOf(t.getMessage() != null ? t.getMessage() : t)), null, t);
  }

  public static Status waiting(String reason) {
    return new Status(Code.WAIT, List.of(reason), null);
  }

  public static boolean isSuccess(Status s) {
    return s == null || s.code == Code.SUCCESS;
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  public boolean isWait() {
    return code == Code.WAIT;
  }

  /** Unschedulable, UnschedulableAndUnresolvable or Pending: the pod cannot go there, no error happened. */
  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
  }

  /** Status.Message(): the reasons joined with ", ". */
  public String message() {
    return String.join(", ", reasons);
  }

  public Status withPlugin(String name) {
    return new Status(code, reasons, name, cause);
  }

  @Override
  public String toString() {
    return code + (reasons.isEmpty() ? "" : ": " + message()) + (plugin == null ? "" : " (" + plugin + ")");
  }
}
