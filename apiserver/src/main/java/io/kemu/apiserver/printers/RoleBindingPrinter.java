package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code printRoleBinding}: NAME, ROLE ("Kind/name"), AGE; wide USERS, GROUPS, SERVICEACCOUNTS. */
public final class RoleBindingPrinter implements TablePrinter<RoleBinding> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Role", "string", Descriptions.RBAC_V1BETA1_ROLE_BINDING_ROLE_REF),
            ageColumn(),
            wide("Users", "string", "Users in the roleBinding"),
            wide("Groups", "string", "Groups in the roleBinding"),
            wide("ServiceAccounts", "string", "ServiceAccounts in the roleBinding"));

    @Override
    public String kind() {
        return "RoleBinding";
    }

    @Override
    public Class<RoleBinding> type() {
        return RoleBinding.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(RoleBinding rb, Instant now) {
        return cells(Formats.name(rb), rb.getRoleRef(), rb.getSubjects(), Formats.age(rb, now));
    }

    static List<Object> cells(String name, RoleRef roleRef, List<Subject> subjects, String age) {
        RoleRef ref = roleRef == null ? new RoleRef() : roleRef;
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> sas = new ArrayList<>();
        // rbac.SubjectsStrings; subjects of other kinds are not shown.
        for (Subject s : list(subjects)) {
            switch (str(s.getKind())) {
                case "ServiceAccount":
                    sas.add(str(s.getNamespace()) + "/" + str(s.getName()));
                    break;
                case "User":
                    users.add(str(s.getName()));
                    break;
                case "Group":
                    groups.add(str(s.getName()));
                    break;
                default:
                    break;
            }
        }
        return List.of(
                name,
                str(ref.getKind()) + "/" + str(ref.getName()),
                age,
                String.join(", ", users),
                String.join(", ", groups),
                String.join(", ", sas));
    }
}
