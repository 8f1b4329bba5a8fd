package io.kemu.conf.pki;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** A user that authenticates with a bearer token from the static token file, and its groups. */
public record Identity(String user, List<String> groups) {

    public static final Identity ADMIN = new Identity("admin", List.of("system:masters"));
    public static final Identity VIEWER = new Identity("viewer", List.of("kemu:viewers"));
    public static final Identity SCHEDULER = new Identity("system:kube-scheduler", List.of());
    public static final Identity CONTROLLER_MANAGER = new Identity("system:kube-controller-manager", List.of());

    public Identity {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        groups = List.copyOf(groups);
    }

    /** The kubelet identity of an emulated node: {@code system:node:<nodeName>} in {@code system:nodes}. */
    public static Identity node(String nodeName) {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("empty node name");
        }
        return new Identity("system:node:" + nodeName, List.of("system:nodes"));
    }

    /** The identities kemu uses: admin, viewer, the scheduler, the controller manager and one per node. */
    public static List<Identity> kemu(Collection<String> nodeNames) {
        List<Identity> all = new ArrayList<>(List.of(ADMIN, VIEWER, SCHEDULER, CONTROLLER_MANAGER));
        for (String n : nodeNames) {
            all.add(node(n));
        }
        return List.copyOf(all);
    }
}
