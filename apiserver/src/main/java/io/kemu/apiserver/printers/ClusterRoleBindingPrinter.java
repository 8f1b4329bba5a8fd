package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.time.Instant;
import java.util.List;

/** {@code printClusterRoleBinding}: NAME, ROLE ("Kind/name"), AGE; wide USERS, GROUPS, SERVICEACCOUNTS. */
public final class ClusterRoleBindingPrinter implements TablePrinter<ClusterRoleBinding> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Role", "string", Descriptions.RBAC_V1BETA1_CLUSTER_ROLE_BINDING_ROLE_REF),
            ageColumn(),
            wide("Users", "string", "Users in the clusterRoleBinding"),
            wide("Groups", "string", "Groups in the clusterRoleBinding"),
            wide("ServiceAccounts", "string", "ServiceAccounts in the clusterRoleBinding"));

    @Override
    public String kind() {
        return "ClusterRoleBinding";
    }

    @Override
    public Class<ClusterRoleBinding> type() {
        return ClusterRoleBinding.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ClusterRoleBinding crb, Instant now) {
        return RoleBindingPrinter.cells(Formats.name(crb), crb.getRoleRef(), crb.getSubjects(), Formats.age(crb, now));
    }
}
