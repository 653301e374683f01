package dev.pop3d.intake.protocol;

import java.util.Optional;

/**
 * The parameters of MAIL FROM that the intake offers: SIZE (RFC 1870) and BODY (RFC 6152); any
 * other is refused with 555 (RFC 5321 §4.1.1.11: parameters not recognised).
 *
 * @param size    the declared size, or -1
 * @param refusal the reply when the parameters are refused
 */
record MailParameters(long size, Optional<IntakeReply> refusal) {
    static MailParameters parse(String text, long maxMessageSize) {
        long size = -1;
        for (String parameter : PathParser.words(text)) {
            String[] kv = PathParser.parameter(parameter);
            switch (kv[0]) {
                case "SIZE" -> {
                    if (kv[1] == null || !kv[1].matches("[0-9]{1,18}")) {
                        return refused(501, "5.5.4 Bad SIZE value");
                    }
                    size = Long.parseLong(kv[1]);
                    if (size > maxMessageSize) { // RFC 1870 §6.1
                        return refused(552, "5.3.4 Message size exceeds fixed maximum message size");
                    }
                }
                case "BODY" -> {
                    if (kv[1] == null || !(kv[1].equalsIgnoreCase("7BIT") || kv[1].equalsIgnoreCase("8BITMIME"))) {
                        return refused(501, "5.5.4 Bad BODY value");
                    }
                }
                default -> {
                    return refused(555, "5.5.4 Unsupported parameter " + PathParser.printable(kv[0]));
                }
            }
        }
        return new MailParameters(size, Optional.empty());
    }

    private static MailParameters refused(int code, String text) {
        return new MailParameters(-1, Optional.of(IntakeReply.of(code, text)));
    }
}
