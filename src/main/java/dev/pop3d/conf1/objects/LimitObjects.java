package dev.pop3d.conf1.objects;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.live.LiveSettings;
import java.time.Duration;
import java.util.Optional;

/** Further live objects an operator wants: MXC (connection limit) and IDL (idle timeout). */
public final class LimitObjects {
    private LimitObjects() {}

    public static Conf1Object mxc(LiveSettings live) {
        return new Conf1Object() {
            public String code() { return "MXC"; }

            public boolean writable() { return true; }

            public Conf1Reply get() { return Conf1Reply.suc("Max connections: " + live.current().maxConnections()); }

            public Conf1Reply set(String argument) {
                Optional<Long> value = Arguments.integer(argument, 1, 1_000_000);
                if (value.isEmpty()) {
                    return Conf1Reply.err("MXC must be a whole number from 1 to 1000000");
                }
                int max = value.get().intValue();
                live.update(s -> s.withMaxConnections(max));
                return Conf1Reply.suc("New max connections: " + max);
            }
        };
    }

    public static Conf1Object idl(LiveSettings live) {
        return new Conf1Object() {
            public String code() { return "IDL"; }

            public boolean writable() { return true; }

            public Conf1Reply get() {
                return Conf1Reply.suc("Idle timeout seconds: " + live.current().idleTimeout().toSeconds());
            }

            public Conf1Reply set(String argument) {
                Optional<Long> value = Arguments.integer(argument, 1, 86_400);
                if (value.isEmpty()) {
                    return Conf1Reply.err("IDL must be a whole number of seconds from 1 to 86400 (RFC 1939: at least 600)");
                }
                Duration timeout = Duration.ofSeconds(value.get());
                live.update(s -> s.withIdleTimeout(timeout));
                return Conf1Reply.suc("New idle timeout seconds: " + value.get());
            }
        };
    }
}
