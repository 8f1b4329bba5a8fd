package io.kemu.apiserver.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.admission.podsecurity.PodSecurityChecks.Aggregate;
import io.kemu.apiserver.admission.podsecurity.PodSecurityChecks.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors the check_*_test.go cases of k8s.io/pod-security-admission/policy (expected reasons and details). */
class PodSecurityChecksTest {
  static PodSpec spec(String json) {
    return KubeJson.convert(KubeJson.tree(json.replace('\'', '"').getBytes()), PodSpec.class);
  }

  static final ObjectMeta META = new ObjectMeta();

  static void forbidden(Result r, String reason, String detail) {
    assertEquals(new Result(false, reason, detail), r);
  }

  @Test
  void privileged() {
    forbidden(PodSecurityChecks.privileged(META, spec("{'containers':[{'name':'a','securityContext':{'privileged':true}},"
            + "{'name':'b'},{'name':'c','securityContext':{'privileged':false}},"
            + "{'name':'d','securityContext':{'privileged':true}}]}")),
        "privileged", "containers \"a\", \"d\" must not set securityContext.privileged=true");
    assertTrue(PodSecurityChecks.privileged(META, spec("{'containers':[{'name':'a'}]}")).allowed());
  }

  @Test
  void hostNamespaces() {
    forbidden(PodSecurityChecks.hostNamespaces(META, spec("{'hostNetwork':true,'hostPID':true,'hostIPC':true}")),
        "host namespaces", "hostIPC, hostNetwork, hostPID");
    forbidden(PodSecurityChecks.hostNamespaces(META, spec("{'hostNetwork':true}")), "host namespaces",
        "hostNetwork");
  }

  @Test
  void capabilitiesBaseline() {
    forbidden(PodSecurityChecks.capabilitiesBaseline(META, spec("{'containers':["
            + "{'name':'a','securityContext':{'capabilities':{'add':['FOO','BAR']}}},"
            + "{'name':'b','securityContext':{'capabilities':{'add':['BAR','BAZ']}}},"
            + "{'name':'c','securityContext':{'capabilities':{'add':['CHOWN','KILL']}}}]}")),
        "non-default capabilities", "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in "
            + "securityContext.capabilities.add");
  }

  @Test
  void hostPathVolumesAndPorts() {
    forbidden(PodSecurityChecks.hostPathVolumes(META, spec("{'volumes':[{'name':'a','hostPath':{'path':'/'}},"
        + "{'name':'b','emptyDir':{}},{'name':'c','hostPath':{'path':'/x'}}]}")), "hostPath volumes",
        "volumes \"a\", \"c\"");
    forbidden(PodSecurityChecks.hostPorts(META, spec("{'containers':[{'name':'a','ports':[{'containerPort':1,"
        + "'hostPort':10}]},{'name':'b','ports':[{'containerPort':2,'hostPort':20},{'containerPort':3}]}]}")),
        "hostPort", "containers \"a\", \"b\" use hostPorts 10, 20");
    forbidden(PodSecurityChecks.hostPorts(META, spec("{'containers':[{'name':'a','ports':[{'containerPort':1,"
        + "'hostPort':10}]}]}")), "hostPort", "container \"a\" uses hostPort 10");
  }

  @Test
  void procMountSeLinuxSeccompSysctlsAppArmorHostProcess() {
    forbidden(PodSecurityChecks.procMount(META, spec("{'containers':[{'name':'a','securityContext':"
        + "{'procMount':'Unmasked'}}]}")), "procMount",
        "container \"a\" must not set securityContext.procMount to \"Unmasked\"");
    forbidden(PodSecurityChecks.seLinuxOptions(META, spec("{'securityContext':{'seLinuxOptions':{'type':'bar',"
        + "'user':'u','role':'r'}},'containers':[{'name':'a','securityContext':{'seLinuxOptions':{'type':'foo'}}}]}")),
        "seLinuxOptions", "pod and container \"a\" set forbidden securityContext.seLinuxOptions: types \"bar\", "
            + "\"foo\"; user may not be set; role may not be set");
    forbidden(PodSecurityChecks.seccompProfileBaseline(META, spec("{'securityContext':{'seccompProfile':"
        + "{'type':'Unconfined'}},'containers':[{'name':'a','securityContext':{'seccompProfile':"
        + "{'type':'Unconfined'}}},{'name':'b'}]}")), "seccompProfile",
        "pod and container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\"");
    forbidden(PodSecurityChecks.sysctls(META, spec("{'securityContext':{'sysctls':[{'name':'a','value':'1'},"
        + "{'name':'net.ipv4.tcp_rmem','value':'1'},{'name':'b','value':'2'}]}}")), "forbidden sysctls", "a, b");
    forbidden(PodSecurityChecks.appArmorProfile(META, spec("{'securityContext':{'appArmorProfile':{'type':"
        + "'Unconfined'}}}")), "forbidden AppArmor profile", "pod must not set AppArmor profile type to "
        + "\"Unconfined\"");
    ObjectMeta annotated = new ObjectMeta();
    annotated.setAnnotations(Map.of("container.apparmor.security.beta.kubernetes.io/a", "unconfined"));
    forbidden(PodSecurityChecks.appArmorProfile(annotated, spec("{'containers':[{'name':'a'}]}")),
        "forbidden AppArmor profile", "annotation must not set AppArmor profile type to "
            + "\"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\"");
    forbidden(PodSecurityChecks.windowsHostProcess(META, spec("{'securityContext':{'windowsOptions':"
        + "{'hostProcess':true}},'containers':[{'name':'a','securityContext':{'windowsOptions':"
        + "{'hostProcess':true}}}]}")), "hostProcess",
        "pod and container \"a\" must not set securityContext.windowsOptions.hostProcess=true");
  }

