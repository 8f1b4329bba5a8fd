package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * plugin/pkg/admission/priority (admitPod): on creation a pod's priority and preemptionPolicy come from its
 * PriorityClass, or from the global default class when it names none (priority 0 and PreemptLowerPriority when
 * there is no default); a class that does not exist is Forbidden, and so is a number or a policy in the spec that
 * differs from the class's. On update the priority set at creation is kept. The two system classes are answered
 * even when their objects are absent from the store.
 */
public final class Priority implements AdmissionPlugin {
  public static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
      "system-node-critical", 2_000_001_000,
      "system-cluster-critical", 2_000_000_000);
  static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";

  private final Function<String, CompletionStage<PriorityClass>> lookup;
  private final Supplier<Collection<PriorityClass>> all;

  /**
   * @param lookup a PriorityClass by name (null when there is none)
   * @param all    every PriorityClass (for the global default)
   */
  public Priority(Function<String, CompletionStage<PriorityClass>> lookup, Supplier<Collection<PriorityClass>> all) {
    this.lookup = lookup;
    this.all = all;
  }

  /** Only the system classes (tests, and a server without a PriorityClass registry). */
  public Priority() {
    this(name -> CompletableFuture.completedFuture(null), List::of);
  }

  @Override
  public String name() {
    return "Priority";
  }

  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (a.type() != Resources.PODS || !a.isMainResource() || !(a.object() instanceof Pod pod)
        || pod.getSpec() == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (a.operation() == Operation.UPDATE) {
      // the priority was set on create; keep it (validation rejects any other change)
      if (a.oldObject() instanceof Pod old && old.getSpec() != null) {
        if (pod.getSpec().getPriority() == null && old.getSpec().getPriority() != null) {
          pod.getSpec().setPriority(old.getSpec().getPriority());
        }
        if (pod.getSpec().getPreemptionPolicy() == null && old.getSpec().getPreemptionPolicy() != null) {
          pod.getSpec().setPreemptionPolicy(old.getSpec().getPreemptionPolicy());
        }
      }
      return CompletableFuture.completedFuture(null);
    }
    if (a.operation() != Operation.CREATE) {
      return CompletableFuture.completedFuture(null);
    }
    String className = pod.getSpec().getPriorityClassName();
    if (className == null || className.isEmpty()) {
      // getDefaultPriority: the global default class of the highest value
      PriorityClass def = null;
      for (PriorityClass pc : all.get()) {
        if (Boolean.TRUE.equals(pc.getGlobalDefault()) && (def == null || value(pc) > value(def))) {
          def = pc;
        }
      }
      if (def == null) {
        apply(a, pod, 0, PREEMPT_LOWER_PRIORITY);
      } else {
        pod.getSpec().setPriorityClassName(def.getMetadata().getName());
        apply(a, pod, value(def), policy(def));
      }
      return CompletableFuture.completedFuture(null);
    }
    return lookup.apply(className).thenAccept(pc -> {
      if (pc != null) {
        apply(a, pod, value(pc), policy(pc));
      } else if (SYSTEM_CLASSES.containsKey(className)) {
        apply(a, pod, SYSTEM_CLASSES.get(className), PREEMPT_LOWER_PRIORITY);
      } else {
        throw a.forbidden("no PriorityClass with name " + className + " was found");
      }
    });
  }

  private static void apply(AdmissionAttributes a, Pod pod, int priority, String policy) {
    if (pod.getSpec().getPriority() != null && !Objects.equals(pod.getSpec().getPriority(), priority)) {
      throw a.forbidden("the integer value of priority (" + pod.getSpec().getPriority() + ") must not be provided "
          + "in pod spec; priority admission controller computed " + priority + " from the given PriorityClass name");
    }
    pod.getSpec().setPriority(priority);
    if (pod.getSpec().getPreemptionPolicy() != null && !pod.getSpec().getPreemptionPolicy().equals(policy)) {
      throw a.forbidden("the string value of PreemptionPolicy (" + pod.getSpec().getPreemptionPolicy() + ") must "
          + "not be provided in pod spec; priority admission controller computed " + policy
          + " from the given PriorityClass name");
    }
    pod.getSpec().setPreemptionPolicy(policy);
  }

  private static int value(PriorityClass pc) {
    return pc.getValue() == null ? 0 : pc.getValue();
  }

  /** The class's policy; the registry defaults it to PreemptLowerPriority. */
  private static String policy(PriorityClass pc) {
    return pc.getPreemptionPolicy() == null || pc.getPreemptionPolicy().isEmpty() ? PREEMPT_LOWER_PRIORITY
        : pc.getPreemptionPolicy();
  }
}
