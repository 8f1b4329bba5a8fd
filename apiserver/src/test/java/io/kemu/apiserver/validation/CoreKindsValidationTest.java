package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestValidateEndpoints*, TestValidateConfigMap*, TestValidateSecret*, TestValidateLimitRange, TestValidateResourceQuota. */
class CoreKindsValidationTest {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static EndpointsBuilder endpoints() {
        return new EndpointsBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata();
    }

    @Test
    void endpointsRules() {
        Endpoints ok = endpoints().withSubsets(new EndpointSubsetBuilder()
                .withAddresses(new EndpointAddressBuilder().withIp("10.1.2.3").build())
                .withPorts(new EndpointPortBuilder().withPort(80).withProtocol("TCP").build()).build()).build();
        assertNone(EndpointsValidation.validateCreate(ok));
        Endpoints empty = endpoints().withSubsets(new EndpointSubsetBuilder().build()).build();
        assertMessages(EndpointsValidation.validateCreate(empty),
                "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`");
        Endpoints bad = endpoints().withSubsets(new EndpointSubsetBuilder()
                .withAddresses(new EndpointAddressBuilder().withIp("169.254.1.1").build())
                .withPorts(new EndpointPortBuilder().withPort(80).withProtocol("TCP").build(),
                        new EndpointPortBuilder().withName("b").withPort(81).withProtocol("TCP").build()).build()).build();
        assertMessages(EndpointsValidation.validateCreate(bad),
                "subsets[0].addresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
                "subsets[0].ports[0].name: Required value");
        Endpoints noIp = endpoints().withSubsets(new EndpointSubsetBuilder()
                .withAddresses(new EndpointAddressBuilder().withIp("x").build()).build()).build();
        assertMessages(EndpointsValidation.validateCreate(noIp),
                "subsets[0].addresses[0].ip: Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "subsets[0].addresses[0].ip: Invalid value: \"x\": must be a valid IP address");
    }

    static ConfigMapBuilder cm() {
        return new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("default").withResourceVersion("1").endMetadata();
    }

