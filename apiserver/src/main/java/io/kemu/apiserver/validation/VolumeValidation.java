package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pod volumes: {@code ValidateVolumes}, {@code validateVolumeSource} and the per-source validators of
 * core/validation/validation.go (including upstream's path quirks such as {@code downwarAPI} and
 * {@code persistentDisk}).
 */
public final class VolumeValidation {
    private VolumeValidation() {
    }

    static final String FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";
    static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
            "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
    static final Set<String> VOLUME_DOWNWARD_API_FIELDS = new TreeSet<>(List.of(
            "metadata.name", "metadata.namespace", "metadata.labels", "metadata.annotations", "metadata.uid"));
    static final Set<String> CONTAINER_RESOURCE_FIELDS = new TreeSet<>(List.of(
            "limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage"));

    /** Result of {@code ValidateVolumes}: the valid volumes by name and the errors. */
    public record Result(Map<String, Volume> volumes, List<FieldError> errors) {
    }

    /** {@code ValidateVolumes}: only volumes without errors are returned (mounts of invalid ones are NotFound). */
    public static Result validateVolumes(List<Volume> volumes, ObjectMeta podMeta, FieldPath path,
                                         PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> allNames = new HashSet<>();
        Set<String> createdPVCs = new HashSet<>();
        String podName = podMeta == null ? "" : str(podMeta.getName());
        if (!podName.isEmpty()) {
            for (Volume v : nonNull(volumes)) {
                if (v.getEphemeral() != null) {
                    createdPVCs.add(podName + "-" + str(v.getName()));
                }
            }
        }
        Map<String, Volume> vols = new LinkedHashMap<>();
        List<Volume> list = nonNull(volumes);
        for (int i = 0; i < list.size(); i++) {
            Volume vol = list.get(i);
            FieldPath idxPath = path.index(i);
            FieldPath namePath = idxPath.child("name");
            String name = str(vol.getName());
            List<FieldError> el = validateVolumeSource(vol, idxPath, name, podName, opts);
            if (name.isEmpty()) {
                el.add(FieldError.required(namePath, ""));
            } else {
                el.addAll(NameValidation.validateDNS1123Label(name, namePath));
            }
            if (allNames.contains(name)) {
                el.add(FieldError.duplicate(namePath, name));
            }
            if (el.isEmpty()) {
                allNames.add(name);
                vols.put(name, vol);
            } else {
                errs.addAll(el);
            }
            if (vol.getPersistentVolumeClaim() != null
                    && createdPVCs.contains(str(vol.getPersistentVolumeClaim().getClaimName()))) {
                errs.add(FieldError.invalid(idxPath.child("persistentVolumeClaim").child("claimName"),
                        str(vol.getPersistentVolumeClaim().getClaimName()),
                        "must not reference a PVC that gets created for an ephemeral volume"));
            }
        }
        return new Result(vols, errs);
    }

    private static final class Counter {
        int n;
        final List<FieldError> errs;
        final FieldPath path;

        Counter(FieldPath path, List<FieldError> errs) {
            this.path = path;
            this.errs = errs;
        }

        /** Returns true when this source is the first one (and should be validated). */
        boolean next(Object source, String child) {
            if (source == null) {
                return false;
            }
            if (n > 0) {
                errs.add(FieldError.forbidden(path.child(child), "may not specify more than 1 volume type"));
                return false;
            }
            n++;
            return true;
        }
    }

