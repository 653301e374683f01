package dev.pop3d.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pop3d.pop3.protocol.Compliance;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** README's tables are documentation of the code: one source, checked here. */
class ReadmeConfigTest {

    @Test
    void configTableMatchesTheMapping() throws IOException {
        Map<String, String> fromCode = new TreeMap<>();
        walk(Pop3Config.class, "pop3", fromCode);
        walk(Conf1Config.class, "conf1", fromCode);
        walk(HdrpConfig.class, "hdrp", fromCode);
        Map<String, String> fromReadme = new TreeMap<>();
        table("config-table").forEach(row -> fromReadme.put(strip(row[0]), row[1].equals("(none)") ? "(none)" : strip(row[1])));
        assertEquals(fromCode, fromReadme);
    }

    @Test
    void complianceTableMatchesTheEnum() throws IOException {
        Map<String, String> fromCode = new TreeMap<>();
        for (Compliance c : Compliance.values()) {
            fromCode.put(c.name(), c.rfc() + " | " + c.reason());
        }
        Map<String, String> fromReadme = new TreeMap<>();
        table("compliance-table").forEach(row -> fromReadme.put(strip(row[0]), row[1] + " | " + row[2]));
        assertEquals(fromCode, fromReadme);
    }

    private static void walk(Class<?> type, String prefix, Map<String, String> out) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            io.smallrye.config.WithName name = method.getAnnotation(io.smallrye.config.WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() != null
                    && returned.getEnclosingClass().getPackage() == Pop3Config.class.getPackage()) {
                walk(returned, key, out);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                out.put(key, value != null ? value.value().replace("${pop3.data-dir:data}", "${pop3.data-dir}")
                        : returned == Optional.class ? "(none)" : "(required)");
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String strip(String cell) {
        return cell.replace("`", "");
    }

    private static java.util.List<String[]> table(String marker) throws IOException {
        java.util.List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("<!-- " + marker)) {
                start = i + 3; // marker, header, separator
            }
        }
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        for (int i = start; start > 0 && i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).substring(1, lines.get(i).length() - 1).split(" \\| ");
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].trim();
            }
            rows.add(cells);
        }
        if (rows.isEmpty()) {
            throw new AssertionError("README has no table after <!-- " + marker);
        }
        return rows;
    }
}
