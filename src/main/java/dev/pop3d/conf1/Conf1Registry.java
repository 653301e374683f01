package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
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
    private static final List<String> SEED_ORDER =
            List.of("INF", "HTU", "CCU", "BTF", "BUF", "LGF", "MDF", "ATT", "TRF", "TFN");
    private final Map<String, Conf1Object> objects = new LinkedHashMap<>();

    public Conf1Registry(List<Conf1Object> others) {
        objects.put("INF", new Conf1Object() {
            public String code() { return "INF"; }

            public boolean writable() { return false; }

            public Conf1Reply get() { return Conf1Reply.suc("Valid object codes: " + listing()); }
        });
        List<Conf1Object> ordered = new ArrayList<>(others);
        ordered.sort(java.util.Comparator.comparingInt(Conf1Registry::seedRank)); // stable: the rest keep their order
        ordered.stream().filter(o -> !o.writable()).forEach(o -> put(o));
        ordered.stream().filter(Conf1Object::writable).forEach(o -> put(o));
    }

    private void put(Conf1Object object) {
        if (objects.putIfAbsent(object.code(), object) != null) {
            throw new IllegalArgumentException("CONF1 object " + object.code() + " is contributed twice");
        }
    }

    /** The seed's objects keep the seed's order (CONF1.md GET INF); others follow as contributed. */
    private static int seedRank(Conf1Object object) {
        int rank = SEED_ORDER.indexOf(object.code());
        return rank < 0 ? SEED_ORDER.size() : rank;
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
