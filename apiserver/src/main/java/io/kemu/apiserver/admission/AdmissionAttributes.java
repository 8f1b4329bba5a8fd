package io.kemu.apiserver.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.authn.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * admission.Attributes: the operation under review; mutating plugins may change {@code object}. {@code warnings}
 * collects what plugins add with {@code warning.AddWarning} (PodSecurity's "would violate ..."); the handler returns
 * them as {@code Warning} headers.
 */
public record AdmissionAttributes(Operation operation, ResourceType type, String subresource, String namespace,
                                  String name, HasMetadata object, HasMetadata oldObject, UserInfo user,
                                  boolean dryRun, List<String> warnings) {
  public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  public AdmissionAttributes(Operation operation, ResourceType type, String subresource, String namespace,
                             String name, HasMetadata object, HasMetadata oldObject, UserInfo user, boolean dryRun) {
    this(operation, type, subresource, namespace, name, object, oldObject, user, dryRun, new ArrayList<>());
  }

  public boolean isMainResource() {
    return subresource == null || subresource.isEmpty();
  }

  /** warning.AddWarning; duplicates are dropped, as the apiserver's warning recorder does. */
  public void addWarning(String warning) {
    synchronized (warnings) {
      if (!warnings.contains(warning)) {
        warnings.add(warning);
      }
    }
  }

  /**
   * admission.NewForbidden: {@code <resource> "<name>" is forbidden: <why>}; the name is the object's name (or its
   * generateName), "Unknown" when there is no object (deletes), as extractResourceName does.
   */
  public io.kemu.apiserver.errors.ApiException forbidden(String why) {
    String n = "Unknown";
    if (object != null && object.getMetadata() != null) {
      String on = object.getMetadata().getName();
      String gn = object.getMetadata().getGenerateName();
      if (on != null && !on.isEmpty()) {
        n = on;
      } else if (gn != null && !gn.isEmpty()) {
        n = gn;
      }
    }
    return io.kemu.apiserver.errors.ApiException.forbidden(type.group(), type.resource(), n,
        type.groupResource() + " \"" + n + "\" is forbidden: " + why);
  }
}
