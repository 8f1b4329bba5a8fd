package io.kemu.apiserver.patch;

import static io.kemu.apiserver.patch.Json.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Strategic merge patches on built-in kinds, shaped like the ones kubectl sends. */
class StrategicMergePatchKubeTest {

  static final String DEPLOYMENT = """
      {'apiVersion':'apps/v1','kind':'Deployment',
       'metadata':{'name':'web','namespace':'default','labels':{'app':'web'},
         'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{old}','deployment.kubernetes.io/revision':'1'}},
       'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
         'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
         'template':{'metadata':{'labels':{'app':'web'}},
           'spec':{'containers':[
             {'name':'nginx','image':'nginx:1.24','imagePullPolicy':'IfNotPresent',
              'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443,'protocol':'TCP'}],
              'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
             {'name':'sidecar','image':'envoy:1'}],
             'restartPolicy':'Always'}}},
       'status':{'conditions':[{'type':'Available','status':'True'},{'type':'Progressing','status':'True'}]}}
      """;

  static JsonNode smp(String original, String patch, String apiVersion, String kind) {
    return StrategicMergePatch.apply(j(original), j(patch), apiVersion, kind);
  }

  static JsonNode at(JsonNode n, String pointer) {
    return n.at(pointer);
  }

  @Test
  void kubectlApplySecondTimeUpdatesLabelsAndLastApplied() {
    JsonNode out = smp(DEPLOYMENT, """
        {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{new}'},
          'labels':{'app':'x'}}}""", "apps/v1", "Deployment");
    assertEquals(j("{'app':'x'}"), at(out, "/metadata/labels"));
    assertEquals(j("{'kubectl.kubernetes.io/last-applied-configuration':'{new}','deployment.kubernetes.io/revision':'1'}"),
        at(out, "/metadata/annotations"));
    assertEquals(at(j(DEPLOYMENT), "/spec"), at(out, "/spec"));
  }

  @Test
  void kubectlApplySecondTimeChangesImageAndRemovesAPort() {
    // what CreateThreeWayMergePatch makes of: image nginx:1.24 -> 1.25, port 443 removed from the config
    JsonNode out = smp(DEPLOYMENT, """
        {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{new}'}},
         'spec':{'template':{'spec':{
           '$setElementOrder/containers':[{'name':'nginx'},{'name':'sidecar'}],
           'containers':[{'$setElementOrder/ports':[{'containerPort':80}],'image':'nginx:1.25','name':'nginx',
             'ports':[{'$patch':'delete','containerPort':443}]}]}}}}""", "apps/v1", "Deployment");
    assertEquals(j("""
        [{'name':'nginx','image':'nginx:1.25','imagePullPolicy':'IfNotPresent',
          'ports':[{'containerPort':80,'protocol':'TCP'}],
          'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
         {'name':'sidecar','image':'envoy:1'}]"""), at(out, "/spec/template/spec/containers"));
    assertEquals(j("{'app':'web'}"), at(out, "/metadata/labels"));
    assertEquals("Always", at(out, "/spec/template/spec/restartPolicy").asText());
  }

