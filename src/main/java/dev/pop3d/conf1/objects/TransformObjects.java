package dev.pop3d.conf1.objects;

import dev.pop3d.endpoint.Conf1Object;
import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.live.LiveSettings;
import java.util.List;
import java.util.Optional;

/** TRF (transformation on/off) and TFN (the filter command). */
public final class TransformObjects {
    private TransformObjects() {}

    public static Conf1Object trf(LiveSettings live) {
        return new Conf1Object() {
            public String code() { return "TRF"; }

            public boolean writable() { return true; }

            public Conf1Reply get() { return Conf1Reply.suc("Transformation active: " + live.current().transformEnabled()); }

            public Conf1Reply set(String argument) {
                boolean on;
                if (argument.equalsIgnoreCase("true")) {
                    on = true;
                } else if (argument.equalsIgnoreCase("false")) {
                    on = false;
                } else {
                    return Conf1Reply.err("TRF must be true or false");
                }
                if (on && live.current().transformCommand().isEmpty()) {
                    return Conf1Reply.err("No transformation command set");
                }
                live.update(s -> s.withTransformEnabled(on));
                return Conf1Reply.suc("Transformation set: " + on);
            }
        };
    }

    /**
     * TFN. Only commands of the allow-list ({@code pop3.transform.allowed-commands}) are accepted,
     * on loopback too, unless {@code pop3.transform.unrestricted=true}: an arbitrary shell command
     * from any holder of the token would be code execution as the server's user.
     */
    public static Conf1Object tfn(LiveSettings live, boolean unrestricted, Optional<List<String>> allowed) {
        return new Conf1Object() {
            public String code() { return "TFN"; }

            public boolean writable() { return true; }

            public Conf1Reply get() {
                return Conf1Reply.suc("Transformation command: " + live.current().transformCommand().orElse("(none)"));
            }

            public Conf1Reply set(String argument) {
                Optional<String> problem = Arguments.checkString("TFN", argument);
                if (problem.isPresent()) {
                    return Conf1Reply.err(problem.get());
                }
                if (!unrestricted && !allowed.orElse(List.of()).contains(argument)) {
                    return Conf1Reply.err("Command not in pop3.transform.allowed-commands");
                }
                live.update(s -> s.withTransformCommand(argument));
                return Conf1Reply.suc("New transformation command: " + argument);
            }
        };
    }
}
