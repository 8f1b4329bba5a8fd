package io.kemu.apiserver.authz;

import io.kemu.apiserver.authz.RbacAuthorizer.Decision;

/**
 * authorizer.Authorizer: allows a request or has no opinion (kube's Deny is not used by Node or RBAC). A
 * no-opinion decision may carry a reason, which kube-apiserver appends to the Forbidden message.
 */
@FunctionalInterface
public interface Authorizer {
  Decision authorize(Attributes a);
}