  @Test
  void containersAreMergedByNameAndNewOnesAppended() {
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'template':{'spec':{'containers':[
          {'name':'sidecar','image':'envoy:2'},{'name':'init-like','image':'busybox'}]}}}}""",
        "apps/v1", "Deployment");
    JsonNode containers = at(out, "/spec/template/spec/containers");
    assertEquals(3, containers.size());
    // patch order first for the items the patch names, the server-only item where the live order puts it
    assertEquals("nginx", containers.get(0).path("name").asText());
    assertEquals("sidecar", containers.get(1).path("name").asText());
    assertEquals("envoy:2", containers.get(1).path("image").asText());
    assertEquals("init-like", containers.get(2).path("name").asText());
    assertEquals("nginx:1.24", containers.get(0).path("image").asText());
  }

  @Test
  void envIsMergedByNameAndNullDeletesAField() {
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'template':{'spec':{'containers':[{'name':'nginx',
          'env':[{'name':'B','value':'3'},{'name':'C','value':'4'}],'imagePullPolicy':null}]}}}}""",
        "apps/v1", "Deployment");
    JsonNode nginx = at(out, "/spec/template/spec/containers/0");
    assertEquals(j("[{'name':'A','value':'1'},{'name':'B','value':'3'},{'name':'C','value':'4'}]"), nginx.get("env"));
    assertEquals(false, nginx.has("imagePullPolicy"));
  }

  @Test
  void portsAreMergedByContainerPortOnly() {
    // the listMapKey of ports is containerPort+protocol, but SMP only knows patchMergeKey containerPort
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'template':{'spec':{'containers':[{'name':'nginx',
          'ports':[{'containerPort':80,'protocol':'UDP'}]}]}}}}""", "apps/v1", "Deployment");
    assertEquals(j("[{'containerPort':80,'protocol':'UDP'},{'containerPort':443,'protocol':'TCP'}]"),
        at(out, "/spec/template/spec/containers/0/ports"));
  }

  @Test
  void patchReplaceDirectiveReplacesAMergedList() {
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'template':{'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'x'}]}}}}""",
        "apps/v1", "Deployment");
    assertEquals(j("[{'name':'only','image':'x'}]"), at(out, "/spec/template/spec/containers"));
  }

  @Test
  void patchDeleteDirectiveOnAMapEmptiesIt() {
    JsonNode out = smp(DEPLOYMENT, "{'spec':{'strategy':{'$patch':'delete'}}}", "apps/v1", "Deployment");
    assertEquals(j("{}"), at(out, "/spec/strategy"));
  }

  @Test
  void deploymentStrategyRetainKeysClearsRollingUpdate() {
    // kubectl apply switching to Recreate sends $retainKeys for the retainKeys-tagged strategy
    JsonNode out = smp(DEPLOYMENT, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
        "apps/v1", "Deployment");
    assertEquals(j("{'type':'Recreate'}"), at(out, "/spec/strategy"));
  }

  @Test
  void retainKeysRejectsAFieldItDoesNotRetain() {
    PatchException e = assertThrows(PatchException.class, () -> smp(DEPLOYMENT,
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':{'maxSurge':1}}}}",
        "apps/v1", "Deployment"));
    assertEquals(400, e.code());
    assertEquals("invalid patch format of retainKeys", e.getMessage());
  }

  @Test
  void volumeSourceSwitchWithRetainKeys() {
    String pod = """
        {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},
         'spec':{'containers':[{'name':'c','image':'i','volumeMounts':[{'name':'data','mountPath':'/data'}]}],
           'volumes':[{'name':'data','emptyDir':{}},{'name':'cfg','configMap':{'name':'c1'}}]}}""";
    JsonNode out = smp(pod, """
        {'spec':{'$setElementOrder/volumes':[{'name':'data'},{'name':'cfg'}],
          'volumes':[{'$retainKeys':['name','secret'],'name':'data','secret':{'secretName':'s'}}]}}""", "v1", "Pod");
    assertEquals(j("[{'name':'data','secret':{'secretName':'s'}},{'name':'cfg','configMap':{'name':'c1'}}]"),
        at(out, "/spec/volumes"));
  }

  @Test
  void volumeMountsAreMergedByMountPath() {
    String pod = """
        {'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'i',
          'volumeMounts':[{'name':'a','mountPath':'/a'},{'name':'b','mountPath':'/b'}]}]}}""";
    JsonNode out = smp(pod, """
        {'spec':{'containers':[{'name':'c','volumeMounts':[{'name':'a2','mountPath':'/a','readOnly':true}]}]}}""",
        "v1", "Pod");
    assertEquals(j("[{'name':'a2','mountPath':'/a','readOnly':true},{'name':'b','mountPath':'/b'}]"),
        at(out, "/spec/containers/0/volumeMounts"));
  }

  @Test
  void podConditionsAreMergedByType() {
    String pod = """
        {'metadata':{'name':'p'},'status':{'phase':'Pending','conditions':[
          {'type':'PodScheduled','status':'True'},{'type':'Ready','status':'False'}]}}""";
    JsonNode out = smp(pod, """
        {'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'},
          {'type':'Initialized','status':'True'}]}}""", "v1", "Pod");
    assertEquals("Running", at(out, "/status/phase").asText());
    assertEquals(j("""
        [{'type':'PodScheduled','status':'True'},{'type':'Ready','status':'True'},
         {'type':'Initialized','status':'True'}]"""), at(out, "/status/conditions"));
  }

  @Test
  void nodeConditionsAndAddressesByTypeAndPodCIDRsAsASet() {
    String node = """
        {'metadata':{'name':'n1'},'spec':{'podCIDRs':['10.0.0.0/24']},
         'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'MemoryPressure','status':'False'}],
          'addresses':[{'type':'InternalIP','address':'10.1.1.1'}]}}""";
    JsonNode out = smp(node, """
        {'spec':{'podCIDRs':['10.0.0.0/24','fd00::/64']},
         'status':{'conditions':[{'type':'Ready','status':'True'}],
          'addresses':[{'type':'Hostname','address':'n1'}]}}""", "v1", "Node");
    assertEquals(j("['10.0.0.0/24','fd00::/64']"), at(out, "/spec/podCIDRs"));
    assertEquals(j("[{'type':'Ready','status':'True'},{'type':'MemoryPressure','status':'False'}]"),
        at(out, "/status/conditions"));
    // an item the live list does not have goes before the server-only ones (mergeSortedSlice)
    assertEquals(j("[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'10.1.1.1'}]"),
        at(out, "/status/addresses"));
  }

  @Test
  void ownerReferencesAreMergedByUid() {
    String cm = """
        {'metadata':{'name':'c','ownerReferences':[
          {'apiVersion':'v1','kind':'Pod','name':'a','uid':'u1'},
          {'apiVersion':'v1','kind':'Pod','name':'b','uid':'u2'}]}}""";
    JsonNode out = smp(cm, """
        {'metadata':{'ownerReferences':[{'uid':'u2','controller':true},
          {'$patch':'delete','uid':'u1'},{'apiVersion':'v1','kind':'Pod','name':'c','uid':'u3'}]}}""",
        "v1", "ConfigMap");
    assertEquals(j("""
        [{'apiVersion':'v1','kind':'Pod','name':'b','uid':'u2','controller':true},
         {'apiVersion':'v1','kind':'Pod','name':'c','uid':'u3'}]"""), at(out, "/metadata/ownerReferences"));
  }

  @Test
  void finalizersAreASetAndDeleteFromPrimitiveListRemoves() {
    String cm = "{'metadata':{'name':'c','finalizers':['a','b']},'data':{'k':'v'}}";
    JsonNode added = smp(cm, "{'metadata':{'finalizers':['b','c']}}", "v1", "ConfigMap");
    assertEquals(j("['a','b','c']"), at(added, "/metadata/finalizers"));
    // with no live item named, the new one is put first
    JsonNode prepended = smp(cm, "{'metadata':{'finalizers':['z']}}", "v1", "ConfigMap");
    assertEquals(j("['z','a','b']"), at(prepended, "/metadata/finalizers"));
    JsonNode removed = smp(cm, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}", "v1", "ConfigMap");
    assertEquals(j("['b']"), at(removed, "/metadata/finalizers"));
  }

  @Test
  void configMapDataIsAPlainMap() {
    JsonNode out = smp("{'metadata':{'name':'c'},'data':{'a':'1','b':'2'}}", "{'data':{'a':null,'c':'3'}}",
        "v1", "ConfigMap");
    assertEquals(j("{'b':'2','c':'3'}"), out.get("data"));
  }

  @Test
  void serviceAccountMergesSecretsButReplacesImagePullSecrets() {
    String sa = """
        {'metadata':{'name':'sa'},'secrets':[{'name':'t1'}],'imagePullSecrets':[{'name':'r1'}]}""";
    JsonNode out = smp(sa, "{'secrets':[{'name':'t2'}],'imagePullSecrets':[{'name':'r2'}]}", "v1",
        "ServiceAccount");
    assertEquals(j("[{'name':'t2'},{'name':'t1'}]"), out.get("secrets"));
    assertEquals(j("[{'name':'r2'}]"), out.get("imagePullSecrets"));
  }

  @Test
  void servicePortsAreMergedByPort() {
    String svc = """
        {'metadata':{'name':'s'},'spec':{'selector':{'app':'a'},
          'ports':[{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443}]}}""";
    JsonNode out = smp(svc, "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}", "v1", "Service");
    assertEquals(j("[{'name':'http','port':80,'targetPort':9090},{'name':'https','port':443}]"),
        at(out, "/spec/ports"));
  }

  @Test
  void rbacRulesAreReplaced() {
    String role = "{'metadata':{'name':'r'},'rules':[{'apiGroups':[''],'resources':['pods'],'verbs':['get']}]}";
    JsonNode out = smp(role, "{'rules':[{'apiGroups':[''],'resources':['secrets'],'verbs':['list']}]}",
        "rbac.authorization.k8s.io/v1", "Role");
    assertEquals(j("[{'apiGroups':[''],'resources':['secrets'],'verbs':['list']}]"), out.get("rules"));
  }

  @Test
  void jobAndCronJobTemplatesMergeContainers() {
    String job = "{'metadata':{'name':'j'},'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'}]}}}}";
    JsonNode out = smp(job, "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}",
        "batch/v1", "Job");
    assertEquals(2, at(out, "/spec/template/spec/containers").size());
    String cron = "{'metadata':{'name':'c'},'spec':{'schedule':'* * * * *','jobTemplate':{'spec':{'template':"
        + "{'spec':{'containers':[{'name':'a','image':'1'}]}}}}}}";
    JsonNode cronOut = smp(cron,
        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}}}",
        "batch/v1", "CronJob");
    assertEquals(j("[{'name':'a','image':'2'}]"), at(cronOut, "/spec/jobTemplate/spec/template/spec/containers"));
  }

  @Test
  void kubectlRolloutRestartAddsATemplateAnnotation() {
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':'2025-01-01T00:00:00Z'}}}}}""",
        "apps/v1", "Deployment");
    assertEquals(j("{'labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2025-01-01T00:00:00Z'}}"),
        at(out, "/spec/template/metadata"));
  }

  @Test
  void scaleAndStatusConditionsOfADeployment() {
    JsonNode out = smp(DEPLOYMENT, """
        {'spec':{'replicas':3},'status':{'conditions':[{'type':'Progressing','status':'False','reason':'X'}]}}""",
        "apps/v1", "Deployment");
    assertEquals(3, at(out, "/spec/replicas").asInt());
    assertEquals(j("[{'type':'Available','status':'True'},{'type':'Progressing','status':'False','reason':'X'}]"),
        at(out, "/status/conditions"));
  }

  @Test
  void pdbSelectorHasTheReplaceStrategy() {
    String pdb = "{'metadata':{'name':'p'},'spec':{'minAvailable':1,'selector':{'matchLabels':{'a':'1','b':'2'}}}}";
    JsonNode out = smp(pdb, "{'spec':{'selector':{'matchLabels':{'c':'3'}}}}", "policy/v1", "PodDisruptionBudget");
    assertEquals(j("{'matchLabels':{'c':'3'}}"), at(out, "/spec/selector"));
    assertEquals(1, at(out, "/spec/minAvailable").asInt());
  }

  @Test
  void unknownKindsGetObjectMetaRulesAndReplaceTheirLists() {
    String obj = "{'metadata':{'name':'x','finalizers':['a']},'spec':{'items':[{'name':'a'}],'m':{'k':'v'}}}";
    JsonNode out = smp(obj, "{'metadata':{'finalizers':['b']},'spec':{'items':[{'name':'b'}],'m':{'k2':'v2'}}}",
        "example.com/v1", "Widget");
    assertEquals(j("['b','a']"), at(out, "/metadata/finalizers"));
    assertEquals(j("[{'name':'b'}]"), at(out, "/spec/items"));
    assertEquals(j("{'k':'v','k2':'v2'}"), at(out, "/spec/m"));
  }

  @Test
  void newValuesLoseTheirNullsAndDirectives() {
    JsonNode out = smp("{'metadata':{'name':'c'}}",
        "{'data':{'a':'1','b':null},'spec':{'x':{'$patch':'delete'},'y':[{'$patch':'delete'},1]}}", "v1", "ConfigMap");
    assertEquals(j("{'metadata':{'name':'c'},'data':{'a':'1'},'spec':{'y':[1]}}"), out);
  }

  @Test
  void replaceOfTheWholeObject() {
    JsonNode out = smp(DEPLOYMENT, "{'$patch':'replace','metadata':{'name':'web'}}", "apps/v1", "Deployment");
    assertEquals(j("{'metadata':{'name':'web'}}"), out);
  }

  @Test
  void nullPatchIsANoOp() {
    JsonNode original = j(DEPLOYMENT);
    assertEquals(original, StrategicMergePatch.apply(original, j("null"), "apps/v1", "Deployment"));
  }

  @Test
  void theInputsAreNotModified() {
    ObjectNode original = (ObjectNode) j(DEPLOYMENT);
    JsonNode patch = j("{'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'x'}]}}}}");
    StrategicMergePatch.apply(original, patch, "apps/v1", "Deployment");
    assertEquals(j(DEPLOYMENT), original);
    assertEquals(j("{'spec':{'template':{'spec':{'containers':[{'name':'nginx','image':'x'}]}}}}"), patch);
  }

  // ---------------------------------------------------------------- errors, with kube's codes

  @Test
  void aNonObjectPatchIsABadRequest() {
    PatchException e = assertThrows(PatchException.class, () -> smp(DEPLOYMENT, "[1]", "apps/v1", "Deployment"));
    assertEquals(400, e.code());
    assertEquals("json: cannot unmarshal array into Go value of type map[string]interface {}", e.getMessage());
  }

  @Test
  void patchMergeDirectiveIsRejected() {
    PatchException inList = assertThrows(PatchException.class, () -> smp(DEPLOYMENT,
        "{'spec':{'template':{'spec':{'containers':[{'$patch':'merge','name':'nginx'}]}}}}", "apps/v1", "Deployment"));
    assertEquals(500, inList.code());
    assertEquals("merging lists cannot yet be specified in the patch", inList.getMessage());
    PatchException inMap = assertThrows(PatchException.class,
        () -> smp(DEPLOYMENT, "{'spec':{'$patch':'merge'}}", "apps/v1", "Deployment"));
    assertEquals("unknown patch type: merge in map: map[$patch:merge]", inMap.getMessage());
  }

  @Test
  void badSetElementOrderAndDeleteListKeysAreBadRequests() {
    PatchException order = assertThrows(PatchException.class,
        () -> smp(DEPLOYMENT, "{'spec':{'$setElementOrderX':[]}}", "apps/v1", "Deployment"));
    assertEquals(400, order.code());
    assertEquals("invalid patch format of setElementOrder list", order.getMessage());
    PatchException del = assertThrows(PatchException.class,
        () -> smp(DEPLOYMENT, "{'metadata':{'$deleteFromPrimitiveListfinalizers':['a']}}", "apps/v1", "Deployment"));
    assertEquals(400, del.code());
    assertEquals("invalid patch format of primitive list", del.getMessage());
  }

  @Test
  void listsOfListsAreUnprocessable() {
    // only the first element is checked for being a list (after that it is a type mismatch)
    PatchException e = assertThrows(PatchException.class, () -> smp("{'metadata':{'finalizers':[]}}",
        "{'metadata':{'finalizers':[['b']]}}", "v1", "ConfigMap"));
    assertEquals(422, e.code());
    assertEquals(PatchException.UNPROCESSABLE_MESSAGE, e.getMessage());
    assertEquals("lists of lists are not supported", e.detail());
  }

  @Test
  void aMergeListElementWithoutItsKeyIsA500() {
    PatchException e = assertThrows(PatchException.class, () -> smp(DEPLOYMENT,
        "{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}", "apps/v1", "Deployment"));
    assertEquals(500, e.code());
    assertEquals("map: map[image:x] does not contain declared merge key: name", e.getMessage());
  }

  @Test
  void mixedElementTypesAreA500() {
    PatchException e = assertThrows(PatchException.class, () -> smp("{'metadata':{'finalizers':['a']}}",
        "{'metadata':{'finalizers':[1]}}", "v1", "ConfigMap"));
    assertEquals(500, e.code());
    assertEquals("list element types are not identical: [[a] [1]]", e.getMessage());
  }
}
