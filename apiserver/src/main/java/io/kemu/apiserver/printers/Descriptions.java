package io.kemu.apiserver.printers;

/**
 * Column descriptions that kube-apiserver's printers take from the generated swagger docs
 * ({@code SwaggerDoc()} maps). Generated verbatim from the {@code *_swagger_doc_generated.go} files of
 * k8s.io/api and k8s.io/apimachinery at tag v0.32.13 (Kubernetes 1.32); do not edit by hand.
 */
final class Descriptions {

    private Descriptions() {
    }

    /** ObjectMeta.name (k8s.io/apimachinery/pkg/apis/meta/v1/types_swagger_doc_generated.go). */
    static final String OBJECT_META_NAME =
            "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    /** ObjectMeta.creationTimestamp (k8s.io/apimachinery/pkg/apis/meta/v1/types_swagger_doc_generated.go). */
    static final String OBJECT_META_CREATION_TIMESTAMP =
            "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /** PodStatus.podIP (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String POD_STATUS_POD_IP =
            "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.";

    /** PodSpec.nodeName (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String POD_SPEC_NODE_NAME =
            "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename";

    /** PodStatus.nominatedNodeName (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String POD_STATUS_NOMINATED_NODE_NAME =
            "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.";

    /** PodSpec.readinessGates (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String POD_SPEC_READINESS_GATES =
            "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates";

    /** NodeSystemInfo.kubeletVersion (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String NODE_SYSTEM_INFO_KUBELET_VERSION =
            "Kubelet Version reported by the node.";

    /** NodeStatus.addresses (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String NODE_STATUS_ADDRESSES =
            "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

    /** NodeSystemInfo.osImage (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String NODE_SYSTEM_INFO_OS_IMAGE =
            "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).";

    /** NodeSystemInfo.kernelVersion (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String NODE_SYSTEM_INFO_KERNEL_VERSION =
            "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";

    /** NodeSystemInfo.containerRuntimeVersion (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String NODE_SYSTEM_INFO_CONTAINER_RUNTIME_VERSION =
            "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).";

    /** Event.lastTimestamp (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_LAST_TIMESTAMP =
            "The time at which the most recent occurrence of this event was recorded.";

    /** Event.type (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_TYPE =
            "Type of this event (Normal, Warning), new types could be added in the future";

    /** Event.reason (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_REASON =
            "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.";

    /** Event.involvedObject (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_INVOLVED_OBJECT =
            "The object that this event is about.";

    /** ObjectReference.fieldPath (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String OBJECT_REFERENCE_FIELD_PATH =
            "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.";

    /** Event.source (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_SOURCE =
            "The component reporting this event. Should be a short machine understandable string.";

    /** Event.message (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_MESSAGE =
            "A human-readable description of the status of this operation.";

    /** Event.firstTimestamp (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_FIRST_TIMESTAMP =
            "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)";

    /** Event.count (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String EVENT_COUNT =
            "The number of times this event has occurred.";

    /** Secret.type (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SECRET_TYPE =
            "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types";

    /** Secret.data (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SECRET_DATA =
            "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";

    /** ServiceAccount.secrets (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_ACCOUNT_SECRETS =
            "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret";

    /** ServiceSpec.type (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_SPEC_TYPE =
            "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";

    /** ServiceSpec.clusterIP (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_SPEC_CLUSTER_IP =
            "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";

    /** ServiceSpec.externalIPs (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_SPEC_EXTERNAL_IPS =
            "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.";

    /** ServiceSpec.ports (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_SPEC_PORTS =
            "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";

    /** ServiceSpec.selector (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String SERVICE_SPEC_SELECTOR =
            "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/";

    /** Endpoints.subsets (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String ENDPOINTS_SUBSETS =
            "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.";

    /** ConfigMap.data (k8s.io/api/core/v1/types_swagger_doc_generated.go). */
    static final String CONFIG_MAP_DATA =
            "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";

