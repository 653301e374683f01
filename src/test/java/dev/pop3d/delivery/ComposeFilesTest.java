package dev.pop3d.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compose files, offline: the overrides CI runs (host network, no IPv6) give EVERY service of
 * docker-compose.yml a network mode (docker-compose 1.29 creates the project's bridge network for
 * any service without one, even one whose profile is off), and users' defaults hold no secret.
 */
class ComposeFilesTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode services(String file) throws Exception {
        return YAML.readTree(Path.of(file).toFile()).get("services");
    }

    private static List<String> names(JsonNode services) {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theOverridesCiRunsLeaveNoServiceOnABridge() throws Exception {
        List<String> all = names(services("docker-compose.yml"));
        assertTrue(all.contains("pop3d"), all.toString());
        for (String override : List.of("docker-compose.ci.yml", "docker-compose.noipv6.yml")) {
            JsonNode services = services(override);
            for (String service : all) {
                JsonNode mode = services.path(service).path("network_mode");
                assertFalse(mode.isMissingNode(), override + ": " + service + " has no network_mode");
            }
        }
    }

    @Test
    void theNoIpv6OverrideIsAUsersNetworkWithoutIpv6AndNothingPublished() throws Exception {
        JsonNode pop3d = services("docker-compose.noipv6.yml").get("pop3d");
        assertEquals("none", pop3d.get("network_mode").asText());
        assertEquals("1", pop3d.get("sysctls").get("net.ipv6.conf.all.disable_ipv6").asText());
        assertTrue(pop3d.path("ports").isMissingNode());
        assertTrue(pop3d.path("environment").isMissingNode(), "no environment: what `docker run IMAGE` gets");
    }

    /**
     * java as PID 1 leaves orphans of filters as zombies: pop3d runs under compose's init
     * (docker-init), and no override CI runs turns it off.
     */
    @Test
    void pop3dRunsUnderAnInitInEveryStack() throws Exception {
        assertTrue(services("docker-compose.yml").get("pop3d").path("init").asBoolean(false), "init: true");
        for (String override : List.of("docker-compose.ci.yml", "docker-compose.noipv6.yml", "docker-compose.override.yml")) {
            JsonNode init = services(override).path("pop3d").path("init");
            assertTrue(init.isMissingNode() || init.asBoolean(), override + " turns the init off");
        }
    }

    @Test
    void theDefaultStackShipsNoToken() throws Exception {
        JsonNode environment = services("docker-compose.yml").get("pop3d").get("environment");
        assertTrue(environment.has("CONF1_TOKEN"), "passed on when set where docker-compose runs");
        assertTrue(environment.get("CONF1_TOKEN").isNull(), "but without a value of its own: " + environment);
    }
}
