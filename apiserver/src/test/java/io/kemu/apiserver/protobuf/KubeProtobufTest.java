package io.kemu.apiserver.protobuf;

import static io.kemu.apiserver.protobuf.Bodies.json;
import static io.kemu.apiserver.protobuf.Bodies.wrap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apiextensions;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Networking;
import org.junit.jupiter.api.Test;

/** Objects built with client-java-proto's builders, wrapped like client-go wraps them, decoded to JSON. */
class KubeProtobufTest {

    /** 2026-11-22T01:52:50Z */
    private static final long T0 = 1795312370L;

    // --- Namespace -------------------------------------------------------------------------------------------

    @Test
    void namespaceWithLabelsAndCreationTimestamp() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder()
                        .setName("team-a")
                        .setUid("6f1c1b5e-7d2a-4b8e-9a51-0c2f3e4d5a6b")
                        .setResourceVersion("42")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(T0).setNanos(999))
                        .putLabels("kubernetes.io/metadata.name", "team-a")
                        .putLabels("env", "prod"))
                .setSpec(V1.NamespaceSpec.newBuilder().addFinalizers("kubernetes"))
                .setStatus(V1.NamespaceStatus.newBuilder().setPhase("Active"))
                .build();

        assertEquals(json("""
                {"kind":"Namespace","apiVersion":"v1",
                 "metadata":{"name":"team-a","uid":"6f1c1b5e-7d2a-4b8e-9a51-0c2f3e4d5a6b","resourceVersion":"42",
                             "creationTimestamp":"2026-11-22T01:52:50Z",
                             "labels":{"env":"prod","kubernetes.io/metadata.name":"team-a"}},
                 "spec":{"finalizers":["kubernetes"]},
                 "status":{"phase":"Active"}}"""),
                KubeProtobuf.decode(wrap("v1", "Namespace", namespace)));
    }

    /**
     * Go's protobuf marshaller writes every non-pointer field, empty or not: built that way, the body is
     * byte for byte what `kubectl create namespace foo` sent, and the empty strings must not become JSON.
     */
    @Test
    void namespaceAsKubectlWritesItIsByteIdenticalToTheCapturedBody() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(goObjectMeta("foo", ""))
                .setSpec(V1.NamespaceSpec.newBuilder())
                .setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))
                .build();
        byte[] body = wrap("v1", "Namespace", namespace);

        assertArrayEquals(Bodies.resource("kubectl/create-namespace.pb"), body);
        assertEquals(json("""
                {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo","creationTimestamp":null},
                 "spec":{},"status":{}}"""),
                KubeProtobuf.decode(body));
    }

    /** Absent non-pointer structs come out as Go writes their zero value: {} or, for Time, null. */
    @Test
    void absentNonPointerStructsAreWrittenAsGoWritesZeroValues() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("bare"))
                .build();

        assertEquals(json("""
                {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"bare","creationTimestamp":null},
                 "spec":{},"status":{}}"""),
                KubeProtobuf.decode(wrap("v1", "Namespace", namespace)));
    }

    @Test
    void goZeroTimeIsNullButTheEpochIsATime() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder()
                        .setName("t")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(GoFormats.GO_ZERO_TIME_SECONDS))
                        .setDeletionTimestamp(Meta.Time.newBuilder().setSeconds(0)))
                .setSpec(V1.NamespaceSpec.getDefaultInstance())
                .setStatus(V1.NamespaceStatus.getDefaultInstance())
                .build();

        assertEquals(json("""
                {"kind":"Namespace","apiVersion":"v1",
                 "metadata":{"name":"t","creationTimestamp":null,"deletionTimestamp":"1970-01-01T00:00:00Z"},
                 "spec":{},"status":{}}"""),
                KubeProtobuf.decode(wrap("v1", "Namespace", namespace)));
    }

    /** Fields this client-java-proto does not know (a newer client) are skipped, as Go's decoder skips them. */
    @Test
    void unknownFieldsAreSkipped() {
        ByteString raw = V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("foo"))
                .build()
                .toByteString()
                .concat(ByteString.copyFrom(new byte[] {(byte) 0x98, 0x06, 0x01})); // field 99, varint 1

        assertEquals(json("""
                {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo","creationTimestamp":null},
                 "spec":{},"status":{}}"""),
                KubeProtobuf.decode(wrap("v1", "Namespace", raw, "", "")));
    }

    // --- authorization ---------------------------------------------------------------------------------------

    @Test
    void selfSubjectAccessReviewAsKubectlAuthCanICreatePodsSendsIt() {
        V1Authorization.SelfSubjectAccessReview review = V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setMetadata(goObjectMeta("", ""))
                .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("default")
                                .setVerb("create")
                                .setGroup("")
                                .setVersion("")
                                .setResource("pods")
                                .setSubresource("")
                                .setName("")))
                .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder()
                        .setAllowed(false)
                        .setReason("")
                        .setEvaluationError("")
                        .setDenied(false))
                .build();
        byte[] body = wrap("authorization.k8s.io/v1", "SelfSubjectAccessReview", review);

        assertArrayEquals(Bodies.resource("kubectl/auth-can-i-create-pods.pb"), body);
        assertEquals(json("""
                {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},
                 "status":{"allowed":false}}"""),
                KubeProtobuf.decode(body));
    }

    @Test
    void subjectAccessReviewExtraValuesBecomeStringArrays() {
        V1Authorization.SubjectAccessReview review = V1Authorization.SubjectAccessReview.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder())
                .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("default").setVerb("get").setResource("pods"))
                        .setUser("alice")
                        .addGroups("devs")
                        .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("a").addItems("b").build())
                        .putExtra("none", V1Authorization.ExtraValue.getDefaultInstance())
                        .setUid("u-1"))
                .build();

        assertEquals(json("""
                {"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"},
                         "user":"alice","groups":["devs"],"extra":{"none":[],"scopes":["a","b"]},"uid":"u-1"},
                 "status":{"allowed":false}}"""),
                KubeProtobuf.decode(wrap("authorization.k8s.io/v1", "SubjectAccessReview", review)));
    }

    // --- Pod, Secret, Deployment -----------------------------------------------------------------------------

    @Test
    void podWithContainersPortsProbesResourcesAndInlineFields() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder()
                        .setName("web-0").setNamespace("default").putAnnotations("note", "x"))
                .setSpec(V1.PodSpec.newBuilder()
                        .addVolumes(V1.Volume.newBuilder().setName("cfg").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("web-config"))
                                        .setDefaultMode(420))))
                        .addContainers(V1.Container.newBuilder()
                                .setName("web")
                                .setImage("nginx:1.27")
                                .addPorts(V1.ContainerPort.newBuilder()
                                        .setName("http").setContainerPort(8080).setProtocol("TCP"))
                                .addEnv(V1.EnvVar.newBuilder().setName("PASSWORD").setValueFrom(V1.EnvVarSource.newBuilder()
                                        .setSecretKeyRef(V1.SecretKeySelector.newBuilder()
                                                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("db"))
                                                .setKey("password"))))
                                .setResources(V1.ResourceRequirements.newBuilder()
                                        .putLimits("cpu", quantity("500m"))
                                        .putLimits("memory", quantity("128Mi"))
                                        .putRequests("cpu", quantity("250m")))
                                .setLivenessProbe(V1.Probe.newBuilder()
                                        .setHandler(V1.ProbeHandler.newBuilder().setHttpGet(V1.HTTPGetAction.newBuilder()
                                                .setPath("/healthz").setPort(intOrString(8080))))
                                        .setInitialDelaySeconds(3))
                                .setReadinessProbe(V1.Probe.newBuilder()
                                        .setHandler(V1.ProbeHandler.newBuilder().setTcpSocket(V1.TCPSocketAction.newBuilder()
                                                .setPort(intOrString("http")))))
                                .setSecurityContext(V1.SecurityContext.newBuilder()
                                        .setRunAsUser(0) // *int64: a zero value that means root, kept
                                        .setRunAsNonRoot(false))) // *bool: kept
                        .setRestartPolicy("Always")
                        .setTerminationGracePeriodSeconds(0) // *int64: kept
                        .setHostNetwork(false) // bool with omitempty: dropped
                        .putNodeSelector("disk", "ssd"))
                .build();

        assertEquals(json("""
                {"kind":"Pod","apiVersion":"v1",
                 "metadata":{"name":"web-0","namespace":"default","creationTimestamp":null,"annotations":{"note":"x"}},
                 "spec":{
                   "volumes":[{"name":"cfg","configMap":{"name":"web-config","defaultMode":420}}],
                   "containers":[{
                     "name":"web","image":"nginx:1.27",
                     "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
                     "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
                     "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m"}},
                     "livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"initialDelaySeconds":3},
                     "readinessProbe":{"tcpSocket":{"port":"http"}},
                     "securityContext":{"runAsUser":0,"runAsNonRoot":false}}],
                   "restartPolicy":"Always","terminationGracePeriodSeconds":0,"nodeSelector":{"disk":"ssd"}},
                 "status":{}}"""),
                KubeProtobuf.decode(wrap("v1", "Pod", pod)));
    }

    @Test
    void secretBytesBecomeBase64AndAPointerFalseIsKept() {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("tls").setNamespace("default"))
                .putData("tls.crt", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}))
                .putData("empty", ByteString.EMPTY)
                .putStringData("note", "plain")
                .setType("kubernetes.io/tls")
                .setImmutable(false)
                .build();

        assertEquals(json("""
                {"kind":"Secret","apiVersion":"v1",
                 "metadata":{"name":"tls","namespace":"default","creationTimestamp":null},
                 "immutable":false,
                 "data":{"empty":"","tls.crt":"AAH+/w=="},
                 "stringData":{"note":"plain"},
                 "type":"kubernetes.io/tls"}"""),
                KubeProtobuf.decode(wrap("v1", "Secret", secret)));
    }

    @Test
    void deploymentKeepsZeroReplicasAndRendersIntOrStringBothWays() {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace("default").putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(0)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(
                                        V1.Container.newBuilder().setName("nginx").setImage("nginx:1.27"))))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder()
                                .setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxUnavailable(intOrString(0))
                                        .setMaxSurge(intOrString("25%"))))
                        .setMinReadySeconds(0)
                        .setPaused(false))
                .build();

        assertEquals(json("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"web","namespace":"default","creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"replicas":0,
                         "selector":{"matchLabels":{"app":"web"}},
                         "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                                     "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","resources":{}}]}},
                         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}},
                 "status":{}}"""),
                KubeProtobuf.decode(wrap("apps/v1", "Deployment", deployment)));
    }

    // --- time types ------------------------------------------------------------------------------------------

    @Test
    void leaseMicroTimesHaveSixFractionalDigits() {
        V1Coordination.Lease lease = V1Coordination.Lease.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("node-1").setNamespace("kube-node-lease"))
                .setSpec(V1Coordination.LeaseSpec.newBuilder()
                        .setHolderIdentity("node-1")
                        .setLeaseDurationSeconds(40)
                        .setAcquireTime(Meta.MicroTime.newBuilder().setSeconds(T0).setNanos(123_456_789))
                        .setRenewTime(Meta.MicroTime.newBuilder().setSeconds(T0 + 15))
                        .setLeaseTransitions(0))
                .build();

        assertEquals(json("""
                {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
                 "metadata":{"name":"node-1","namespace":"kube-node-lease","creationTimestamp":null},
                 "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,
                         "acquireTime":"2026-11-22T01:52:50.123456Z","renewTime":"2026-11-22T01:53:05.000000Z",
                         "leaseTransitions":0}}"""),
                KubeProtobuf.decode(wrap("coordination.k8s.io/v1", "Lease", lease)));
    }

    @Test
    void eventsV1EventWritesItsZeroDeprecatedFieldsAsGoDoes() {
        V1Events.Event event = V1Events.Event.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-0.1").setNamespace("default"))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(T0).setNanos(5_000))
                .setReportingController("kemu/scheduler")
                .setReportingInstance("kemu-1")
                .setAction("Binding")
                .setReason("Scheduled")
                .setRegarding(V1.ObjectReference.newBuilder().setKind("Pod").setNamespace("default").setName("web-0"))
                .setNote("Successfully assigned default/web-0 to node-1")
                .setType("Normal")
                .build();

        assertEquals(json("""
                {"kind":"Event","apiVersion":"events.k8s.io/v1",
                 "metadata":{"name":"web-0.1","namespace":"default","creationTimestamp":null},
                 "eventTime":"2026-11-22T01:52:50.000005Z",
                 "reportingController":"kemu/scheduler","reportingInstance":"kemu-1",
                 "action":"Binding","reason":"Scheduled",
                 "regarding":{"kind":"Pod","namespace":"default","name":"web-0"},
                 "note":"Successfully assigned default/web-0 to node-1","type":"Normal",
                 "deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}"""),
                KubeProtobuf.decode(wrap("events.k8s.io/v1", "Event", event)));
    }

    // --- embedded JSON ---------------------------------------------------------------------------------------

    @Test
    void managedFieldsEmbedTheirFieldsV1Json() {
        V1.ConfigMap configMap = V1.ConfigMap.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("c").setNamespace("default")
                        .addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
                                .setManager("kubectl-create")
                                .setOperation("Update")
                                .setApiVersion("v1")
                                .setTime(Meta.Time.newBuilder().setSeconds(T0))
                                .setFieldsType("FieldsV1")
                                .setFieldsV1(Meta.FieldsV1.newBuilder()
                                        .setRaw(ByteString.copyFromUtf8("{\"f:data\":{\".\":{},\"f:a\":{}}}")))))
                .putData("a", "b")
                .build();

        assertEquals(json("""
                {"kind":"ConfigMap","apiVersion":"v1",
                 "metadata":{"name":"c","namespace":"default","creationTimestamp":null,
                             "managedFields":[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1",
                                               "time":"2026-11-22T01:52:50Z","fieldsType":"FieldsV1",
                                               "fieldsV1":{"f:data":{".":{},"f:a":{}}}}]},
                 "data":{"a":"b"}}"""),
                KubeProtobuf.decode(wrap("v1", "ConfigMap", configMap)));
    }

    @Test
    void rawExtensionJsonIsEmbeddedWithItsNumbersExact() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-5d4f").setNamespace("default"))
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8(
                        " {\"spec\":{\"template\":{\"weight\":1.50,\"big\":12345678901234567890}}}")))
                .setRevision(3)
                .build();

        JsonNode decoded = KubeProtobuf.decode(wrap("apps/v1", "ControllerRevision", revision));

        assertEquals("{\"spec\":{\"template\":{\"weight\":1.50,\"big\":12345678901234567890}}}",
                decoded.get("data").toString());
        assertEquals(3, decoded.get("revision").intValue());
        assertEquals(json("""
                {"name":"web-5d4f","namespace":"default","creationTimestamp":null}"""), decoded.get("metadata"));
    }

    @Test
    void rawExtensionHoldingKubernetesProtobufIsDecodedToo() {
        byte[] namespace = wrap("v1", "Namespace", V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("foo")).build());
        Meta.WatchEvent event = Meta.WatchEvent.newBuilder()
                .setType("ADDED")
                .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(namespace)))
                .build();

        assertEquals(json("""
                {"kind":"WatchEvent","apiVersion":"v1","type":"ADDED",
                 "object":{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"foo","creationTimestamp":null},
                           "spec":{},"status":{}}}"""),
                KubeProtobuf.decode(wrap("v1", "WatchEvent", event)));
    }

    // --- kinds from meta/v1, renamed and inline fields -------------------------------------------------------

    @Test
    void deleteOptionsSentForAGroupVersionComeFromMetaV1() {
        Meta.DeleteOptions options = Meta.DeleteOptions.newBuilder()
                .setGracePeriodSeconds(0)
                .setPropagationPolicy("Background")
                .build();

        assertEquals(json("""
                {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0,"propagationPolicy":"Background"}"""),
                KubeProtobuf.decode(wrap("v1", "DeleteOptions", options)));
        assertEquals(json("""
                {"kind":"DeleteOptions","apiVersion":"apps/v1","gracePeriodSeconds":0,"propagationPolicy":"Background"}"""),
                KubeProtobuf.decode(wrap("apps/v1", "DeleteOptions", options)));
        assertEquals(json("""
                {"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","gracePeriodSeconds":0,
                 "propagationPolicy":"Background"}"""),
                KubeProtobuf.decode(wrap("meta.k8s.io/v1", "DeleteOptions", options)));
    }

    @Test
    void fieldsWhoseJsonNameDiffersFromTheProtoName() {
        V1Networking.IngressClass ingressClass = V1Networking.IngressClass.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("nginx"))
                .setSpec(V1Networking.IngressClassSpec.newBuilder()
                        .setController("k8s.io/ingress-nginx")
                        .setParameters(V1Networking.IngressClassParametersReference.newBuilder()
                                .setAPIGroup("k8s.example.com") // proto name aPIGroup
                                .setKind("IngressParameters")
                                .setName("external-lb")
                                .setScope("Cluster")))
                .build();

        assertEquals(json("""
                {"kind":"IngressClass","apiVersion":"networking.k8s.io/v1",
                 "metadata":{"name":"nginx","creationTimestamp":null},
                 "spec":{"controller":"k8s.io/ingress-nginx",
                         "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters",
                                       "name":"external-lb","scope":"Cluster"}}}"""),
                KubeProtobuf.decode(wrap("networking.k8s.io/v1", "IngressClass", ingressClass)));
    }

    @Test
    void webhookConfigurationRenamesWebhooksAndInlinesItsRule() {
        V1Admissionregistration.ValidatingWebhookConfiguration configuration =
                V1Admissionregistration.ValidatingWebhookConfiguration.newBuilder()
                        .setMetadata(Meta.ObjectMeta.newBuilder().setName("policy"))
                        .addWebhooks(V1Admissionregistration.ValidatingWebhook.newBuilder() // proto name Webhooks
                                .setName("pods.policy.example.com")
                                .setClientConfig(V1Admissionregistration.WebhookClientConfig.newBuilder()
                                        .setUrl("https://policy.example.com/validate"))
                                .addRules(V1Admissionregistration.RuleWithOperations.newBuilder()
                                        .addOperations("CREATE")
                                        .setRule(V1Admissionregistration.Rule.newBuilder()
                                                .addApiGroups("").addApiVersions("v1").addResources("pods")))
                                .setSideEffects("None")
                                .addAdmissionReviewVersions("v1"))
                        .build();

        assertEquals(json("""
                {"kind":"ValidatingWebhookConfiguration","apiVersion":"admissionregistration.k8s.io/v1",
                 "metadata":{"name":"policy","creationTimestamp":null},
                 "webhooks":[{"name":"pods.policy.example.com",
                              "clientConfig":{"url":"https://policy.example.com/validate"},
                              "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],
                                        "resources":["pods"]}],
                              "sideEffects":"None","admissionReviewVersions":["v1"]}]}"""),
                KubeProtobuf.decode(wrap("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration",
                        configuration)));
    }

    @Test
    void customResourceDefinitionSchemaUsesJsonSchemaNamesAndForms() {
        V1Apiextensions.JSONSchemaProps schema = V1Apiextensions.JSONSchemaProps.newBuilder()
                .setType("object")
                .addRequired("spec")
                .putProperties("spec", V1Apiextensions.JSONSchemaProps.newBuilder()
                        .setType("object")
                        .setXKubernetesPreserveUnknownFields(true)
                        .build())
                .putProperties("size", V1Apiextensions.JSONSchemaProps.newBuilder()
                        .setType("integer")
                        .setDefault(V1Apiextensions.JSON.newBuilder().setRaw(ByteString.copyFromUtf8("3")))
                        .setMinimum(1)
                        .setMaximum(2.5)
                        .build())
                .putProperties("mode", V1Apiextensions.JSONSchemaProps.newBuilder()
                        .setType("string")
                        .addEnum(V1Apiextensions.JSON.newBuilder().setRaw(ByteString.copyFromUtf8("\"a\"")))
                        .addEnum(V1Apiextensions.JSON.newBuilder().setRaw(ByteString.copyFromUtf8("\"b\"")))
                        .build())
                .putProperties("ref", V1Apiextensions.JSONSchemaProps.newBuilder()
                        .setRef("#/definitions/thing")
                        .build())
                .setAdditionalProperties(V1Apiextensions.JSONSchemaPropsOrBool.newBuilder().setAllows(false))
                .build();
        V1Apiextensions.CustomResourceDefinition crd = V1Apiextensions.CustomResourceDefinition.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("widgets.example.com"))
                .setSpec(V1Apiextensions.CustomResourceDefinitionSpec.newBuilder()
                        .setGroup("example.com")
                        .setNames(V1Apiextensions.CustomResourceDefinitionNames.newBuilder()
                                .setPlural("widgets").setKind("Widget"))
                        .setScope("Namespaced")
                        .addVersions(V1Apiextensions.CustomResourceDefinitionVersion.newBuilder()
                                .setName("v1").setServed(true).setStorage(true)
                                .setSchema(V1Apiextensions.CustomResourceValidation.newBuilder()
                                        .setOpenAPIV3Schema(schema))))
                .build();

        // CustomResourceDefinitionStatus tags conditions and storedVersions without omitempty: Go writes null.
        assertEquals(json("""
                {"kind":"CustomResourceDefinition","apiVersion":"apiextensions.k8s.io/v1",
                 "metadata":{"name":"widgets.example.com","creationTimestamp":null},
                 "spec":{"group":"example.com","names":{"plural":"widgets","kind":"Widget"},"scope":"Namespaced",
                         "versions":[{"name":"v1","served":true,"storage":true,
                                      "schema":{"openAPIV3Schema":{
                                        "type":"object",
                                        "required":["spec"],
                                        "properties":{
                                          "mode":{"type":"string","enum":["a","b"]},
                                          "ref":{"$ref":"#/definitions/thing"},
                                          "size":{"type":"integer","default":3,"maximum":2.5,"minimum":1},
                                          "spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},
                                        "additionalProperties":false}}}]},
                 "status":{"conditions":null,"acceptedNames":{"plural":"","kind":""},"storedVersions":null}}"""),
                KubeProtobuf.decode(wrap("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd)));
    }

    // --- envelope ----------------------------------------------------------------------------------------------

    @Test
    void envelopeWithoutTypeMetaTakesTheDefaults() {
        byte[] body = wrap("", "", V1.Namespace.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("foo")).build());

        JsonNode decoded = KubeProtobuf.decode(body, "v1", "Namespace");

        assertEquals("Namespace", decoded.get("kind").textValue());
        assertEquals("v1", decoded.get("apiVersion").textValue());
        assertEquals("foo", decoded.get("metadata").get("name").textValue());
    }

    @Test
    void envelopeMayNameTheProtobufContentType() {
        byte[] body = wrap("v1", "Namespace", V1.Namespace.newBuilder()
                        .setMetadata(Meta.ObjectMeta.newBuilder().setName("foo")).build().toByteString(),
                "", "application/vnd.kubernetes.protobuf");

        assertEquals("foo", KubeProtobuf.decode(body).get("metadata").get("name").textValue());
    }

    @Test
    void recognisesTheMediaTypeAndThePrefix() {
        assertTrue(KubeProtobuf.isProtobufMediaType("application/vnd.kubernetes.protobuf"));
        assertTrue(KubeProtobuf.isProtobufMediaType("Application/VND.Kubernetes.Protobuf; charset=utf-8"));
        assertFalse(KubeProtobuf.isProtobufMediaType("application/json"));
        assertFalse(KubeProtobuf.isProtobufMediaType("application/vnd.kubernetes.protobuf+json"));
        assertFalse(KubeProtobuf.isProtobufMediaType(null));

        assertTrue(KubeProtobuf.hasMagicPrefix(new byte[] {'k', '8', 's', 0}));
        assertFalse(KubeProtobuf.hasMagicPrefix(new byte[] {'k', '8', 's', 1}));
        assertFalse(KubeProtobuf.hasMagicPrefix(new byte[] {'k', '8', 's'}));
        assertFalse(KubeProtobuf.hasMagicPrefix(null));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** ObjectMeta as Go's marshaller writes it for a new object: every non-pointer field, empty. */
    static Meta.ObjectMeta.Builder goObjectMeta(String name, String namespace) {
        return Meta.ObjectMeta.newBuilder()
                .setName(name)
                .setGenerateName("")
                .setNamespace(namespace)
                .setSelfLink("")
                .setUid("")
                .setResourceVersion("")
                .setGeneration(0)
                .setCreationTimestamp(Meta.Time.getDefaultInstance());
    }

    static Resource.Quantity quantity(String value) {
        return Resource.Quantity.newBuilder().setString(value).build();
    }

    static IntStr.IntOrString intOrString(int value) {
        return IntStr.IntOrString.newBuilder().setType(0).setIntVal(value).setStrVal("").build();
    }

    static IntStr.IntOrString intOrString(String value) {
        return IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal(value).build();
    }
}
