package io.kemu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/** metav1's controller-reference helpers: GetControllerOf, NewControllerRef, IsControlledBy. */
public final class OwnerRefs {
  private OwnerRefs() {}

  /** The ownerReference with controller: true, or null. */
  public static OwnerReference controllerOf(HasMetadata obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (OwnerReference r : refs) {
        if (Boolean.TRUE.equals(r.getController())) {
          return r;
        }
      }
    }
    return null;
  }

  public static boolean isControlledBy(HasMetadata obj, HasMetadata owner) {
    OwnerReference ref = controllerOf(obj);
    return ref != null && ref.getUid() != null && ref.getUid().equals(owner.getMetadata().getUid());
  }

  /** metav1.NewControllerRef: controller and blockOwnerDeletion set. */
  public static OwnerReference newControllerRef(HasMetadata owner, String apiVersion, String kind) {
    return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }
}