    static List<FieldError> validateVolumeSource(Volume s, FieldPath path, String volName, String podName,
                                                 PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        Counter c = new Counter(path, errs);
        if (s.getEmptyDir() != null) {
            c.n++;
            if (s.getEmptyDir().getSizeLimit() != null) {
                GoQuantity q = GoQuantity.tryParse(GoQuantity.text(s.getEmptyDir().getSizeLimit()));
                if (q != null && q.value().signum() < 0) {
                    errs.add(FieldError.forbidden(path.child("emptyDir").child("sizeLimit"),
                            "SizeLimit field must be a valid resource quantity"));
                }
            }
        }
        if (c.next(s.getHostPath(), "hostPath")) {
            FieldPath p = path.child("hostPath");
            String hp = str(s.getHostPath().getPath());
            if (hp.isEmpty()) {
                errs.add(FieldError.required(p.child("path"), ""));
            } else {
                errs.addAll(validatePathNoBacksteps(hp, p.child("path")));
                String type = s.getHostPath().getType();
                if (type != null && !HOST_PATH_TYPES.contains(type)) {
                    errs.add(FieldError.notSupported(p.child("type"), type, HOST_PATH_TYPES));
                }
            }
        }
        if (c.next(s.getGitRepo(), "gitRepo")) {
            FieldPath p = path.child("gitRepo");
            if (str(s.getGitRepo().getRepository()).isEmpty()) {
                errs.add(FieldError.required(p.child("repository"), ""));
            }
            errs.addAll(validateLocalDescendingPath(str(s.getGitRepo().getDirectory()), p.child("directory")));
        }
        if (c.next(s.getGcePersistentDisk(), "gcePersistentDisk")) {
            FieldPath p = path.child("persistentDisk");
            if (str(s.getGcePersistentDisk().getPdName()).isEmpty()) {
                errs.add(FieldError.required(p.child("pdName"), ""));
            }
            int part = s.getGcePersistentDisk().getPartition() == null ? 0 : s.getGcePersistentDisk().getPartition();
            if (part < 0 || part > 255) {
                errs.add(FieldError.invalid(p.child("partition"), part, NameValidation.inclusiveRangeError(1, 255)));
            }
        }
        if (c.next(s.getAwsElasticBlockStore(), "awsElasticBlockStore")) {
            FieldPath p = path.child("awsElasticBlockStore");
            if (str(s.getAwsElasticBlockStore().getVolumeID()).isEmpty()) {
                errs.add(FieldError.required(p.child("volumeID"), ""));
            }
            int part = s.getAwsElasticBlockStore().getPartition() == null ? 0 : s.getAwsElasticBlockStore().getPartition();
            if (part < 0 || part > 255) {
                errs.add(FieldError.invalid(p.child("partition"), part, NameValidation.inclusiveRangeError(1, 255)));
            }
        }
        if (c.next(s.getSecret(), "secret")) {
            FieldPath p = path.child("secret");
            if (str(s.getSecret().getSecretName()).isEmpty()) {
                errs.add(FieldError.required(p.child("secretName"), ""));
            }
            errs.addAll(validateMode(s.getSecret().getDefaultMode(), p.child("defaultMode")));
            List<KeyToPath> items = nonNull(s.getSecret().getItems());
            for (int i = 0; i < items.size(); i++) {
                errs.addAll(validateKeyToPath(items.get(i), p.child("items").index(i)));
            }
        }
        if (c.next(s.getNfs(), "nfs")) {
            FieldPath p = path.child("nfs");
            if (str(s.getNfs().getServer()).isEmpty()) {
                errs.add(FieldError.required(p.child("server"), ""));
            }
            String nfsPath = str(s.getNfs().getPath());
            if (nfsPath.isEmpty()) {
                errs.add(FieldError.required(p.child("path"), ""));
            }
            if (!nfsPath.startsWith("/")) {
                errs.add(FieldError.invalid(p.child("path"), nfsPath, "must be an absolute path"));
            }
        }
        if (c.next(s.getIscsi(), "iscsi")) {
            FieldPath p = path.child("iscsi");
            if (str(s.getIscsi().getTargetPortal()).isEmpty()) {
                errs.add(FieldError.required(p.child("targetPortal"), ""));
            }
            if (str(s.getIscsi().getIqn()).isEmpty()) {
                errs.add(FieldError.required(p.child("iqn"), ""));
            }
            int lun = s.getIscsi().getLun() == null ? 0 : s.getIscsi().getLun();
            if (lun < 0 || lun > 255) {
                errs.add(FieldError.invalid(p.child("lun"), lun, NameValidation.inclusiveRangeError(0, 255)));
            }
        }
        if (c.next(s.getGlusterfs(), "glusterfs")) {
            FieldPath p = path.child("glusterfs");
            if (str(s.getGlusterfs().getEndpoints()).isEmpty()) {
                errs.add(FieldError.required(p.child("endpoints"), ""));
            }
            if (str(s.getGlusterfs().getPath()).isEmpty()) {
                errs.add(FieldError.required(p.child("path"), ""));
            }
        }
        if (c.next(s.getFlocker(), "flocker")) {
            FieldPath p = path.child("flocker");
            String dn = str(s.getFlocker().getDatasetName());
            String du = str(s.getFlocker().getDatasetUUID());
            if (dn.isEmpty() && du.isEmpty()) {
                errs.add(FieldError.required(p, "one of datasetName and datasetUUID is required"));
            }
            if (!dn.isEmpty() && !du.isEmpty()) {
                errs.add(FieldError.invalid(p, "resource", "datasetName and datasetUUID can not be specified simultaneously"));
            }
            if (dn.contains("/")) {
                errs.add(FieldError.invalid(p.child("datasetName"), dn, "must not contain '/'"));
            }
        }
        if (c.next(s.getPersistentVolumeClaim(), "persistentVolumeClaim")) {
            if (str(s.getPersistentVolumeClaim().getClaimName()).isEmpty()) {
                errs.add(FieldError.required(path.child("persistentVolumeClaim").child("claimName"), ""));
            }
        }
        if (c.next(s.getRbd(), "rbd")) {
            FieldPath p = path.child("rbd");
            if (nonNull(s.getRbd().getMonitors()).isEmpty()) {
                errs.add(FieldError.required(p.child("monitors"), ""));
            }
            if (str(s.getRbd().getImage()).isEmpty()) {
                errs.add(FieldError.required(p.child("image"), ""));
            }
        }
        if (c.next(s.getCinder(), "cinder")) {
            FieldPath p = path.child("cinder");
            if (str(s.getCinder().getVolumeID()).isEmpty()) {
                errs.add(FieldError.required(p.child("volumeID"), ""));
            }
            if (s.getCinder().getSecretRef() != null && str(s.getCinder().getSecretRef().getName()).isEmpty()) {
                errs.add(FieldError.required(p.child("secretRef", "name"), ""));
            }
        }
        if (c.next(s.getCephfs(), "cephFS")) {
            if (nonNull(s.getCephfs().getMonitors()).isEmpty()) {
                errs.add(FieldError.required(path.child("cephfs").child("monitors"), ""));
            }
        }
        if (c.next(s.getQuobyte(), "quobyte")) {
            FieldPath p = path.child("quobyte");
            if (str(s.getQuobyte().getRegistry()).isEmpty()) {
                errs.add(FieldError.required(p.child("registry"), "must be a host:port pair or multiple pairs separated by commas"));
            }
            if (str(s.getQuobyte().getVolume()).isEmpty()) {
                errs.add(FieldError.required(p.child("volume"), ""));
            }
        }
        if (c.next(s.getDownwardAPI(), "downwarAPI")) {
            FieldPath p = path.child("downwardAPI");
            errs.addAll(validateMode(s.getDownwardAPI().getDefaultMode(), p.child("defaultMode")));
            for (DownwardAPIVolumeFile f : nonNull(s.getDownwardAPI().getItems())) {
                errs.addAll(validateDownwardAPIVolumeFile(f, p));
            }
        }
        if (c.next(s.getFc(), "fc")) {
            FieldPath p = path.child("fc");
            boolean wwns = !nonNull(s.getFc().getTargetWWNs()).isEmpty();
            boolean wwids = !nonNull(s.getFc().getWwids()).isEmpty();
            if (!wwns && !wwids) {
                errs.add(FieldError.required(p.child("targetWWNs"), "must specify either targetWWNs or wwids, but not both"));
            }
            if (wwns && wwids) {
                errs.add(FieldError.invalid(p.child("targetWWNs"), s.getFc().getTargetWWNs(),
                        "targetWWNs and wwids can not be specified simultaneously"));
            }
            if (wwns) {
                if (s.getFc().getLun() == null) {
                    errs.add(FieldError.required(p.child("lun"), "lun is required if targetWWNs is specified"));
                } else if (s.getFc().getLun() < 0 || s.getFc().getLun() > 255) {
                    errs.add(FieldError.invalid(p.child("lun"), s.getFc().getLun(), NameValidation.inclusiveRangeError(0, 255)));
                }
            }
        }
        if (c.next(s.getFlexVolume(), "flexVolume")) {
            if (str(s.getFlexVolume().getDriver()).isEmpty()) {
                errs.add(FieldError.required(path.child("flexVolume").child("driver"), ""));
            }
        }
        if (c.next(s.getConfigMap(), "configMap")) {
            FieldPath p = path.child("configMap");
            if (str(s.getConfigMap().getName()).isEmpty()) {
                errs.add(FieldError.required(p.child("name"), ""));
            }
            errs.addAll(validateMode(s.getConfigMap().getDefaultMode(), p.child("defaultMode")));
            List<KeyToPath> items = nonNull(s.getConfigMap().getItems());
            for (int i = 0; i < items.size(); i++) {
                errs.addAll(validateKeyToPath(items.get(i), p.child("items").index(i)));
            }
        }
        if (c.next(s.getAzureFile(), "azureFile")) {
            FieldPath p = path.child("azureFile");
            if (str(s.getAzureFile().getSecretName()).isEmpty()) {
                errs.add(FieldError.required(p.child("secretName"), ""));
            }
            if (str(s.getAzureFile().getShareName()).isEmpty()) {
                errs.add(FieldError.required(p.child("shareName"), ""));
            }
        }
        if (c.next(s.getVsphereVolume(), "vsphereVolume")) {
            if (str(s.getVsphereVolume().getVolumePath()).isEmpty()) {
                errs.add(FieldError.required(path.child("vsphereVolume").child("volumePath"), ""));
            }
        }
        if (c.next(s.getPhotonPersistentDisk(), "photonPersistentDisk")) {
            if (str(s.getPhotonPersistentDisk().getPdID()).isEmpty()) {
                errs.add(FieldError.required(path.child("photonPersistentDisk").child("pdID"), ""));
            }
        }
        if (c.next(s.getPortworxVolume(), "portworxVolume")) {
            if (str(s.getPortworxVolume().getVolumeID()).isEmpty()) {
                errs.add(FieldError.required(path.child("portworxVolume").child("volumeID"), ""));
            }
        }
        if (c.next(s.getAzureDisk(), "azureDisk")) {
            FieldPath p = path.child("azureDisk");
            if (str(s.getAzureDisk().getDiskName()).isEmpty()) {
                errs.add(FieldError.required(p.child("diskName"), ""));
            }
            if (str(s.getAzureDisk().getDiskURI()).isEmpty()) {
                errs.add(FieldError.required(p.child("diskURI"), ""));
            }
        }
        if (c.next(s.getStorageos(), "storageos")) {
            FieldPath p = path.child("storageos");
            String vn = str(s.getStorageos().getVolumeName());
            if (vn.isEmpty()) {
                errs.add(FieldError.required(p.child("volumeName"), ""));
            } else {
                errs.addAll(NameValidation.validateDNS1123Label(vn, p.child("volumeName")));
            }
            String vns = str(s.getStorageos().getVolumeNamespace());
            if (!vns.isEmpty()) {
                errs.addAll(NameValidation.validateDNS1123Label(vns, p.child("volumeNamespace")));
            }
        }
        if (c.next(s.getProjected(), "projected")) {
            FieldPath p = path.child("projected");
            errs.addAll(validateMode(s.getProjected().getDefaultMode(), p.child("defaultMode")));
            errs.addAll(validateProjectionSources(s.getProjected(), p, opts));
        }
        if (c.next(s.getScaleIO(), "scaleIO")) {
            FieldPath p = path.child("scaleIO");
            if (str(s.getScaleIO().getGateway()).isEmpty()) {
                errs.add(FieldError.required(p.child("gateway"), ""));
            }
            if (str(s.getScaleIO().getSystem()).isEmpty()) {
                errs.add(FieldError.required(p.child("system"), ""));
            }
            if (str(s.getScaleIO().getVolumeName()).isEmpty()) {
                errs.add(FieldError.required(p.child("volumeName"), ""));
            }
        }
        if (c.next(s.getCsi(), "csi")) {
            FieldPath p = path.child("csi");
            errs.addAll(validateCSIDriverName(str(s.getCsi().getDriver()), p.child("driver")));
            if (s.getCsi().getNodePublishSecretRef() != null) {
                String n = str(s.getCsi().getNodePublishSecretRef().getName());
                if (n.isEmpty()) {
                    errs.add(FieldError.required(p.child("nodePublishSecretRef", "name"), ""));
                } else {
                    for (String msg : NameValidation.nameIsDNSSubdomain(n, false)) {
                        errs.add(FieldError.invalid(p.child("name"), n, msg));
                    }
                }
            }
        }
        if (c.next(s.getEphemeral(), "ephemeral")) {
            if (s.getEphemeral().getVolumeClaimTemplate() == null) {
                errs.add(FieldError.required(path.child("ephemeral").child("volumeClaimTemplate"), ""));
            }
            if (!podName.isEmpty() && !volName.isEmpty()) {
                String pvcName = podName + "-" + volName;
                for (String msg : NameValidation.nameIsDNSSubdomain(pvcName, false)) {
                    errs.add(FieldError.invalid(path.child("name"), volName, "PVC name " + GoFormat.quote(pvcName) + ": " + msg));
                }
            }
        }
        if (c.next(s.getImage(), "image")) {
            FieldPath p = path.child("image");
            if (opts.resourceIsPod() && str(s.getImage().getReference()).isEmpty()) {
                errs.add(FieldError.required(p.child("reference"), ""));
            }
            errs.addAll(ContainerValidation.validatePullPolicy(s.getImage().getPullPolicy(), p.child("pullPolicy")));
        }
        if (c.n == 0) {
            errs.add(FieldError.required(path, "must specify a volume type"));
        }
        return errs;
    }

