package io.kemu.apiserver.authz;

import io.kemu.apiserver.authz.RbacAuthorizer.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * The authorizer chain (k8s.io/apiserver/pkg/authorization/union): each authorizer in order (kube-apiserver's
 * {@code --authorization-mode=Node,RBAC}); the first Allow wins; otherwise the reasons of every authorizer are
 * joined with newlines, as unionAuthzHandler.Authorize does.
 */
public final class UnionAuthorizer implements Authorizer {
  private final List<Authorizer> chain;

  public UnionAuthorizer(List<Authorizer> chain) {
    this.chain = List.copyOf(chain);
  }

  public static UnionAuthorizer of(Authorizer... chain) {
    return new UnionAuthorizer(List.of(chain));
  }

  @Override
  public Decision authorize(Attributes a) {
    List<String> reasons = new ArrayList<>();
    for (Authorizer z : chain) {
      Decision d = z.authorize(a);
      if (d.allowed()) {
        return d;
      }
      if (d.reason() != null && !d.reason().isEmpty()) {
        reasons.add(d.reason());
      }
    }
    return new Decision(false, String.join("\n", reasons));
  }
}