    @Test
    void configMaps() {
        assertNone(ConfigMapValidation.validateCreate(cm().withData(Map.of("a.conf", "x")).build()));
        assertMessages(ConfigMapValidation.validateCreate(cm().withData(Map.of("a b", "x")).build()),
                "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                        + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        assertMessages(ConfigMapValidation.validateCreate(cm().withData(Map.of("k", "x")).withBinaryData(Map.of("k", b64("y"))).build()),
                "data[k]: Invalid value: \"k\": duplicate of key present in binaryData");
        assertMessages(ConfigMapValidation.validateCreate(cm().withData(Map.of("k", "x".repeat(1024 * 1024 + 1))).build()),
                "[]: Too long: may not be more than 1048576 bytes");
        ConfigMap old = cm().withImmutable(true).withData(Map.of("k", "x")).build();
        assertMessages(ConfigMapValidation.validateUpdate(cm().withImmutable(false).withData(Map.of("k", "y")).build(), old),
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set");
        assertNone(ConfigMapValidation.validateUpdate(cm().withImmutable(true).withData(Map.of("k", "x")).build(), old));
    }

    static SecretBuilder secret(String type) {
        return new SecretBuilder().withNewMetadata().withName("s").withNamespace("default").withResourceVersion("1").endMetadata().withType(type);
    }

    @Test
    void secretsPerType() {
        assertNone(SecretValidation.validateCreate(secret("Opaque").withData(Map.of("k", b64("v"))).build()));
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/service-account-token").build()),
                "metadata.annotations[kubernetes.io/service-account.name]: Required value");
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/dockerconfigjson").build()),
                "data[.dockerconfigjson]: Required value");
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/dockerconfigjson")
                        .withData(Map.of(".dockerconfigjson", b64("xyz"))).build()),
                "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'x' looking for beginning of value");
        assertNone(SecretValidation.validateCreate(secret("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", b64("{\"auths\":{}}"))).build()));
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/basic-auth").build()),
                "data[username]: Required value", "data[password]: Required value");
        assertNone(SecretValidation.validateCreate(secret("kubernetes.io/basic-auth").withStringData(Map.of("password", "")).build()));
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/ssh-auth").build()), "data[ssh-privatekey]: Required value");
        assertMessages(SecretValidation.validateCreate(secret("kubernetes.io/tls").withData(Map.of("tls.crt", b64("c"))).build()),
                "data[tls.key]: Required value");
    }

    @Test
    void secretUpdates() {
        Secret old = secret("Opaque").withImmutable(true).withData(Map.of("k", b64("v"))).build();
        assertMessages(SecretValidation.validateUpdate(secret("kubernetes.io/tls").withImmutable(true).withData(Map.of("k", b64("v"),
                        "tls.crt", b64("c"), "tls.key", b64("k"))).build(), old),
                "type: Invalid value: \"kubernetes.io/tls\": field is immutable",
                "data: Forbidden: field is immutable when `immutable` is set");
        assertNone(SecretValidation.validateUpdate(secret("Opaque").withImmutable(true).withData(Map.of("k", b64("v"))).build(), old));
    }

    @Test
    void serviceAccounts() {
        assertNone(ServiceAccountValidation.validateCreate(new ServiceAccountBuilder().withNewMetadata().withName("builder")
                .withNamespace("default").endMetadata().build()));
        assertMessages(ServiceAccountValidation.validateCreate(new ServiceAccountBuilder().withNewMetadata().withName("Builder")
                        .withNamespace("default").endMetadata().build()),
                "metadata.name: Invalid value: \"Builder\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                        + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    static LimitRange lr(io.fabric8.kubernetes.api.model.LimitRangeItem... items) {
        return new LimitRangeBuilder().withNewMetadata().withName("lr").withNamespace("default").endMetadata()
                .withNewSpec().withLimits(items).endSpec().build();
    }

    @Test
    void limitRanges() {
        assertNone(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Container")
                .withMin(Map.of("cpu", new Quantity("100m"))).withMax(Map.of("cpu", new Quantity("1"))).build())));
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Container")
                        .withMin(Map.of("cpu", new Quantity("2"))).withMax(Map.of("cpu", new Quantity("1"))).build())),
                "spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1");
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Pod")
                        .withDefault(Map.of("cpu", new Quantity("1"))).build())),
                "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'");
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("PersistentVolumeClaim").build())),
                "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided");
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Container")
                        .withMaxLimitRequestRatio(Map.of("cpu", new Quantity("500m"))).build())),
                "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: 500m: ratio 500m is less than 1");
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Container").build(),
                        new LimitRangeItemBuilder().withType("Container").build())),
                "spec.limits[1].type: Duplicate value: \"Container\"");
        assertMessages(LimitRangeValidation.validateCreate(lr(new LimitRangeItemBuilder().withType("Foo").build())),
                "spec.limits[0].type: Invalid value: \"Foo\": must be a standard limit type or fully qualified");
    }

    static ResourceQuotaBuilder rq() {
        return new ResourceQuotaBuilder().withNewMetadata().withName("q").withNamespace("default").withResourceVersion("1").endMetadata();
    }

    @Test
    void resourceQuotas() {
        assertNone(ResourceQuotaValidation.validateCreate(rq().withNewSpec().withHard(Map.of("pods", new Quantity("10"),
                "count/deployments.apps", new Quantity("5"))).endSpec().build()));
        assertMessages(ResourceQuotaValidation.validateCreate(rq().withNewSpec().withHard(Map.of("foo", new Quantity("1"))).endSpec().build()),
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource for quota");
        assertMessages(ResourceQuotaValidation.validateCreate(rq().withNewSpec().withHard(Map.of("pods", new Quantity("-1"))).endSpec().build()),
                "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0");
        assertMessages(ResourceQuotaValidation.validateCreate(rq().withNewSpec().withHard(Map.of("pods", new Quantity("1")))
                        .withScopes("BestEffort", "NotBestEffort").endSpec().build()),
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes");
        assertMessages(ResourceQuotaValidation.validateCreate(rq().withNewSpec().withHard(Map.of("cpu", new Quantity("1")))
                        .withScopes("BestEffort").endSpec().build()),
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\"}: unsupported scope applied to resource");
        ResourceQuota old = rq().withNewSpec().withScopes("Terminating").endSpec().build();
        assertMessages(ResourceQuotaValidation.validateUpdate(rq().withNewSpec().withScopes("NotTerminating").endSpec().build(), old),
                "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"NotTerminating\"}: field is immutable");
        ResourceQuota noRv = rq().editMetadata().withResourceVersion(null).endMetadata().withNewStatus()
                .withUsed(Map.of("pods", new Quantity("1.5"))).endStatus().build();
        assertMessages(ResourceQuotaValidation.validateStatusUpdate(noRv, old),
                "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
                "resourceVersion: Required value",
                "status.used[pods]: Invalid value: 1500m: must be an integer");
    }
}
