package io.kemu.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindRegistryTest {

    private final KindRegistry registry = new KindRegistry();

    /** Every built-in group version with a protobuf form, one kind each, and the message it must find. */
    @ParameterizedTest
    @CsvSource({
        "v1, Pod, k8s.io.api.core.v1.Pod",
        "v1, Namespace, k8s.io.api.core.v1.Namespace",
        "apps/v1, Deployment, k8s.io.api.apps.v1.Deployment",
        "apps/v1beta2, StatefulSet, k8s.io.api.apps.v1beta2.StatefulSet",
        "batch/v1, Job, k8s.io.api.batch.v1.Job",
        "batch/v1beta1, CronJob, k8s.io.api.batch.v1beta1.CronJob",
        "autoscaling/v1, Scale, k8s.io.api.autoscaling.v1.Scale",
        "autoscaling/v2, HorizontalPodAutoscaler, k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler",
        "policy/v1, Eviction, k8s.io.api.policy.v1.Eviction",
        "extensions/v1beta1, Ingress, k8s.io.api.extensions.v1beta1.Ingress",
        "rbac.authorization.k8s.io/v1, ClusterRole, k8s.io.api.rbac.v1.ClusterRole",
        "authorization.k8s.io/v1, SelfSubjectAccessReview, k8s.io.api.authorization.v1.SelfSubjectAccessReview",
        "authentication.k8s.io/v1, TokenRequest, k8s.io.api.authentication.v1.TokenRequest",
        "coordination.k8s.io/v1, Lease, k8s.io.api.coordination.v1.Lease",
        "events.k8s.io/v1, Event, k8s.io.api.events.v1.Event",
        "discovery.k8s.io/v1, EndpointSlice, k8s.io.api.discovery.v1.EndpointSlice",
        "networking.k8s.io/v1, NetworkPolicy, k8s.io.api.networking.v1.NetworkPolicy",
        "storage.k8s.io/v1, StorageClass, k8s.io.api.storage.v1.StorageClass",
        "scheduling.k8s.io/v1, PriorityClass, k8s.io.api.scheduling.v1.PriorityClass",
        "node.k8s.io/v1, RuntimeClass, k8s.io.api.node.v1.RuntimeClass",
        "certificates.k8s.io/v1, CertificateSigningRequest, k8s.io.api.certificates.v1.CertificateSigningRequest",
        "admissionregistration.k8s.io/v1, MutatingWebhookConfiguration, k8s.io.api.admissionregistration.v1.MutatingWebhookConfiguration",
        "admission.k8s.io/v1, AdmissionReview, k8s.io.api.admission.v1.AdmissionReview",
        "flowcontrol.apiserver.k8s.io/v1, FlowSchema, k8s.io.api.flowcontrol.v1.FlowSchema",
        "internal.apiserver.k8s.io/v1alpha1, StorageVersion, k8s.io.api.apiserverinternal.v1alpha1.StorageVersion",
        "resource.k8s.io/v1, ResourceClaim, k8s.io.api.resource.v1.ResourceClaim",
        "storagemigration.k8s.io/v1beta1, StorageVersionMigration, k8s.io.api.storagemigration.v1beta1.StorageVersionMigration",
        "imagepolicy.k8s.io/v1alpha1, ImageReview, k8s.io.api.imagepolicy.v1alpha1.ImageReview",
        "apidiscovery.k8s.io/v2, APIGroupDiscoveryList, k8s.io.api.apidiscovery.v2.APIGroupDiscoveryList",
        "apiextensions.k8s.io/v1, CustomResourceDefinition, k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
        "meta.k8s.io/v1, PartialObjectMetadata, k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata",
        "v1, DeleteOptions, k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        "apps/v1, DeleteOptions, k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        "batch/v1, CreateOptions, k8s.io.apimachinery.pkg.apis.meta.v1.CreateOptions",
        "v1, Status, k8s.io.apimachinery.pkg.apis.meta.v1.Status",
        "v1, WatchEvent, k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent",
    })
    void findsTheGeneratedMessage(String apiVersion, String kind, String fullName) {
        KindRegistry.MessageType type = registry.lookup(apiVersion, kind).orElseThrow(
                () -> new AssertionError("nothing found for " + apiVersion + " " + kind));
        assertEquals(fullName, type.descriptor().getFullName());
    }

    @ParameterizedTest
    @CsvSource({
        "apps.example.com/v1, Deployment",
        "example.com/v1, Widget",
        "k8s.io/v1, Pod",
        "v2, Pod",
        "apps/v1, Frobnicator",
        "apps/v1, deployment",
        "apps/V1, Deployment",
        "apps/v1/x, Deployment",
        "meta.k8s.io/v2, DeleteOptions",
        "../v1, Pod",
        "core/v1, Pod",
        "apps/v1, Deployment$Builder",
    })
    void findsNothingForOtherGroupsVersionsAndKinds(String apiVersion, String kind) {
        assertTrue(registry.lookup(apiVersion, kind).isEmpty(), apiVersion + " " + kind);
    }

    @Test
    void cachesWhatItFinds() {
        KindRegistry.MessageType first = registry.lookup("apps/v1", "Deployment").orElseThrow();
        assertSame(first, registry.lookup("apps/v1", "Deployment").orElseThrow());
    }
}
