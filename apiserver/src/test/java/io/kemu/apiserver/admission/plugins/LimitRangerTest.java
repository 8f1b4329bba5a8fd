package io.kemu.apiserver.admission.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.Stages;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Mirrors plugin/pkg/admission/limitranger/admission_test.go (the pod cases; kemu serves no PVCs). */
class LimitRangerTest {
  static final UserInfo USER = new UserInfo("u", "", List.of());

  /** getResourceList */
  static Map<String, Quantity> res(String cpu, String memory) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    if (!cpu.isEmpty()) {
      m.put("cpu", new Quantity(cpu));
    }
    if (!memory.isEmpty()) {
      m.put("memory", new Quantity(memory));
    }
    return m;
  }

  static ResourceRequirements reqs(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    ResourceRequirements r = new ResourceRequirements();
    r.setRequests(requests);
    r.setLimits(limits);
    return r;
  }

  /** createLimitRange */
  static LimitRange limitRange(String type, Map<String, Quantity> min, Map<String, Quantity> max,
                               Map<String, Quantity> defaultLimit, Map<String, Quantity> defaultRequest,
                               Map<String, Quantity> ratio) {
    return new LimitRangeBuilder().withNewMetadata().withName("abc").withNamespace("test").endMetadata()
        .withNewSpec().withLimits(new LimitRangeItemBuilder().withType(type).withMin(min).withMax(max)
            .withDefault(defaultLimit).withDefaultRequest(defaultRequest).withMaxLimitRequestRatio(ratio).build())
        .endSpec().build();
  }

  /** validPod */
  static Pod validPod(String name, int containers, ResourceRequirements resources) {
    List<Container> cs = new ArrayList<>();
    for (int i = 0; i < containers; i++) {
      cs.add(new ContainerBuilder().withName("foo-" + i).withImage("foo:V" + i)
          .withResources(io.kemu.api.KubeJson.copy(resources)).build());
    }
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("test").endMetadata()
        .withNewSpec().withContainers(cs).endSpec().build();
  }

  static Map<String, Quantity> none() {
    return res("", "");
  }

  @Test
  void defaultsFillUnsetRequestsAndLimitsAndAnnotateThePod() {
    LimitRange lr = limitRange("Container", none(), none(), res("50m", "5Mi"), res("25m", "1Mi"), none());
    Pod pod = validPod("empty-resources", 1, reqs(none(), none()));
    LimitRanger.podMutateLimitFunc(lr, pod);
    var r = pod.getSpec().getContainers().get(0).getResources();
    assertEquals(res("25m", "1Mi"), r.getRequests());
    assertEquals(res("50m", "5Mi"), r.getLimits());
    assertEquals("LimitRanger plugin set: cpu, memory request for container foo-0; cpu, memory limit for container "
        + "foo-0", pod.getMetadata().getAnnotations().get("kubernetes.io/limit-ranger"));
  }

  @Test
  void defaultsKeepWhatThePodSets() {
    LimitRange lr = limitRange("Container", none(), none(), res("50m", "5Mi"), res("25m", "1Mi"), none());
    Pod pod = validPod("limit-memory", 1, reqs(none(), res("", "10Mi")));
    pod.getSpec().setInitContainers(List.of(new ContainerBuilder().withName("init").withImage("i")
        .withResources(reqs(res("10m", "1Mi"), res("10m", "1Mi"))).build()));
    LimitRanger.podMutateLimitFunc(lr, pod);
    var r = pod.getSpec().getContainers().get(0).getResources();
    assertEquals(res("50m", "10Mi"), r.getLimits());
    assertEquals(res("25m", "1Mi"), r.getRequests());
    assertEquals("LimitRanger plugin set: cpu, memory request for container foo-0; cpu limit for container foo-0",
        pod.getMetadata().getAnnotations().get("kubernetes.io/limit-ranger"));
  }

  @Test
  void podLimitFuncSuccessCases() {
    List<Object[]> ok = List.of(
        new Object[] {limitRange("Container", res("100m", ""), none(), none(), none(), none()),
            validPod("ctr-min-cpu-request", 1, reqs(res("100m", ""), none()))},
        new Object[] {limitRange("Container", res("100m", ""), none(), none(), none(), none()),
            validPod("ctr-min-cpu-request-limit", 1, reqs(res("100m", ""), res("200m", "")))},
        new Object[] {limitRange("Container", res("", "60Mi"), none(), none(), none(), none()),
            validPod("ctr-min-memory-request", 1, reqs(res("", "60Mi"), none()))},
        new Object[] {limitRange("Container", none(), res("500m", ""), none(), none(), none()),
            validPod("ctr-max-cpu-limit", 1, reqs(res("400m", ""), res("500m", "")))},
        new Object[] {limitRange("Pod", none(), res("500m", ""), none(), none(), none()),
            validPod("pod-max-cpu-request-limit", 2, reqs(res("100m", ""), res("250m", "")))},
        new Object[] {limitRange("Pod", res("500m", ""), none(), none(), none(), none()),
            validPod("pod-min-cpu-request-limit", 2, reqs(res("250m", ""), res("500m", "")))},
        new Object[] {limitRange("Container", none(), none(), none(), none(), res("10", "")),
            validPod("ctr-limit-request-ratio", 1, reqs(res("100m", ""), res("1", "")))},
        new Object[] {limitRange("Pod", none(), none(), none(), none(), res("", "1.5")),
            validPod("pod-limit-request-ratio-memory", 2, reqs(res("", "100Mi"), res("", "150Mi")))});
    for (Object[] c : ok) {
      assertNull(LimitRanger.podValidateLimitFunc((LimitRange) c[0], (Pod) c[1]), ((Pod) c[1]).getMetadata().getName());
    }
  }

  @Test
  void podLimitFuncErrorCases() {
    assertEquals("minimum cpu usage per Container is 50m, but request is 40m", LimitRanger.podValidateLimitFunc(
        limitRange("Container", res("50m", ""), none(), none(), none(), none()),
        validPod("ctr-min-cpu-request", 1, reqs(res("40m", ""), none()))));
    assertEquals("minimum memory usage per Container is 60Mi.  No request is specified",
        LimitRanger.podValidateLimitFunc(limitRange("Container", res("", "60Mi"), none(), none(), none(), none()),
            validPod("ctr-min-memory-no-request", 1, reqs(none(), none()))));
    assertEquals("maximum cpu usage per Container is 500m, but limit is 1", LimitRanger.podValidateLimitFunc(
        limitRange("Container", none(), res("500m", ""), none(), none(), none()),
        validPod("ctr-max-cpu-limit", 1, reqs(res("400m", ""), res("1", "")))));
    assertEquals("maximum cpu usage per Container is 500m.  No limit is specified", LimitRanger.podValidateLimitFunc(
        limitRange("Container", none(), res("500m", ""), none(), none(), none()),
        validPod("ctr-max-cpu-no-limit", 1, reqs(res("400m", ""), none()))));
    assertEquals("maximum memory usage per Pod is 1Gi, but limit is 1536Mi", LimitRanger.podValidateLimitFunc(
        limitRange("Pod", none(), res("", "1Gi"), none(), none(), none()),
        validPod("pod-max-memory-limit", 2, reqs(res("", "512Mi"), res("", "768Mi")))));
    assertEquals("cpu max limit to request ratio per Container is 5, but provided ratio is 10.000000",
        LimitRanger.podValidateLimitFunc(limitRange("Container", none(), none(), none(), none(), res("5", "")),
            validPod("ctr-ratio", 1, reqs(res("100m", ""), res("1", "")))));
    assertEquals("memory max limit to request ratio per Pod is 1500m, but provided ratio is 2.000000",
        LimitRanger.podValidateLimitFunc(limitRange("Pod", none(), none(), none(), none(), res("", "1.5")),
            validPod("pod-ratio", 2, reqs(res("", "100Mi"), res("", "200Mi")))));
    assertEquals("cpu max limit to request ratio per Container is 5, but no request is specified or request is 0",
        LimitRanger.podValidateLimitFunc(limitRange("Container", none(), none(), none(), none(), res("5", "")),
            validPod("ctr-ratio-no-request", 1, reqs(none(), res("1", "")))));
    // utilerrors.NewAggregate drops repeated messages
    assertEquals("minimum cpu usage per Container is 50m, but request is 40m", LimitRanger.podValidateLimitFunc(
        limitRange("Container", res("50m", ""), none(), none(), none(), none()),
        validPod("two", 2, reqs(res("40m", ""), none()))));
    assertEquals("[minimum cpu usage per Container is 50m, but request is 40m, minimum memory usage per Container "
        + "is 10Mi, but request is 1Mi]", LimitRanger.podValidateLimitFunc(
        limitRange("Container", res("50m", "10Mi"), none(), none(), none(), none()),
        validPod("both", 1, reqs(res("40m", "1Mi"), none()))));
  }

  static Clock at(long second) {
    return Clock.fixed(Instant.ofEpochSecond(second), ZoneOffset.UTC);
  }

  AdmissionAttributes create(Pod pod) {
    return new AdmissionAttributes(Operation.CREATE, Resources.PODS, "", "test", pod.getMetadata().getName(), pod,
        null, USER, false);
  }

  @Test
  void admissionMutatesThenValidatesWithTheUpstreamMessage() {
    LimitRange lr = limitRange("Container", res("50m", ""), res("1", ""), res("500m", ""), res("100m", ""), none());
    LimitRanger plugin = new LimitRanger(ns -> List.of(lr), ns -> CompletableFuture.completedFuture(List.of()),
        at(0));
    Pod pod = validPod("p", 1, reqs(none(), none()));
    AdmissionAttributes a = create(pod);
    Stages.join(plugin.admit(a));
    Stages.join(plugin.validate(a));
    assertEquals(res("100m", ""), pod.getSpec().getContainers().get(0).getResources().getRequests());
    Pod big = validPod("big", 1, reqs(res("2", ""), res("2", "")));
    ApiException e = assertThrows(ApiException.class, () -> {
      AdmissionAttributes b = create(big);
      Stages.join(plugin.admit(b));
      Stages.join(plugin.validate(b));
    });
    assertEquals(403, e.code());
    assertEquals("pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2", e.getMessage());
  }

  @Test
  void subresourcesUpdatesAndOtherKindsAreIgnored() {
    LimitRange lr = limitRange("Container", res("50m", ""), none(), none(), none(), none());
    LimitRanger plugin = new LimitRanger(ns -> List.of(lr), ns -> CompletableFuture.completedFuture(List.of()),
        at(0));
    Pod pod = validPod("p", 1, reqs(none(), none()));
    Stages.join(plugin.validate(new AdmissionAttributes(Operation.CREATE, Resources.PODS, "status", "test", "p", pod, null, USER,
        false)));
    Stages.join(plugin.validate(new AdmissionAttributes(Operation.UPDATE, Resources.PODS, "", "test", "p", pod, pod, USER,
        false)));
  }

  @Test
  void anEmptyCacheIsLookedUpLiveAndRememberedForThirtySeconds() {
    LimitRange lr = limitRange("Container", none(), none(), res("500m", ""), none(), none());
    AtomicInteger lookups = new AtomicInteger();
    long[] now = {0};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(now[0]);
      }
    };
    LimitRanger plugin = new LimitRanger(ns -> List.of(), ns -> {
      lookups.incrementAndGet();
      return CompletableFuture.completedFuture(List.of(lr));
    }, clock);
    Pod p1 = validPod("p1", 1, reqs(none(), none()));
    Stages.join(plugin.admit(create(p1)));
    assertEquals(res("500m", ""), p1.getSpec().getContainers().get(0).getResources().getLimits());
    now[0] = 20;
    Stages.join(plugin.admit(create(validPod("p2", 1, reqs(none(), none())))));
    assertEquals(1, lookups.get());
    now[0] = 31;
    Stages.join(plugin.admit(create(validPod("p3", 1, reqs(none(), none())))));
    assertEquals(2, lookups.get());
  }
}
