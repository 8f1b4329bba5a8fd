package io.kemu.apiserver.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.authn.UserInfo;

/** admission.Attributes: the operation under review; mutating plugins may change {@code object}. */
public record AdmissionAttributes(Operation operation, ResourceType type, String subresource, String namespace,
                                  String name, HasMetadata object, HasMetadata oldObject, UserInfo user,
                                  boolean dryRun) {
  public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  public boolean isMainResource() {
    return subresource == null || subresource.isEmpty();
  }
}