    /** DeploymentStatus.updatedReplicas (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_DEPLOYMENT_STATUS_UPDATED_REPLICAS =
            "Total number of non-terminated pods targeted by this deployment that have the desired template spec.";

    /** DeploymentStatus.availableReplicas (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_DEPLOYMENT_STATUS_AVAILABLE_REPLICAS =
            "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.";

    /** DeploymentSpec.selector (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_DEPLOYMENT_SPEC_SELECTOR =
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.";

    /** ReplicaSetSpec.replicas (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_REPLICA_SET_SPEC_REPLICAS =
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller";

    /** ReplicaSetStatus.replicas (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_REPLICA_SET_STATUS_REPLICAS =
            "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller";

    /** ReplicaSetStatus.readyReplicas (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_REPLICA_SET_STATUS_READY_REPLICAS =
            "The number of ready replicas for this replica set.";

    /** ReplicaSetSpec.selector (k8s.io/api/extensions/v1beta1/types_swagger_doc_generated.go). */
    static final String EXT_REPLICA_SET_SPEC_SELECTOR =
            "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    /** JobStatus.succeeded (k8s.io/api/batch/v1/types_swagger_doc_generated.go). */
    static final String JOB_STATUS_SUCCEEDED =
            "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.";

    /** JobSpec.selector (k8s.io/api/batch/v1/types_swagger_doc_generated.go). */
    static final String JOB_SPEC_SELECTOR =
            "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    /** LeaseSpec.holderIdentity (k8s.io/api/coordination/v1/types_swagger_doc_generated.go). */
    static final String LEASE_SPEC_HOLDER_IDENTITY =
            "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.";

    /** RoleBinding.roleRef (k8s.io/api/rbac/v1beta1/types_swagger_doc_generated.go). */
    static final String RBAC_V1BETA1_ROLE_BINDING_ROLE_REF =
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

    /** ClusterRoleBinding.roleRef (k8s.io/api/rbac/v1beta1/types_swagger_doc_generated.go). */
    static final String RBAC_V1BETA1_CLUSTER_ROLE_BINDING_ROLE_REF =
            "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

    /** PriorityClass.value (k8s.io/api/scheduling/v1/types_swagger_doc_generated.go). */
    static final String PRIORITY_CLASS_VALUE =
            "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.";

    /** PriorityClass.globalDefault (k8s.io/api/scheduling/v1/types_swagger_doc_generated.go). */
    static final String PRIORITY_CLASS_GLOBAL_DEFAULT =
            "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.";

    /** PriorityClass.preemptionPolicy (k8s.io/api/scheduling/v1/types_swagger_doc_generated.go). */
    static final String PRIORITY_CLASS_PREEMPTION_POLICY =
            "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.";

    /** EndpointSlice.addressType (k8s.io/api/discovery/v1/types_swagger_doc_generated.go). */
    static final String ENDPOINT_SLICE_ADDRESS_TYPE =
            "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.";

    /** EndpointSlice.ports (k8s.io/api/discovery/v1/types_swagger_doc_generated.go). */
    static final String ENDPOINT_SLICE_PORTS =
            "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.";

    /** EndpointSlice.endpoints (k8s.io/api/discovery/v1/types_swagger_doc_generated.go). */
    static final String ENDPOINT_SLICE_ENDPOINTS =
            "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.";

    /** Literal descriptions of printers.go (not swagger docs). */
    static final String PDB_MIN_AVAILABLE = "The minimum number of pods that must be available.";
    static final String PDB_MAX_UNAVAILABLE = "The maximum number of pods that may be unavailable.";
    static final String PDB_ALLOWED_DISRUPTIONS = "Calculated number of pods that may be disrupted at this time.";
    static final String RESOURCE_QUOTA_REQUEST =
            "Request represents a minimum amount of cpu/memory that a container may consume.";
    static final String RESOURCE_QUOTA_LIMIT =
            "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.";
}