    /** {@code ValidateCSIDriverName}. */
    static List<FieldError> validateCSIDriverName(String driver, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (driver.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        }
        if (NameValidation.byteLen(driver) > 63) {
            errs.add(FieldError.tooLong(path, 63));
        }
        for (String msg : NameValidation.isDNS1123Subdomain(driver.toLowerCase(java.util.Locale.ROOT))) {
            errs.add(FieldError.invalid(path, driver, msg));
        }
        return errs;
    }

    static List<FieldError> validateMode(Integer mode, FieldPath path) {
        if (mode != null && (mode > 0777 || mode < 0)) {
            return List.of(FieldError.invalid(path, mode, FILE_MODE_ERROR));
        }
        return List.of();
    }

    /** {@code validateKeyToPath}. */
    static List<FieldError> validateKeyToPath(KeyToPath kp, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (str(kp.getKey()).isEmpty()) {
            errs.add(FieldError.required(path.child("key"), ""));
        }
        if (str(kp.getPath()).isEmpty()) {
            errs.add(FieldError.required(path.child("path"), ""));
        }
        errs.addAll(validateLocalNonReservedPath(str(kp.getPath()), path.child("path")));
        errs.addAll(validateMode(kp.getMode(), path.child("mode")));
        return errs;
    }

    /** {@code validateDownwardAPIVolumeFile}. */
    static List<FieldError> validateDownwardAPIVolumeFile(DownwardAPIVolumeFile file, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (str(file.getPath()).isEmpty()) {
            errs.add(FieldError.required(path.child("path"), ""));
        }
        errs.addAll(validateLocalNonReservedPath(str(file.getPath()), path.child("path")));
        if (file.getFieldRef() != null) {
            errs.addAll(validateObjectFieldSelector(file.getFieldRef(), VOLUME_DOWNWARD_API_FIELDS, path.child("fieldRef")));
            if (file.getResourceFieldRef() != null) {
                errs.add(FieldError.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
            }
        } else if (file.getResourceFieldRef() != null) {
            errs.addAll(validateContainerResourceFieldSelector(file.getResourceFieldRef(), path.child("resourceFieldRef"), true));
        } else {
            errs.add(FieldError.required(path, "one of fieldRef and resourceFieldRef is required"));
        }
        errs.addAll(validateMode(file.getMode(), path.child("mode")));
        return errs;
    }

    /** {@code fieldpath.SplitMaybeSubscriptedPath}: returns {path, subscript} or null. */
    static String[] splitMaybeSubscriptedPath(String fieldPath) {
        if (!fieldPath.endsWith("']")) {
            return null;
        }
        String s = fieldPath.substring(0, fieldPath.length() - 2);
        int idx = s.indexOf("['");
        if (idx < 0 || idx == 0) {
            return null;
        }
        return new String[] {s.substring(0, idx), s.substring(idx + 2)};
    }

    private static final Set<String> DOWNWARD_API_LABELS = Set.of("metadata.annotations", "metadata.labels",
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy",
            "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
            "status.podIP", "status.podIPs");

    /** {@code validateObjectFieldSelector} (with {@code ConvertDownwardAPIFieldLabel}). */
    static List<FieldError> validateObjectFieldSelector(ObjectFieldSelector fs, Set<String> expressions, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String apiVersion = str(fs.getApiVersion());
        String fieldPath = str(fs.getFieldPath());
        if (apiVersion.isEmpty()) {
            errs.add(FieldError.required(path.child("apiVersion"), ""));
            return errs;
        }
        if (fieldPath.isEmpty()) {
            errs.add(FieldError.required(path.child("fieldPath"), ""));
            return errs;
        }
        String internal;
        String convErr = null;
        String[] split = splitMaybeSubscriptedPath(fieldPath);
        if (!apiVersion.equals("v1")) {
            convErr = "unsupported pod version: " + apiVersion;
            internal = "";
        } else if (split != null) {
            if (split[0].equals("metadata.annotations") || split[0].equals("metadata.labels")) {
                internal = fieldPath;
            } else {
                internal = "";
                convErr = "field label does not support subscript: " + fieldPath;
            }
        } else if (DOWNWARD_API_LABELS.contains(fieldPath)) {
            internal = fieldPath;
        } else if (fieldPath.equals("spec.host")) {
            internal = "spec.nodeName";
        } else {
            internal = "";
            convErr = "field label not supported: " + fieldPath;
        }
        if (convErr != null) {
            errs.add(FieldError.invalid(path.child("fieldPath"), fieldPath, "error converting fieldPath: " + convErr));
            return errs;
        }
        String[] sp = splitMaybeSubscriptedPath(internal);
        if (sp != null) {
            switch (sp[0]) {
                case "metadata.annotations" ->
                        errs.addAll(NameValidation.validateQualifiedName(sp[1].toLowerCase(java.util.Locale.ROOT), path));
                case "metadata.labels" -> errs.addAll(NameValidation.validateQualifiedName(sp[1], path));
                default -> errs.add(FieldError.invalid(path, sp[0], "does not support subscript"));
            }
        } else if (!expressions.contains(internal)) {
            errs.add(FieldError.notSupported(path.child("fieldPath"), internal, new ArrayList<>(expressions)));
        }
        return errs;
    }

    private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
    private static final Set<String> MEM_DIVISORS = Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi",
            "1Gi", "1Ti", "1Pi", "1Ei");

