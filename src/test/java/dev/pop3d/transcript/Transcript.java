package dev.pop3d.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .pop3} script (STYLE.md §4): fixtures, then client and server lines, runnable against
 * any POP3 host. Lines: {@code @user NAME PASS}, {@code @mail NAME N FILE}, {@code C: line} (sent
 * with CRLF), {@code C> raw} (escaped bytes, sent as they are), {@code S: line} (exact),
 * {@code S~ regex} (full match), {@code S= FILE} (a body equal to FILE in CRLF form, then the
 * terminator), {@code S: <closed>} (end of stream), {@code --- client N} (switch connection).
 */
public record Transcript(Path file, String rule, List<User> users, List<Mail> mails, List<Line> lines) {

    public record User(String name, String password) {}

    public record Mail(String user, int number, Path file) {}

    public enum Kind { SEND, SEND_RAW, EXPECT, EXPECT_REGEX, EXPECT_BODY, EXPECT_CLOSED, SWITCH }

    /** One step, with its line number in the script for failure messages. */
    public record Line(int number, Kind kind, String text) {}

    public static Transcript parse(Path file) throws IOException {
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        String rule = null;
        List<User> users = new ArrayList<>();
        List<Mail> mails = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i);
            int number = i + 1;
            if (text.isBlank()) {
                continue;
            }
            if (text.startsWith("#")) {
                rule = rule == null ? text.substring(1).strip() : rule;
            } else if (text.startsWith("@user ")) {
                String[] f = text.split(" ", 3);
                users.add(new User(f[1], f[2]));
            } else if (text.startsWith("@mail ")) {
                String[] f = text.split(" ", 4);
                mails.add(new Mail(f[1], Integer.parseInt(f[2]), file.resolveSibling(f[3])));
            } else if (text.startsWith("--- client ")) {
                lines.add(new Line(number, Kind.SWITCH, text.substring("--- client ".length()).strip()));
            } else if (text.equals("S: <closed>")) {
                lines.add(new Line(number, Kind.EXPECT_CLOSED, ""));
            } else if (text.length() >= 3 && text.charAt(2) == ' ' || text.length() == 2) {
                String prefix = text.substring(0, 2);
                String rest = text.length() > 3 ? text.substring(3) : "";
                Kind kind = switch (prefix) {
                    case "C:" -> Kind.SEND;
                    case "C>" -> Kind.SEND_RAW;
                    case "S:" -> Kind.EXPECT;
                    case "S~" -> Kind.EXPECT_REGEX;
                    case "S=" -> Kind.EXPECT_BODY;
                    default -> throw new IllegalArgumentException(file + ":" + number + ": unknown line " + text);
                };
                lines.add(new Line(number, kind, rest));
            } else {
                throw new IllegalArgumentException(file + ":" + number + ": unknown line " + text);
            }
        }
        if (rule == null) {
            throw new IllegalArgumentException(file + ": the first comment must state the rule and its RFC section");
        }
        return new Transcript(file, rule, users, mails, lines);
    }

    /** {@code \r \n \t \0 \\ \xHH} escapes of {@code C>} lines. */
    static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.write(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }
}
