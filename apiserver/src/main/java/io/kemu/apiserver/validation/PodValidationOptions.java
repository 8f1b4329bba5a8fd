package io.kemu.apiserver.validation;

/**
 * The subset of upstream's {@code PodValidationOptions} (and of the feature gates and flags behind them) that this
 * port honours. {@link #defaults()} gives kube-apiserver 1.32's defaults.
 *
 * @param allowRelaxedEnvironmentVariableValidation RelaxedEnvironmentVariableValidation (beta, on in 1.32)
 * @param allowRelaxedDNSSearchValidation           RelaxedDNSSearchValidation (alpha, off in 1.32)
 * @param allowPodLifecycleSleepActionZeroValue     PodLifecycleSleepActionAllowZero (alpha, off in 1.32)
 * @param allowInvalidPodDeletionCost               only true when the old object already had an invalid value
 * @param allowInvalidLabelValueInSelector          only true when the old object already had an invalid value
 * @param allowPrivileged                           kube-apiserver {@code --allow-privileged} (every common installer
 *                                                  sets it; the flag's own default is false)
 * @param resourceIsPod                             the spec belongs to a Pod (not a template)
 */
public record PodValidationOptions(
        boolean allowRelaxedEnvironmentVariableValidation,
        boolean allowRelaxedDNSSearchValidation,
        boolean allowPodLifecycleSleepActionZeroValue,
        boolean allowInvalidPodDeletionCost,
        boolean allowInvalidLabelValueInSelector,
        boolean allowPrivileged,
        boolean resourceIsPod) {

    /** kube-apiserver 1.32 defaults for a Pod. */
    public static PodValidationOptions defaults() {
        return new PodValidationOptions(true, false, false, false, false, true, true);
    }

    public PodValidationOptions withRelaxedEnvironmentVariableValidation(boolean v) {
        return new PodValidationOptions(v, allowRelaxedDNSSearchValidation, allowPodLifecycleSleepActionZeroValue,
                allowInvalidPodDeletionCost, allowInvalidLabelValueInSelector, allowPrivileged, resourceIsPod);
    }

    public PodValidationOptions withPodLifecycleSleepActionZeroValue(boolean v) {
        return new PodValidationOptions(allowRelaxedEnvironmentVariableValidation, allowRelaxedDNSSearchValidation, v,
                allowInvalidPodDeletionCost, allowInvalidLabelValueInSelector, allowPrivileged, resourceIsPod);
    }

    public PodValidationOptions withAllowPrivileged(boolean v) {
        return new PodValidationOptions(allowRelaxedEnvironmentVariableValidation, allowRelaxedDNSSearchValidation,
                allowPodLifecycleSleepActionZeroValue, allowInvalidPodDeletionCost, allowInvalidLabelValueInSelector, v,
                resourceIsPod);
    }
}