    /** {@code validateContainerResourceFieldSelector}. */
    static List<FieldError> validateContainerResourceFieldSelector(ResourceFieldSelector fs, FieldPath path, boolean volume) {
        List<FieldError> errs = new ArrayList<>();
        String resource = str(fs.getResource());
        if (volume && str(fs.getContainerName()).isEmpty()) {
            errs.add(FieldError.required(path.child("containerName"), ""));
        } else if (resource.isEmpty()) {
            errs.add(FieldError.required(path.child("resource"), ""));
        } else if (!CONTAINER_RESOURCE_FIELDS.contains(resource)
                && !resource.startsWith("requests.hugepages-") && !resource.startsWith("limits.hugepages-")) {
            errs.add(FieldError.notSupported(path.child("resource"), resource, new ArrayList<>(CONTAINER_RESOURCE_FIELDS)));
        }
        if (fs.getDivisor() != null) {
            GoQuantity d = GoQuantity.tryParse(GoQuantity.text(fs.getDivisor()));
            if (d != null && !d.isZero()) {
                String ds = d.toString();
                switch (resource) {
                    case "limits.cpu", "requests.cpu" -> {
                        if (!CPU_DIVISORS.contains(ds)) {
                            errs.add(FieldError.invalid(path.child("divisor"), resource,
                                    "only divisor's values 1m and 1 are supported with the cpu resource"));
                        }
                    }
                    case "limits.memory", "requests.memory" -> {
                        if (!MEM_DIVISORS.contains(ds)) {
                            errs.add(FieldError.invalid(path.child("divisor"), resource,
                                    "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"));
                        }
                    }
                    case "limits.ephemeral-storage", "requests.ephemeral-storage" -> {
                        if (!MEM_DIVISORS.contains(ds)) {
                            errs.add(FieldError.invalid(path.child("divisor"), resource,
                                    "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource"));
                        }
                    }
                    default -> {
                    }
                }
                if ((resource.startsWith("requests.hugepages-") || resource.startsWith("limits.hugepages-"))
                        && !MEM_DIVISORS.contains(ds)) {
                    errs.add(FieldError.invalid(path.child("divisor"), resource,
                            "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource"));
                }
            }
        }
        return errs;
    }

