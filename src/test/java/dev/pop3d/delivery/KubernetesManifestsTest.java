package dev.pop3d.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The k8s/ manifests, offline: parsed into the Kubernetes object model (unknown kinds and unknown
 * fields fail), required fields present, and consistent with the Dockerfile and the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
    private final List<HasMetadata> objects = new ArrayList<>();
    private String dockerfile;
    private final Map<Path, String> texts = new java.util.TreeMap<>();

    @BeforeAll
    void parse() throws Exception {
        KubernetesSerialization serialization = new KubernetesSerialization();
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList())) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                texts.put(file, Files.readString(file));
                for (String document : Files.readString(file).split("(?m)^---$")) {
                    if (document.isBlank()) {
                        continue;
                    }
                    Object parsed = serialization.unmarshal(document);
                    assertFalse(parsed instanceof GenericKubernetesResource, file + ": unknown kind");
                    HasMetadata object = (HasMetadata) parsed;
                    assertEquals(List.of(), unknownFields(object, "", new IdentityHashMap<>()), file + ": unknown fields");
                    objects.add(object);
                }
            }
        }
        dockerfile = Files.readString(Path.of("Dockerfile"));
    }

    /** Every non-empty getAdditionalProperties() below the object: a misspelt or misplaced field. */
    private static List<String> unknownFields(Object node, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> found = new ArrayList<>();
        if (node == null || seen.put(node, true) != null || !node.getClass().getName().startsWith("io.fabric8")) {
            return found;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + " " + extra.keySet());
                }
            } else if (value instanceof Collection<?> items) {
                for (Object item : items) {
                    found.addAll(unknownFields(item, path + "." + getter.getName(), seen));
                }
            } else if (value != null && value.getClass().getName().startsWith("io.fabric8")) {
                found.addAll(unknownFields(value, path + "." + getter.getName(), seen));
            }
        }
        return found;
    }

    private <T> T one(Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).collect(Collectors.toList());
        assertEquals(1, found.size(), kind.getSimpleName());
        return found.get(0);
    }

    private Deployment deployment() {
        return one(Deployment.class);
    }

    private Container container() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyKindWeNeedIsThere() {
        Set<String> kinds = objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertEquals(Set.of("ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service",
                "PodDisruptionBudget", "NetworkPolicy"), kinds);
    }

    @Test
    void theKustomizationListsEveryManifest() throws Exception {
        String kustomization = Files.readString(Path.of("k8s/kustomization.yaml"));
        for (Path file : texts.keySet()) {
            assertTrue(kustomization.contains("  - " + file.getFileName() + "\n"), file + " not in kustomization.yaml");
        }
    }

    @Test
    void imageUserPortsAndVolumesMatchTheDockerfile() {
        Container c = container();
        assertTrue(c.getImage().startsWith("localhost/pop3d:"), c.getImage());
        assertEquals("IfNotPresent", c.getImagePullPolicy());
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        assertTrue(dockerfile.contains("USER " + pod.getSecurityContext().getRunAsUser()));
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        Map<String, ContainerPort> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, p -> p));
        assertEquals(1110, ports.get("pop3").getContainerPort());
        assertEquals("UDP", ports.get("conf1").getProtocol());
        assertEquals(9090, ports.get("conf1").getContainerPort());
        assertEquals(8080, ports.get("http").getContainerPort());
        assertEquals(1995, ports.get("pop3s").getContainerPort());
        assertEquals(2424, ports.get("lmtp").getContainerPort());
        assertTrue(dockerfile.contains("EXPOSE 1110 1995 2424 2525 9090/udp 8080"));
        Map<String, String> mounts = c.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
        assertEquals("/data", mounts.get("data"));
        assertTrue(dockerfile.contains("VOLUME /data"));
        assertEquals("/tmp", mounts.get("tmp"));
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        assertTrue(volumes.get("tmp").getEmptyDir() != null, "/tmp is an emptyDir on a read-only root");
        assertEquals(one(PersistentVolumeClaim.class).getMetadata().getName(),
                volumes.get("data").getPersistentVolumeClaim().getClaimName());
        assertEquals(one(Secret.class).getMetadata().getName(), volumes.get("secrets").getSecret().getSecretName());
        assertTrue(c.getResources().getRequests().containsKey("memory") && c.getResources().getLimits().containsKey("memory"));
    }

    /**
     * java is PID 1 in the image and does not reap orphans of filters: the pod's pause container
     * must be PID 1 (shared process namespace), as the Dockerfile says.
     */
    @Test
    void thePauseContainerReapsOrphans() {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getShareProcessNamespace(), "shareProcessNamespace: true");
        assertEquals(1, pod.getContainers().size(), "one container: sharing its namespace exposes no other");
        assertTrue(dockerfile.contains("shareProcessNamespace: true"), "the Dockerfile names the choice");
    }

    @Test
    void probesPointAtTheHealthEndpointsOnTheHttpPort() {
        Container c = container();
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
    }

    @Test
    void configurationIsDemoOffWithSecretsAsFiles() {
        Map<String, String> config = one(ConfigMap.class).getData();
        assertEquals("false", config.get("POP3_DEMO_ENABLED"));
        String mount = container().getVolumeMounts().stream().filter(m -> m.getName().equals("secrets"))
                .findFirst().orElseThrow().getMountPath();
        Secret secret = one(Secret.class);
        for (String key : List.of("POP3_USERS_FILE", "CONF1_TOKEN_FILE")) {
            String file = config.get(key);
            assertTrue(file.startsWith(mount + "/"), key);
            assertTrue(secret.getStringData().containsKey(file.substring(mount.length() + 1)), key);
        }
        // shipped values must fail validation (the server refuses them, exit 78): nothing to copy that works
        assertEquals("", secret.getStringData().get("conf1-token"), "the shipped CONF1 token is empty");
        String users = secret.getStringData().get("users");
        List<String> lines = Arrays.stream(users.split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertFalse(lines.isEmpty(), "the users file says what to put there");
        assertTrue(lines.stream().allMatch(l -> l.strip().startsWith("#")), "the shipped users file holds no user: " + users);
        assertTrue(users.contains("hash-password"), users);
    }

    @Test
    void noWorkingPlaceholderSecretAnywhere() throws Exception {
        Map<Path, String> shipped = new java.util.TreeMap<>(texts);
        for (String file : List.of("docker-compose.yml", "docker-compose.override.yml", "docker-compose.ci.yml",
                "docker-compose.noipv6.yml", "Dockerfile")) {
            shipped.put(Path.of(file), Files.readString(Path.of(file)));
        }
        for (Map.Entry<Path, String> file : shipped.entrySet()) {
            for (String placeholder : List.of("replaceMeX", "change-me-now", "ChangeMeXY", "adminadmin", "$2a$10$w7A6")) {
                assertFalse(file.getValue().contains(placeholder), file.getKey() + " ships " + placeholder);
            }
            assertFalse(file.getValue().matches("(?s).*\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}.*"),
                    file.getKey() + " ships a bcrypt hash");
        }
    }

    @Test
    void servicesAndBudgetSelectThePods() {
        Map<String, String> labels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(deployment().getSpec().getSelector().getMatchLabels().entrySet()));
        List<Service> services = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .collect(Collectors.toList());
        assertEquals(3, services.size());
        for (Service service : services) {
            assertTrue(labels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), service.getMetadata().getName());
        }
        Service conf1 = services.stream().filter(s -> s.getSpec().getPorts().get(0).getProtocol().equals("UDP"))
                .findFirst().orElseThrow();
        assertEquals("None", conf1.getSpec().getClusterIP(), "CONF1 is per pod: headless, never load-balanced");
        Service lmtp = services.stream().filter(s -> s.getMetadata().getName().equals("pop3d-lmtp")).findFirst().orElseThrow();
        assertEquals("ClusterIP", lmtp.getSpec().getType(), "LMTP has no authentication: never on the public LoadBalancer");
        assertEquals("lmtp", lmtp.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        Service pop3 = services.stream().filter(s -> s != conf1 && s != lmtp).findFirst().orElseThrow();
        assertEquals("pop3", pop3.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(995, pop3.getSpec().getPorts().get(1).getPort());
        assertEquals("pop3s", pop3.getSpec().getPorts().get(1).getTargetPort().getStrVal());
        assertEquals("Local", pop3.getSpec().getExternalTrafficPolicy(),
                "client addresses preserved: per-address limits and penalties see real clients");
        ConfigMap config = one(ConfigMap.class);
        String certFile = config.getData().get("POP3_TLS_CERT_FILE");
        assertTrue(certFile != null && certFile.startsWith("/etc/pop3d/tls/"), "TLS configured from the mounted Secret");
        assertTrue(deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getSecret() != null && "pop3d-tls".equals(v.getSecret().getSecretName())));
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertTrue(labels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals(List.of("ReadWriteMany"), one(PersistentVolumeClaim.class).getSpec().getAccessModes());
        assertEquals(null, one(PersistentVolumeClaim.class).getSpec().getStorageClassName(),
                "no storage class: the operator chooses a ReadWriteMany one (README)");
        assertTrue(texts.get(Path.of("k8s/pvc.yaml")).contains("# ") && texts.get(Path.of("k8s/pvc.yaml")).contains("storageClassName"),
                "pvc.yaml says how to choose the class");
        assertEquals("true", deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"));
    }

    @Test
    void replicasSpreadWithoutEverStallingARollout() {
        Map<String, String> labels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        List<TopologySpreadConstraint> spread = deployment().getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertFalse(spread == null || spread.isEmpty(), "topologySpreadConstraints");
        assertTrue(spread.stream().anyMatch(c -> c.getTopologyKey().equals("kubernetes.io/hostname")));
        for (TopologySpreadConstraint c : spread) {
            assertEquals("ScheduleAnyway", c.getWhenUnsatisfiable(), c.getTopologyKey());
            assertTrue(labels.entrySet().containsAll(c.getLabelSelector().getMatchLabels().entrySet()), c.getTopologyKey());
        }
    }

    @Test
    void theNetworkPolicyAdmitsPop3FromAnywhereAndAdministrationOnlyFromAdminsAndMonitoring() {
        NetworkPolicy policy = one(NetworkPolicy.class);
        Map<String, String> labels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet()),
                "the policy selects the pods");
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        Map<String, ContainerPort> ports = container().getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, p -> p));
        Map<String, List<NetworkPolicyIngressRule>> rulesByPort = new java.util.HashMap<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            for (NetworkPolicyPort port : rule.getPorts()) {
                String name = port.getPort().getStrVal();
                ContainerPort target = name != null ? ports.get(name) : ports.values().stream()
                        .filter(p -> p.getContainerPort().equals(port.getPort().getIntVal())).findFirst().orElse(null);
                assertTrue(target != null, "port " + port.getPort() + " is no container port");
                assertEquals(target.getProtocol(), port.getProtocol(), target.getName());
                rulesByPort.computeIfAbsent(target.getName(), k -> new ArrayList<>()).add(rule);
            }
        }
        assertEquals(ports.keySet(), rulesByPort.keySet(), "every container port is admitted from somewhere");
        assertTrue(rulesByPort.get("pop3").stream().anyMatch(r -> r.getFrom() == null || r.getFrom().isEmpty()),
                "POP3 from anywhere");
        for (String admin : List.of("conf1", "http")) {
            for (NetworkPolicyIngressRule rule : rulesByPort.get(admin)) {
                assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), admin + " must not be open to all");
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertTrue(peer.getIpBlock() == null, admin + ": no address blocks");
                    assertTrue(isAdminPods(peer) || isMonitoringNamespace(peer), admin + ": " + peer);
                }
            }
            assertTrue(rulesByPort.get(admin).stream().flatMap(r -> r.getFrom().stream()).anyMatch(KubernetesManifestsTest::isAdminPods),
                    admin + " from pods labelled pop3d-admin=true");
        }
        assertTrue(rulesByPort.get("http").stream().flatMap(r -> r.getFrom().stream())
                .anyMatch(KubernetesManifestsTest::isMonitoringNamespace), "Prometheus scrapes /q/metrics");
        assertTrue(rulesByPort.get("lmtp").stream().allMatch(r -> r.getFrom() != null && !r.getFrom().isEmpty()
                && r.getFrom().stream().allMatch(KubernetesManifestsTest::isMtaPods)), "LMTP only from pop3d-mta pods");
        assertTrue(texts.get(Path.of("k8s/networkpolicy.yaml")).toLowerCase(java.util.Locale.ROOT).contains("probe"),
                "the policy says what happens to kubelet probes");
    }

    /**
     * Pods of this namespace labelled pop3d-admin=true, as matchExpressions: kustomize adds its labels to
     * every matchLabels of a NetworkPolicy, which would also demand app.kubernetes.io/name of admin pods.
     */
    private static boolean isAdminPods(NetworkPolicyPeer peer) {
        return peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                && (peer.getPodSelector().getMatchLabels() == null || peer.getPodSelector().getMatchLabels().isEmpty())
                && peer.getPodSelector().getMatchExpressions().size() == 1
                && peer.getPodSelector().getMatchExpressions().get(0).getKey().equals("pop3d-admin")
                && peer.getPodSelector().getMatchExpressions().get(0).getOperator().equals("In")
                && peer.getPodSelector().getMatchExpressions().get(0).getValues().equals(List.of("true"));
    }

    /** Pods of this namespace labelled pop3d-mta=true (as matchExpressions, for the reason above). */
    private static boolean isMtaPods(NetworkPolicyPeer peer) {
        return peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                && (peer.getPodSelector().getMatchLabels() == null || peer.getPodSelector().getMatchLabels().isEmpty())
                && peer.getPodSelector().getMatchExpressions().size() == 1
                && peer.getPodSelector().getMatchExpressions().get(0).getKey().equals("pop3d-mta")
                && peer.getPodSelector().getMatchExpressions().get(0).getValues().equals(List.of("true"));
    }

    private static boolean isMonitoringNamespace(NetworkPolicyPeer peer) {
        return peer.getPodSelector() == null && peer.getNamespaceSelector() != null
                && Map.of("kubernetes.io/metadata.name", "monitoring").equals(peer.getNamespaceSelector().getMatchLabels());
    }
}
