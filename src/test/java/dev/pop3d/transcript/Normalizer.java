package dev.pop3d.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes two servers' transcripts comparable: keeps what the RFCs fix (status indicators, data
 * lines, sizes, bodies, end of stream) and drops what they leave free (the text after
 * {@code +OK}/{@code -ERR}, the values of unique ids).
 */
public final class Normalizer {
    private Normalizer() {}

    public static List<String> normalize(List<TranscriptRunner.Received> received) {
        List<String> out = new ArrayList<>();
        for (TranscriptRunner.Received r : received) {
            out.add(r.line().number() + ": " + normalize(r.lastCommand(), r.value()));
        }
        return out;
    }

    static String normalize(String lastCommand, String value) {
        String command = lastCommand.toUpperCase(Locale.ROOT);
        if (value.startsWith("+OK") || value.startsWith("-ERR")) {
            String status = value.startsWith("+OK") ? "+OK" : "-ERR";
            boolean dataInStatus = command.equals("STAT") || command.matches("LIST \\d+");
            return dataInStatus && status.equals("+OK") ? value : status;
        }
        if (command.equals("UIDL") && value.matches("\\d+ \\S+")) {
            return value.substring(0, value.indexOf(' ')) + " <uid>";
        }
        return value;
    }
}