  @Test
  void restrictedChecks() {
    PodSpec s = spec("{'containers':[{'name':'a'},{'name':'b','securityContext':{'allowPrivilegeEscalation':false,"
        + "'capabilities':{'drop':['ALL'],'add':['NET_BIND_SERVICE','SYS_TIME']},'runAsNonRoot':false,"
        + "'runAsUser':0}}]}");
    forbidden(PodSecurityChecks.allowPrivilegeEscalation(META, s), "allowPrivilegeEscalation != false",
        "container \"a\" must set securityContext.allowPrivilegeEscalation=false");
    forbidden(PodSecurityChecks.capabilitiesRestricted(META, s), "unrestricted capabilities",
        "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"b\" must not include "
            + "\"SYS_TIME\" in securityContext.capabilities.add");
    forbidden(PodSecurityChecks.runAsNonRoot(META, s), "runAsNonRoot != true",
        "container \"b\" must not set securityContext.runAsNonRoot=false");
    forbidden(PodSecurityChecks.runAsNonRoot(META, spec("{'containers':[{'name':'a'},{'name':'b'}]}")),
        "runAsNonRoot != true", "pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true");
    forbidden(PodSecurityChecks.runAsUser(META, s), "runAsUser=0", "container \"b\" must not set runAsUser=0");
    forbidden(PodSecurityChecks.seccompProfileRestricted(META, s), "seccompProfile",
        "pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or "
            + "\"Localhost\"");
    forbidden(PodSecurityChecks.restrictedVolumes(META, spec("{'volumes':[{'name':'a','emptyDir':{}},"
        + "{'name':'b','hostPath':{'path':'/'}},{'name':'c','nfs':{'server':'s','path':'/'}}]}")),
        "restricted volume types", "volumes \"b\", \"c\" use restricted volume types \"hostPath\", \"nfs\"");
    assertTrue(PodSecurityChecks.allowPrivilegeEscalation(META, spec("{'os':{'name':'windows'},"
        + "'containers':[{'name':'a'}]}")).allowed());
  }

  @Test
  void levelsAggregateInRegistryOrder() {
    PodSpec s = spec("{'hostNetwork':true,'volumes':[{'name':'h','hostPath':{'path':'/'}}],"
        + "'containers':[{'name':'nginx','securityContext':{'privileged':true}}]}");
    Aggregate baseline = PodSecurityChecks.evaluate("baseline", META, s);
    assertEquals("host namespaces (hostNetwork), hostPath volumes (volume \"h\"), privileged (container \"nginx\" "
        + "must not set securityContext.privileged=true)", baseline.forbiddenDetail());
    Aggregate restricted = PodSecurityChecks.evaluate("restricted", META, spec("{'containers':[{'name':'nginx'}]}"));
    assertEquals("allowPrivilegeEscalation != false (container \"nginx\" must set "
        + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"nginx\" must set "
        + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"nginx\" must set "
        + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"nginx\" must set "
        + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
        restricted.forbiddenDetail());
    assertTrue(PodSecurityChecks.evaluate("privileged", META, s).allowed());
    assertEquals(List.of("host namespaces", "privileged", "allowPrivilegeEscalation != false",
            "unrestricted capabilities", "restricted volume types", "runAsNonRoot != true", "seccompProfile"),
        PodSecurityChecks.evaluate("restricted", META, s).reasons());
  }
}
