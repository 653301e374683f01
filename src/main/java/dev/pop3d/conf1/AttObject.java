package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.live.LiveSettings;

/** ATT: the authorization token; never shown, exactly 10 letters, in force for the next request. */
public final class AttObject implements Conf1Object {
    private final LiveSettings live;

    public AttObject(LiveSettings live) {
        this.live = live;
    }

    /** CONF1.md: exactly 10 ASCII letters. */
    public static boolean valid(String token) {
        return token.length() == 10 && token.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }

    public String code() { return "ATT"; }

    public boolean writable() { return true; }

    public Conf1Reply get() {
        return Conf1Reply.suc("Authorization token: **********");
    }

    public Conf1Reply set(String argument) {
        if (!valid(argument)) {
            return Conf1Reply.err("ATT must be exactly 10 ASCII letters");
        }
        live.update(s -> s.withToken(argument));
        return Conf1Reply.suc("New authorization token set");
    }
}
