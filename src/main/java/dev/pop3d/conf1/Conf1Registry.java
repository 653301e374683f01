package dev.pop3d.conf1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CONF1 objects, in {@code GET INF} order: read-only first (INF first), then writable. INF is
 * derived from this registry, so an object cannot exist without being listed.
 */
public final class Conf1Registry {
    private final Map<String, Conf1Object> objects = new LinkedHashMap<>();

    public Conf1Registry(List<Conf1Object> others) {
        objects.put("INF", new Conf1Object() {
            public String code() { return "INF"; }

            public boolean writable() { return false; }

            public Conf1Reply get() { return Conf1Reply.suc("Valid object codes: " + listing()); }
        });
        others.stream().filter(o -> !o.writable()).forEach(o -> objects.put(o.code(), o));
        others.stream().filter(Conf1Object::writable).forEach(o -> objects.put(o.code(), o));
    }

    public Optional<Conf1Object> find(String code) {
        return Optional.ofNullable(objects.get(code));
    }

    /** "INF, HTU, ... | LGF, MDF, ..." (CONF1.md GET INF). */
    String listing() {
        List<String> readOnly = new ArrayList<>();
        List<String> writable = new ArrayList<>();
        objects.values().forEach(o -> (o.writable() ? writable : readOnly).add(o.code()));
        return String.join(", ", readOnly) + " | " + String.join(", ", writable);
    }

    /** Runs an authorized request. */
    public Conf1Reply handle(Conf1Request request) {
        Optional<Conf1Object> object = find(request.object());
        if (object.isEmpty()) {
            return Conf1Reply.err("Unknown object code: " + request.object());
        }
        return request.verb() == Conf1Request.Verb.GET ? object.get().get()
                : object.get().set(request.argument().orElseThrow());
    }
}
