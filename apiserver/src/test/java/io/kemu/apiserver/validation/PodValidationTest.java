package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kemu.apiserver.defaults.PodDefaults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pod create validation; inputs and expectations follow TestValidatePodSpec / TestValidateContainers /
 * TestValidateInitContainers / TestValidateVolumes / TestValidateProbe in core/validation/validation_test.go.
 * Pods are defaulted first, as the apiserver does.
 */
class PodValidationTest {

    static PodBuilder base() {
        return new PodBuilder().withNewMetadata().withName("x").withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec();
    }

    static List<FieldError> validate(Pod pod) {
        return PodValidation.validateCreate(PodDefaults.apply(pod));
    }

    static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage("busybox").build();
    }

    @Test
    void minimalDefaultedPodIsValid() {
        assertNone(validate(base().build()));
    }

    @Test
    void missingImageRendersLikeKubectl() {
        Pod pod = base().editSpec().editFirstContainer().withImage(null).endContainer().endSpec().build();
        List<FieldError> errs = validate(pod);
        assertMessages(errs, "spec.containers[0].image: Required value");
        assertEquals("The Pod \"x\" is invalid: spec.containers[0].image: Required value\n",
                FieldErrors.kubectlMessage("Pod", "x", errs));
        assertEquals("Pod \"x\" is invalid: spec.containers[0].image: Required value",
                FieldErrors.invalidMessage("Pod", "x", errs));
    }

    @Test
    void imageWithSurroundingWhitespace() {
        Pod pod = base().editSpec().editFirstContainer().withImage(" nginx").endContainer().endSpec().build();
        assertMessages(validate(pod),
                "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace");
    }

    @Test
    void containersRequired() {
        Pod pod = base().editSpec().withContainers(List.of()).endSpec().build();
        assertMessages(validate(pod), "spec.containers: Required value");
    }

    @Test
    void containerNames() {
        Pod noName = base().editSpec().editFirstContainer().withName("").endContainer().endSpec().build();
        assertMessages(validate(noName), "spec.containers[0].name: Required value");
        Pod badName = base().editSpec().editFirstContainer().withName("Bad_Name").endContainer().endSpec().build();
        assertMessages(validate(badName), "spec.containers[0].name: Invalid value: \"Bad_Name\": " + NameValidationTest.LABEL_MSG);
        Pod dup = base().editSpec().addToContainers(container("app")).endSpec().build();
        assertMessages(validate(dup), "spec.containers[1].name: Duplicate value: \"app\"");
        Pod dupInit = base().editSpec().addToInitContainers(container("app")).endSpec().build();
        assertMessages(validate(dupInit), "spec.initContainers[0].name: Duplicate value: \"app\"");
        Pod distinct = base().editSpec().addToInitContainers(container("init")).addToContainers(container("side")).endSpec().build();
        assertNone(validate(distinct));
    }

    @Test
    void enumeratedPolicies() {
        Pod pull = base().editSpec().editFirstContainer().withImagePullPolicy("Sometimes").endContainer().endSpec().build();
        assertMessages(validate(pull), "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: "
                + "\"Always\", \"IfNotPresent\", \"Never\"");
        Pod tmp = base().editSpec().editFirstContainer().withTerminationMessagePolicy("Stdout").endContainer().endSpec().build();
        assertMessages(validate(tmp), "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Stdout\": supported "
                + "values: \"File\", \"FallbackToLogsOnError\"");
        Pod restart = base().editSpec().withRestartPolicy("Sometimes").endSpec().build();
        assertMessages(validate(restart), "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
                + "\"Always\", \"OnFailure\", \"Never\"");
        Pod dns = base().editSpec().withDnsPolicy("Google").endSpec().build();
        assertMessages(validate(dns), "spec.dnsPolicy: Unsupported value: \"Google\": supported values: "
                + "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"");
        Pod ok = base().editSpec().withRestartPolicy("OnFailure").withDnsPolicy("Default").editFirstContainer()
                .withImagePullPolicy("Never").endContainer().endSpec().build();
        assertNone(validate(ok));
        // undefaulted required enums
        Pod raw = base().build();
        raw.getSpec().setTerminationGracePeriodSeconds(30L);
        raw.getSpec().getContainers().get(0).setTerminationMessagePolicy("File");
        raw.getSpec().getContainers().get(0).setImagePullPolicy("Always");
        assertMessages(PodValidation.validateCreate(raw), "spec.restartPolicy: Required value", "spec.dnsPolicy: Required value");
    }

    @Test
    void dnsNoneNeedsConfig() {
        Pod pod = base().editSpec().withDnsPolicy("None").endSpec().build();
        assertMessages(validate(pod), "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None");
        Pod ok = base().editSpec().withDnsPolicy("None").withNewDnsConfig().withNameservers("1.1.1.1").endDnsConfig().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void containerPorts() {
        Pod zero = base().editSpec().editFirstContainer().addNewPort().withContainerPort(0).endPort().endContainer().endSpec().build();
        assertMessages(validate(zero), "spec.containers[0].ports[0].containerPort: Required value");
        Pod big = base().editSpec().editFirstContainer().addNewPort().withContainerPort(70000).withHostPort(65536).endPort()
                .endContainer().endSpec().build();
        assertMessages(validate(big),
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive");
        Pod proto = base().editSpec().editFirstContainer().addNewPort().withContainerPort(80).withProtocol("HTTP").endPort()
                .endContainer().endSpec().build();
        assertMessages(validate(proto), "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: "
                + "\"SCTP\", \"TCP\", \"UDP\"");
        Pod names = base().editSpec().editFirstContainer()
                .addNewPort().withName("http").withContainerPort(80).endPort()
                .addNewPort().withName("http").withContainerPort(81).endPort()
                .addNewPort().withName("Web").withContainerPort(82).endPort()
                .endContainer().endSpec().build();
        assertMessages(validate(names),
                "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
                "spec.containers[0].ports[2].name: Invalid value: \"Web\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        Pod ok = base().editSpec().editFirstContainer().addNewPort().withName("http").withContainerPort(80).withHostPort(8080)
                .endPort().addNewPort().withContainerPort(53).withProtocol("UDP").endPort().endContainer().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void hostPortConflicts() {
        Pod pod = base().editSpec().editFirstContainer().addNewPort().withContainerPort(80).withHostPort(8080).endPort().endContainer()
                .addNewContainer().withName("b").withImage("b").addNewPort().withContainerPort(81).withHostPort(8080).endPort().endContainer()
                .endSpec().build();
        assertMessages(validate(pod), "spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\"");
        Pod udp = base().editSpec().editFirstContainer().addNewPort().withContainerPort(80).withHostPort(8080).endPort().endContainer()
                .addNewContainer().withName("b").withImage("b").addNewPort().withContainerPort(81).withHostPort(8080).withProtocol("UDP")
                .endPort().endContainer().endSpec().build();
        assertNone(validate(udp));
    }

    @Test
    void hostNetworkPortsMustMatch() {
        Pod pod = base().editSpec().withHostNetwork(true).editFirstContainer().addNewPort().withContainerPort(80).withHostPort(81)
                .endPort().endContainer().endSpec().build();
        assertMessages(validate(pod), "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true");
        Pod defaulted = base().editSpec().withHostNetwork(true).editFirstContainer().addNewPort().withContainerPort(80).endPort()
                .endContainer().endSpec().build();
        assertNone(validate(defaulted));
    }

    @Test
    void envNames() {
        Pod relaxed = base().editSpec().editFirstContainer().addNewEnv().withName("1-FOO bar").withValue("v").endEnv()
                .endContainer().endSpec().build();
        assertNone(validate(relaxed));
        Pod eq = base().editSpec().editFirstContainer().addNewEnv().withName("A=B").endEnv().endContainer().endSpec().build();
        assertMessages(validate(eq), "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable "
                + "name must consist only of printable ASCII characters other than '='");
        Pod empty = base().editSpec().editFirstContainer().addNewEnv().withValue("v").endEnv().endContainer().endSpec().build();
        assertMessages(validate(empty), "spec.containers[0].env[0].name: Required value");
        Pod strict = PodDefaults.apply(base().editSpec().editFirstContainer().addNewEnv().withName("1FOO").endEnv()
                .endContainer().endSpec().build());
        assertMessages(PodValidation.validateCreate(strict, PodValidationOptions.defaults().withRelaxedEnvironmentVariableValidation(false)),
                "spec.containers[0].env[0].name: Invalid value: \"1FOO\": a valid environment variable name must consist of "
                        + "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  "
                        + "or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
    }

    @Test
    void envValueFrom() {
        Pod none = base().editSpec().editFirstContainer().addNewEnv().withName("A").withNewValueFrom().endValueFrom().endEnv()
                .endContainer().endSpec().build();
        assertMessages(validate(none), "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: "
                + "`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        Pod unsupported = base().editSpec().editFirstContainer().addNewEnv().withName("A").withNewValueFrom().withNewFieldRef()
                .withFieldPath("spec.foo").endFieldRef().endValueFrom().endEnv().endContainer().endSpec().build();
        assertMessages(validate(unsupported), "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "
                + "\"spec.foo\": error converting fieldPath: field label not supported: spec.foo");
        Pod notForEnv = base().editSpec().editFirstContainer().addNewEnv().withName("A").withNewValueFrom().withNewFieldRef()
                .withFieldPath("status.phase").endFieldRef().endValueFrom().endEnv().endContainer().endSpec().build();
        assertMessages(validate(notForEnv), "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "
                + "\"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", "
                + "\"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", "
                + "\"status.podIPs\"");
        Pod both = base().editSpec().editFirstContainer().addNewEnv().withName("A").withValue("x").withNewValueFrom()
                .withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv().endContainer().endSpec().build();
        assertMessages(validate(both), "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty");
        Pod ok = base().editSpec().editFirstContainer().addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CM").withNewValueFrom().withNewConfigMapKeyRef().withName("cm").withKey("k")
                .endConfigMapKeyRef().endValueFrom().endEnv().endContainer().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void resources() {
        Pod over = base().editSpec().editFirstContainer().withNewResources()
                .withRequests(Map.of("cpu", new Quantity("200m"))).withLimits(Map.of("cpu", new Quantity("100m")))
                .endResources().endContainer().endSpec().build();
        assertMessages(validate(over), "spec.containers[0].resources.requests: Invalid value: \"200m\": must be less than or "
                + "equal to cpu limit of 100m");
        Pod negative = base().editSpec().editFirstContainer().withNewResources()
                .withRequests(Map.of("memory", new Quantity("-1"))).endResources().endContainer().endSpec().build();
        assertMessages(validate(negative), "spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be "
                + "greater than or equal to 0");
        Pod unknown = base().editSpec().editFirstContainer().withNewResources()
                .withRequests(Map.of("gpu", new Quantity("1"))).endResources().endContainer().endSpec().build();
        assertMessages(validate(unknown),
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers");
        Pod extended = base().editSpec().editFirstContainer().withNewResources()
                .withRequests(Map.of("example.com/gpu", new Quantity("1"))).endResources().endContainer().endSpec().build();
        assertMessages(validate(extended), "spec.containers[0].resources.limits: Required value: Limit must be set for non "
                + "overcommitable resources");
        Pod extendedOk = base().editSpec().editFirstContainer().withNewResources()
                .withLimits(Map.of("example.com/gpu", new Quantity("1"), "cpu", new Quantity("1"), "memory", new Quantity("1Gi")))
                .endResources().endContainer().endSpec().build();
        assertNone(validate(extendedOk));
        Pod malformed = base().editSpec().editFirstContainer().withNewResources()
                .withRequests(Map.of("cpu", new Quantity("lots"))).endResources().endContainer().endSpec().build();
        assertMessages(validate(malformed), "spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\": quantities "
                + "must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    @Test
    void volumes() {
        Pod dup = base().editSpec().addNewVolume().withName("v").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("v").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
        assertMessages(validate(dup), "spec.volumes[1].name: Duplicate value: \"v\"");
        Pod two = base().editSpec().addNewVolume().withName("v").withNewEmptyDir().endEmptyDir().withNewHostPath().withPath("/tmp")
                .endHostPath().endVolume().endSpec().build();
        assertMessages(validate(two), "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type");
        Pod badName = base().editSpec().addNewVolume().withName("V").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
        assertMessages(validate(badName), "spec.volumes[0].name: Invalid value: \"V\": " + NameValidationTest.LABEL_MSG);
        Pod hostPath = base().editSpec().addNewVolume().withName("v").withNewHostPath().withPath("").endHostPath().endVolume()
                .addNewVolume().withName("w").withNewHostPath().withPath("/a/../b").withType("Dir").endHostPath().endVolume()
                .endSpec().build();
        assertMessages(validate(hostPath), "spec.volumes[0].hostPath.path: Required value",
                "spec.volumes[1].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'",
                "spec.volumes[1].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", "
                        + "\"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"");
        Pod sources = base().editSpec()
                .addNewVolume().withName("c").withNewConfigMap().endConfigMap().endVolume()
                .addNewVolume().withName("s").withNewSecret().withSecretName("s").withDefaultMode(01000).endSecret().endVolume()
                .addNewVolume().withName("d").withNewDownwardAPI().addNewItem().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endItem().endDownwardAPI().endVolume()
                .endSpec().build();
        assertMessages(validate(sources), "spec.volumes[0].configMap.name: Required value",
                "spec.volumes[1].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
                "spec.volumes[2].downwardAPI.path: Required value");
        Pod ok = base().editSpec()
                .addNewVolume().withName("c").withNewConfigMap().withName("cm").addNewItem().withKey("k").withPath("p").endItem()
                .endConfigMap().endVolume()
                .addNewVolume().withName("p").withNewProjected().addNewSource().withNewConfigMap().withName("cm").endConfigMap()
                .endSource().addNewSource().withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef()
                .withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endSource().endProjected().endVolume()
                .addNewVolume().withName("e").endVolume()
                .endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void projectedSourcesAndTokens() {
        Pod twoInOne = base().editSpec().addNewVolume().withName("p").withNewProjected().addNewSource().withNewConfigMap()
                .withName("a").endConfigMap().withNewSecret().withName("b").endSecret().endSource().endProjected().endVolume()
                .endSpec().build();
        assertMessages(validate(twoInOne), "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source");
        Pod token = base().editSpec().addNewVolume().withName("p").withNewProjected().addNewSource().withNewServiceAccountToken()
                .withPath("token").endServiceAccountToken().endSource().endProjected().endVolume().endSpec().build();
        assertMessages(validate(token), "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be "
                + "specified when serviceAccountName is not set");
        token.getSpec().setServiceAccountName("default");
        assertNone(PodValidation.validateCreate(token));
    }

    @Test
    void volumeMounts() {
        Pod missing = base().editSpec().editFirstContainer().addNewVolumeMount().withName("missing").withMountPath("/m")
                .endVolumeMount().endContainer().endSpec().build();
        assertMessages(validate(missing), "spec.containers[0].volumeMounts[0].name: Not found: \"missing\"");
        Pod paths = base().editSpec().addNewVolume().withName("v").endVolume().editFirstContainer()
                .addNewVolumeMount().withName("v").withMountPath("").endVolumeMount()
                .addNewVolumeMount().withName("v").withMountPath("/a").endVolumeMount()
                .addNewVolumeMount().withName("v").withMountPath("/a").withSubPath("../x").endVolumeMount()
                .endContainer().endSpec().build();
        assertMessages(validate(paths), "spec.containers[0].volumeMounts[0].mountPath: Required value",
                "spec.containers[0].volumeMounts[2].mountPath: Invalid value: \"/a\": must be unique",
                "spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'");
        Pod ok = base().editSpec().addNewVolume().withName("v").endVolume().editFirstContainer()
                .addNewVolumeMount().withName("v").withMountPath("/a").endVolumeMount()
                .addNewVolumeMount().withName("v").withMountPath("/b").withSubPath("sub").endVolumeMount()
                .endContainer().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void probes() {
        Pod noHandler = base().editSpec().editFirstContainer().withNewLivenessProbe().endLivenessProbe().endContainer().endSpec().build();
        assertMessages(validate(noHandler), "spec.containers[0].livenessProbe: Required value: must specify a handler type");
        Pod twoHandlers = base().editSpec().editFirstContainer().withNewLivenessProbe().withNewExec().withCommand("true").endExec()
                .withNewHttpGet().withPort(new IntOrString(80)).endHttpGet().endLivenessProbe().endContainer().endSpec().build();
        assertMessages(validate(twoHandlers), "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type");
        Pod success = base().editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket().withSuccessThreshold(2).endLivenessProbe()
                .withNewStartupProbe().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket().withSuccessThreshold(3).endStartupProbe()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(80)).endTcpSocket().withSuccessThreshold(2).endReadinessProbe()
                .endContainer().endSpec().build();
        assertMessages(validate(success), "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1");
        Pod bounds = base().editSpec().editFirstContainer().withNewReadinessProbe().withNewExec().endExec()
                .withInitialDelaySeconds(-1).withPeriodSeconds(-2).withTerminationGracePeriodSeconds(5L).endReadinessProbe()
                .endContainer().endSpec().build();
        assertMessages(validate(bounds), "spec.containers[0].readinessProbe.exec.command: Required value",
                "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -2: must be greater than or equal to 0",
                "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes");
        Pod ports = base().editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(70000)).endTcpSocket().endLivenessProbe()
                .withNewReadinessProbe().withNewHttpGet().withPort(new IntOrString("HTTP")).endHttpGet().endReadinessProbe()
                .withNewStartupProbe().withNewGrpc().withPort(0).endGrpc().endStartupProbe()
                .endContainer().endSpec().build();
        assertMessages(validate(ports),
                "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"HTTP\": must contain only alpha-numeric "
                        + "characters (a-z, 0-9), and hyphens (-)",
                "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
                "spec.containers[0].startupProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive");
        Pod ok = base().editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewHttpGet().withPort(new IntOrString("http")).endHttpGet().endLivenessProbe()
                .withNewReadinessProbe().withNewGrpc().withPort(9000).endGrpc().withSuccessThreshold(3).endReadinessProbe()
                .endContainer().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void lifecycleHandlers() {
        Pod none = base().editSpec().editFirstContainer().withNewLifecycle().withNewPreStop().endPreStop().endLifecycle()
                .endContainer().endSpec().build();
        assertMessages(validate(none), "spec.containers[0].lifecycle.preStop: Required value: must specify a handler type");
        Pod two = base().editSpec().editFirstContainer().withNewLifecycle().withNewPostStart().withNewExec().withCommand("a")
                .endExec().withNewSleep().withSeconds(1L).endSleep().endPostStart().endLifecycle().endContainer().endSpec().build();
        assertMessages(validate(two), "spec.containers[0].lifecycle.postStart.sleep: Forbidden: may not specify more than 1 handler type");
        Pod zeroSleep = base().editSpec().editFirstContainer().withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(0L)
                .endSleep().endPreStop().endLifecycle().endContainer().endSpec().build();
        assertMessages(validate(zeroSleep), "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 "
                + "and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.");
        assertNone(PodValidation.validateCreate(zeroSleep, PodValidationOptions.defaults().withPodLifecycleSleepActionZeroValue(true)));
        Pod ok = base().editSpec().editFirstContainer().withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(5L)
                .endSleep().endPreStop().withNewPostStart().withNewHttpGet().withPort(new IntOrString(80)).endHttpGet().endPostStart()
                .endLifecycle().endContainer().endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void initContainersAndSidecars() {
        Pod probes = base().editSpec().addNewInitContainer().withName("init").withImage("busybox")
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("x").endExec().endPreStop().endLifecycle()
                .withNewLivenessProbe().withNewExec().withCommand("x").endExec().endLivenessProbe()
                .withNewReadinessProbe().withNewExec().withCommand("x").endExec().endReadinessProbe()
                .withNewStartupProbe().withNewExec().withCommand("x").endExec().endStartupProbe()
                .endInitContainer().endSpec().build();
        String msg = "Forbidden: may not be set for init containers without restartPolicy=Always";
        assertMessages(validate(probes), "spec.initContainers[0].lifecycle: " + msg, "spec.initContainers[0].livenessProbe: " + msg,
                "spec.initContainers[0].readinessProbe: " + msg, "spec.initContainers[0].startupProbe: " + msg);
        Pod sidecar = base().editSpec().addNewInitContainer().withName("init").withImage("busybox").withRestartPolicy("Always")
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("x").endExec().endPreStop().endLifecycle()
                .withNewLivenessProbe().withNewExec().withCommand("x").endExec().endLivenessProbe()
                .withNewStartupProbe().withNewExec().withCommand("x").endExec().endStartupProbe()
                .endInitContainer().endSpec().build();
        assertNone(validate(sidecar));
        Pod badSidecarProbe = base().editSpec().addNewInitContainer().withName("init").withImage("busybox").withRestartPolicy("Always")
                .withNewLivenessProbe().withNewExec().withCommand("x").endExec().withSuccessThreshold(2).endLivenessProbe()
                .endInitContainer().endSpec().build();
        assertMessages(validate(badSidecarProbe), "spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
        Pod onFailure = base().editSpec().addNewInitContainer().withName("init").withImage("busybox").withRestartPolicy("OnFailure")
                .endInitContainer().endSpec().build();
        assertMessages(validate(onFailure), "spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
        Pod regular = base().editSpec().editFirstContainer().withRestartPolicy("Always").endContainer().endSpec().build();
        assertMessages(validate(regular), "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers");
        Pod resize = base().editSpec().addNewInitContainer().withName("init").withImage("busybox").addNewResizePolicy()
                .withResourceName("cpu").withRestartPolicy("NotRequired").endResizePolicy().endInitContainer().endSpec().build();
        assertMessages(validate(resize), "spec.initContainers[0].resizePolicy: Invalid value: []core.ContainerResizePolicy{"
                + "core.ContainerResizePolicy{ResourceName:\"cpu\", RestartPolicy:\"NotRequired\"}}: must not be set for init containers");
    }

    @Test
    void gracePeriodAndDeadline() {
        Pod nil = base().build();
        PodDefaults.apply(nil);
        nil.getSpec().setTerminationGracePeriodSeconds(null);
        assertMessages(PodValidation.validateCreate(nil), "spec.terminationGracePeriodSeconds: Required value");
        Pod negative = base().editSpec().withTerminationGracePeriodSeconds(-1L).endSpec().build();
        assertNone(validate(negative)); // upstream only warns
        assertEquals(List.of("spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"),
                PodValidation.warnings(negative));
        Pod deadline = base().editSpec().withActiveDeadlineSeconds(0L).endSpec().build();
        assertMessages(validate(deadline), "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive");
        Pod deadlineOk = base().editSpec().withActiveDeadlineSeconds(1L).endSpec().build();
        assertNone(validate(deadlineOk));
    }

    @Test
    void nodeSelectorAndAffinity() {
        Pod selector = base().editSpec().withNodeSelector(Map.of("disk", "ssd!")).endSpec().build();
        List<FieldError> errs = validate(selector);
        assertEquals(1, errs.size());
        assertTrue(errs.get(0).message().startsWith("spec.nodeSelector: Invalid value: \"ssd!\": a valid label must be"));
        Pod noTerms = base().editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        assertMessages(validate(noTerms), "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: "
                + "Required value: must have at least one node selector term");
        Pod badOp = base().editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("Foo").endMatchExpression()
                .addNewMatchExpression().withKey("zone").withOperator("In").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        String term = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
        assertMessages(validate(badOp), term + ".matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator",
                term + ".matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
        Pod weight = base().editSpec().withNewAffinity().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(0).withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname").endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec().build();
        assertMessages(validate(weight), "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: "
                + "Invalid value: 0: must be in the range 1-100");
        Pod topo = base().editSpec().withNewAffinity().withNewPodAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity().endAffinity().endSpec().build();
        errs = validate(topo);
        assertEquals("spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
                errs.get(0).message());
        Pod ok = base().editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().addNewMatchExpression().withKey("app").withOperator("Exists").endMatchExpression().endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity()
                .withNodeSelector(Map.of("kubernetes.io/os", "linux")).endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void tolerations() {
        Pod pod = base().editSpec().withTolerations(
                new TolerationBuilder().withKey("k").withOperator("Exists").withValue("v").build(),
                new TolerationBuilder().withOperator("Equal").withValue("v").build(),
                new TolerationBuilder().withKey("k").withOperator("Exists").withEffect("NoSchedule").withTolerationSeconds(10L).build(),
                new TolerationBuilder().withKey("k").withOperator("Exists").withEffect("Bogus").build(),
                new TolerationBuilder().withKey("k").withOperator("In").build()).endSpec().build();
        assertMessages(validate(pod),
                "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
                "spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means "
                        + "\"match all values and all keys\"",
                "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                "spec.tolerations[3].effect: Unsupported value: \"Bogus\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "spec.tolerations[4].operator: Unsupported value: \"In\": supported values: \"Equal\", \"Exists\"");
        Pod ok = base().editSpec().withTolerations(
                new TolerationBuilder().withOperator("Exists").build(),
                new TolerationBuilder().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute")
                        .withTolerationSeconds(300L).build(),
                new TolerationBuilder().withKey("dedicated").withValue("gpu").withEffect("NoSchedule").build()).endSpec().build();
        assertNone(validate(ok));
    }

    @Test
    void hostnameSubdomainPriorityClassAndNames() {
        Pod pod = base().editSpec().withHostname("Host").withSubdomain("a.b").withPriorityClassName("High_Priority")
                .withServiceAccountName("sa!").endSpec().build();
        List<FieldError> errs = validate(pod);
        assertEquals(List.of("spec.serviceAccountName", "spec.hostname", "spec.subdomain", "spec.priorityClassName"),
                errs.stream().map(FieldError::field).toList());
        assertEquals("spec.subdomain: Invalid value: \"a.b\": must not contain dots", errs.get(2).message());
        Pod ok = base().editSpec().withHostname("host-1").withSubdomain("svc").withPriorityClassName("system-node-critical")
                .withServiceAccountName("default").endSpec().build();
        assertNone(validate(ok));
        Pod badName = base().editMetadata().withName("Bad_Name").endMetadata().build();
        assertEquals("metadata.name", validate(badName).get(0).field());
    }

    @Test
    void ephemeralContainersCannotBeCreated() {
        Pod pod = base().editSpec().addNewEphemeralContainer().withName("debug").withImage("busybox").endEphemeralContainer()
                .endSpec().build();
        assertMessages(validate(pod), "spec.ephemeralContainers: Forbidden: cannot be set on create");
    }

    @Test
    void securityContext() {
        Pod pod = base().editSpec().withHostPID(true).withShareProcessNamespace(true).withNewSecurityContext().withRunAsUser(-1L)
                .endSecurityContext().editFirstContainer().withNewSecurityContext().withRunAsGroup(-2L).withProcMount("Masked")
                .endSecurityContext().endContainer().endSpec().build();
        assertMessages(validate(pod),
                "spec.containers[0].securityContext.runAsGroup: Invalid value: -2: must be between 0 and 2147483647, inclusive",
                "spec.containers[0].securityContext.procMount: Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\"",
                "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
                "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled");
        Pod privileged = base().editSpec().editFirstContainer().withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .endContainer().endSpec().build();
        assertNone(validate(privileged));
        assertMessages(PodValidation.validateCreate(privileged, PodValidationOptions.defaults().withAllowPrivileged(false)),
                "spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy");
    }

    @Test
    void podDeletionCostAnnotation() {
        Pod pod = base().editMetadata().addToAnnotations("controller.kubernetes.io/pod-deletion-cost", "+10").endMetadata().build();
        assertMessages(validate(pod), "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+10\": "
                + "must be a 32bit integer");
        Pod ok = base().editMetadata().addToAnnotations("controller.kubernetes.io/pod-deletion-cost", "-10").endMetadata().build();
        assertNone(validate(ok));
    }
}
