package io.kemu.scheduler.framework;

import java.util.List;

/** framework.Status: a code, the reasons (shown in FailedScheduling messages) and the plugin that failed. */
public record Status(Code code, List<String> reasons, String plugin) {
  public enum Code { SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP, PENDING }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
  public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), null);
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), null);
  }

  public static Status error(String reason) {
    return new Status(Code.ERROR, List.of(reason), null);
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
  }

  public Status withPlugin(String name) {
    return new Status(code, reasons, name);
  }
}
