package dev.pop3d.conf1.objects;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import java.util.function.LongSupplier;

/** Read-only numeric objects: HTU, CCU, BTF, BUF (CONF1.md answer texts). */
public final class Counters {
    private Counters() {}

    public static Conf1Object htu(LongSupplier historicLogins) {
        return readOnly("HTU", "Historic total users", historicLogins);
    }

    public static Conf1Object ccu(LongSupplier loggedInNow) {
        return readOnly("CCU", "Concurrent users", loggedInNow);
    }

    public static Conf1Object btf(LongSupplier bytesSent) {
        return readOnly("BTF", "Bytes transferred", bytesSent);
    }

    public static Conf1Object buf(int bufferSize) {
        return readOnly("BUF", "Buffer size", () -> bufferSize);
    }

    private static Conf1Object readOnly(String code, String label, LongSupplier value) {
        return new Conf1Object() {
            public String code() { return code; }

            public boolean writable() { return false; }

            public Conf1Reply get() { return Conf1Reply.suc(label + ": " + value.getAsLong()); }
        };
    }
}