    /** {@code validateProjectionSources}. */
    static List<FieldError> validateProjectionSources(ProjectedVolumeSource projection, FieldPath path,
                                                      PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> allPaths = new HashSet<>();
        List<VolumeProjection> sources = nonNull(projection.getSources());
        for (int i = 0; i < sources.size(); i++) {
            VolumeProjection source = sources.get(i);
            int numSources = 0;
            FieldPath srcPath = path.child("sources").index(i);
            if (source.getSecret() != null) {
                SecretProjection sp = source.getSecret();
                FieldPath projPath = srcPath.child("secret");
                numSources++;
                if (str(sp.getName()).isEmpty()) {
                    errs.add(FieldError.required(projPath.child("name"), ""));
                }
                List<KeyToPath> items = nonNull(sp.getItems());
                for (int j = 0; j < items.size(); j++) {
                    KeyToPath kp = items.get(j);
                    errs.addAll(validateKeyToPath(kp, projPath.child("items").index(j)));
                    if (!str(kp.getPath()).isEmpty() && !allPaths.add(kp.getPath())) {
                        errs.add(FieldError.invalid(path, str(sp.getName()), "conflicting duplicate paths"));
                    }
                }
            }
            if (source.getConfigMap() != null) {
                ConfigMapProjection cp = source.getConfigMap();
                FieldPath projPath = srcPath.child("configMap");
                numSources++;
                if (str(cp.getName()).isEmpty()) {
                    errs.add(FieldError.required(projPath.child("name"), ""));
                }
                List<KeyToPath> items = nonNull(cp.getItems());
                for (int j = 0; j < items.size(); j++) {
                    KeyToPath kp = items.get(j);
                    errs.addAll(validateKeyToPath(kp, projPath.child("items").index(j)));
                    if (!str(kp.getPath()).isEmpty() && !allPaths.add(kp.getPath())) {
                        errs.add(FieldError.invalid(path, str(cp.getName()), "conflicting duplicate paths"));
                    }
                }
            }
            if (source.getDownwardAPI() != null) {
                FieldPath projPath = srcPath.child("downwardAPI");
                numSources++;
                for (DownwardAPIVolumeFile f : nonNull(source.getDownwardAPI().getItems())) {
                    errs.addAll(validateDownwardAPIVolumeFile(f, projPath));
                    if (!str(f.getPath()).isEmpty() && !allPaths.add(f.getPath())) {
                        errs.add(FieldError.invalid(path, f.getPath(), "conflicting duplicate paths"));
                    }
                }
            }
            if (source.getServiceAccountToken() != null) {
                ServiceAccountTokenProjection sat = source.getServiceAccountToken();
                FieldPath projPath = srcPath.child("serviceAccountToken");
                numSources++;
                long exp = sat.getExpirationSeconds() == null ? 0 : sat.getExpirationSeconds();
                if (exp < 10 * 60) {
                    errs.add(FieldError.invalid(projPath.child("expirationSeconds"), exp, "may not specify a duration less than 10 minutes"));
                }
                if (exp > (1L << 32)) {
                    errs.add(FieldError.invalid(projPath.child("expirationSeconds"), exp, "may not specify a duration larger than 2^32 seconds"));
                }
                if (str(sat.getPath()).isEmpty()) {
                    errs.add(FieldError.required(path.child("path"), ""));
                } else {
                    errs.addAll(validateLocalNonReservedPath(sat.getPath(), path.child("path")));
                }
            }
            if (source.getClusterTrustBundle() != null) {
                numSources++;
                FieldPath projPath = srcPath.child("clusterTrustBundle");
                if (str(source.getClusterTrustBundle().getPath()).isEmpty()) {
                    errs.add(FieldError.required(projPath.child("path"), ""));
                }
            }
            if (numSources > 1) {
                errs.add(FieldError.forbidden(srcPath, "may not specify more than 1 volume type per source"));
            }
        }
        return errs;
    }

    /** {@code validateLocalDescendingPath}: relative, no ".." element. */
    static List<FieldError> validateLocalDescendingPath(String targetPath, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (targetPath.startsWith("/")) {
            errs.add(FieldError.invalid(path, targetPath, "must be a relative path"));
        }
        errs.addAll(validatePathNoBacksteps(targetPath, path));
        return errs;
    }

    /** {@code validatePathNoBacksteps}. */
    static List<FieldError> validatePathNoBacksteps(String targetPath, FieldPath path) {
        for (String item : targetPath.split("/", -1)) {
            if (item.equals("..")) {
                return List.of(FieldError.invalid(path, targetPath, "must not contain '..'"));
            }
        }
        return List.of();
    }

    /** {@code ValidateLocalNonReservedPath}. */
    static List<FieldError> validateLocalNonReservedPath(String targetPath, FieldPath path) {
        List<FieldError> errs = new ArrayList<>(validateLocalDescendingPath(targetPath, path));
        if (targetPath.startsWith("..") && !targetPath.startsWith("../")) {
            errs.add(FieldError.invalid(path, targetPath, "must not start with '..'"));
        }
        return errs;
    }
}
