package dev.pop3d.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOASConfig;
import io.smallrye.openapi.api.SmallRyeOpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document (src/main/resources/dev/pop3d/admin/openapi.yaml and .json, served by
 * {@link OpenApiRoute}) is what SmallRye OpenAPI generates from the compiled admin classes now: it can
 * never drift from the code. {@code -Dopenapi.write=true} rewrites the files.
 */
class OpenApiDocumentTest {
    static final String TITLE = "pop3d admin API";
    static final String DESCRIPTION =
            "Test users and their mail in the test-server mode (README: Test-server mode and the admin API)";
    private static final Path COMMITTED = Path.of("src/main/resources/dev/pop3d/admin");
    private static final String UPDATE = "mvn -B -o test -Dfuzz.skip=true -Dtest=OpenApiDocumentTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.write=true";

    @Test
    void theCommittedDocumentIsTheGeneratedOne() throws Exception {
        SmallRyeOpenAPI generated = generate();
        Map<String, String> files = Map.of(OpenApiRoute.YAML, generated.toYAML(), OpenApiRoute.JSON, generated.toJSON());
        if (Boolean.getBoolean("openapi.write")) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(COMMITTED.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path committed = COMMITTED.resolve(file.getKey());
            assertTrue(Files.exists(committed), committed + " is missing: run " + UPDATE);
            assertEquals(file.getValue(), Files.readString(committed, StandardCharsets.UTF_8),
                    committed + " differs from what SmallRye OpenAPI generates from the admin classes: review the "
                            + "change, then run " + UPDATE + " and commit the two files");
        }
    }

    @Test
    void theDocumentDescribesEveryOperationOfTheApi() throws Exception {
        SmallRyeOpenAPI generated = generate();
        assertEquals(TITLE, generated.model().getInfo().getTitle());
        assertEquals(System.getProperty("pop3d.version"), generated.model().getInfo().getVersion());
        var paths = generated.model().getPaths().getPathItems();
        assertNotNull(paths.get("/api/users").getPOST());
        assertNotNull(paths.get("/api/users/{name}").getDELETE());
        assertNotNull(paths.get("/api/users/{name}/messages").getGET());
        assertNotNull(paths.get("/api/users/{name}/messages").getPOST());
        assertNotNull(paths.get("/api/users/{name}/messages").getDELETE());
        assertNotNull(paths.get("/api/messages").getDELETE());
        assertNotNull(paths.get("/api/reset").getPOST());
        assertEquals(List.of("bearer"), List.copyOf(generated.model().getComponents().getSecuritySchemes().keySet()));
    }

    @Test
    void theRouteServesTheCommittedFilesAndChoosesJsonAsSmallRyeDid() throws IOException {
        OpenApiRoute.Document doc = OpenApiRoute.load();
        assertEquals(Files.readString(COMMITTED.resolve(OpenApiRoute.YAML)), new String(doc.yaml(), StandardCharsets.UTF_8));
        assertEquals(Files.readString(COMMITTED.resolve(OpenApiRoute.JSON)), new String(doc.json(), StandardCharsets.UTF_8));
        assertFalse(OpenApiRoute.wantsJson("/q/openapi", null, null));
        assertFalse(OpenApiRoute.wantsJson("/q/openapi", "yaml", "text/plain, */*"));
        assertTrue(OpenApiRoute.wantsJson("/q/openapi", "JSON", null));
        assertTrue(OpenApiRoute.wantsJson("/q/openapi", null, "text/html, application/json;q=0.9"));
        assertTrue(OpenApiRoute.wantsJson("/q/openapi.json", null, null));
        assertFalse(OpenApiRoute.wantsJson("/q/openapi.yaml", "json", "application/json"));
    }

    /** SmallRye OpenAPI's scanner over a Jandex index of every compiled class of dev.pop3d.admin. */
    static SmallRyeOpenAPI generate() throws IOException, URISyntaxException {
        String version = System.getProperty("pop3d.version");
        assertNotNull(version, "run through Maven: surefire sets pop3d.version to the project's version");
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                SmallRyeOASConfig.INFO_TITLE, TITLE,
                SmallRyeOASConfig.INFO_DESCRIPTION, DESCRIPTION,
                SmallRyeOASConfig.INFO_VERSION, version,
                // as Quarkus REST answers a method without @Produces/@Consumes
                SmallRyeOASConfig.DEFAULT_PRODUCES, "application/json",
                SmallRyeOASConfig.DEFAULT_CONSUMES, "application/json"), "pop3d-openapi", 100)).build();
        return SmallRyeOpenAPI.builder()
                .withConfig(config)
                .withIndex(adminIndex())
                .withApplicationClassLoader(OpenApiDocumentTest.class.getClassLoader())
                .withScannerClassLoader(OpenApiDocumentTest.class.getClassLoader())
                .enableModelReader(false)
                .enableStandardStaticFiles(false)
                .build();
    }

    private static Index adminIndex() throws IOException, URISyntaxException {
        Path classes = Path.of(AdminResource.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/pop3d/admin");
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }
}
