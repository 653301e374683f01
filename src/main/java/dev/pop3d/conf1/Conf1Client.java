package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Reply;
import dev.pop3d.config.Conf1Config;
import dev.pop3d.config.ConfigFailure;
import dev.pop3d.config.ConfigLoader;
import dev.pop3d.config.InvalidConfigException;
import dev.pop3d.config.Pop3Config;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The operator client: {@code conf1 [--host H] [--port P] [--token-file F] VERB OBJECT [ARG...]}
 * sends one request and prints the answer. The token, port and address default to the server's,
 * from the same configuration: {@code conf1.token-file}, {@code conf1.token}, else the
 * {@code <data-dir>/conf1.token} the server created. {@code --token T} (or the older form with
 * the token before the verb) still works, but shows in {@code ps}. Exit 0 for +SUC, 1 for -ERR,
 * 2 without answer, 64 on usage errors (also: no token to be found). Starts no listener.
 */
@Command(name = "conf1", description = "Send one CONF1 request to the running server and print the answer.",
        footer = {"", "The token is the server's: conf1.token-file, conf1.token, else <data-dir>/conf1.token.",
                "Exit codes: 0 +SUC, 1 -ERR, 2 no answer, 64 usage error.",
                "Example: pop3d conf1 GET CCU"})
public final class Conf1Client implements Callable<Integer> {
    private static final int EX_ERR = 1;
    private static final int EX_NO_ANSWER = 2;
    private static final int EX_USAGE = 64;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Server address (default: the first conf1.host; loopback for a wildcard).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Server UDP port (default: conf1.port).")
    private Integer port;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long to wait for the answer (default: 3000).")
    private int timeoutMs = 3000;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the token (default: the server's).")
    private Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The token itself (visible in ps: prefer the file).")
    private String token;

    @Parameters(arity = "2..*", paramLabel = "REQUEST", description = "VERB OBJECT [ARG...], e.g. GET CCU or SET MXC 50.")
    private List<String> request;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final ConfigLoader.Sources sources;

    public Conf1Client(PrintStream out, PrintStream err, ConfigLoader.Sources sources) {
        this.out = out;
        this.err = err;
        this.sources = sources;
    }

    @Override
    public Integer call() {
        List<String> words = new ArrayList<>(request);
        if (!isVerb(words.get(0)) && words.size() >= 3) {
            // the form before token files: TOKEN VERB OBJECT [ARG]
            if (token != null || tokenFile != null) {
                throw new ParameterException(spec.commandLine(), "a token before the verb and a token option");
            }
            token = words.remove(0);
        }
        if (!isVerb(words.get(0))) {
            throw new ParameterException(spec.commandLine(), "expected GET or SET, got " + words.get(0));
        }
        if (token != null && tokenFile != null) {
            throw new ParameterException(spec.commandLine(), "--token and --token-file exclude each other");
        }
        Target target;
        try {
            target = target();
        } catch (RuntimeException e) {
            List<String> problems = ConfigFailure.problems(e);
            if (problems.isEmpty()) {
                throw e;
            }
            problems.forEach(problem -> err.println("conf1: " + problem));
            return EX_USAGE;
        }
        return send(target, target.token() + " " + String.join(" ", words));
    }

    private record Target(String host, int port, String token) {}

    /** What the options leave open comes from the server's configuration, read only when needed. */
    private Target target() {
        Optional<SmallRyeConfig> config = host != null && port != null && (token != null || tokenFile != null)
                ? Optional.empty() : Optional.of(ConfigLoader.load(sources));
        Conf1Config conf1 = config.map(c -> c.getConfigMapping(Conf1Config.class)).orElse(null);
        String address = host != null ? host : loopbackFor(conf1.host().get(0));
        int udpPort = port != null ? port : conf1.port();
        String secret;
        if (token != null) {
            secret = token;
        } else if (tokenFile != null) {
            secret = Conf1Token.readFile(tokenFile, "--token-file");
        } else {
            Path dataDir = config.get().getConfigMapping(Pop3Config.class).dataDir();
            Conf1Token.Settings settings = Conf1Token.Settings.of(conf1, dataDir);
            secret = Conf1Token.find(settings).orElseThrow(() -> new InvalidConfigException("no CONF1 token yet: the "
                    + "server creates " + settings.dataDirFile() + " at its first start (or give --token-file)")).value();
        }
        return new Target(address, udpPort, secret);
    }

    /** A wildcard listens on loopback too; a datagram to the wildcard itself would not leave. */
    static String loopbackFor(String configured) {
        return switch (configured) {
            case "::", "0.0.0.0", "0:0:0:0:0:0:0:0" -> "127.0.0.1";
            default -> configured;
        };
    }

    private static boolean isVerb(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        return upper.equals("GET") || upper.equals("SET");
    }

    private int send(Target target, String line) {
        byte[] datagram = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(timeoutMs);
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getByName(target.host()), target.port()));
            byte[] buffer = new byte[Conf1Reply.CONF1_MAX_REPLY_OCTETS + 1];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            String text = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII).stripTrailing();
            out.println(text);
            out.flush();
            return text.startsWith("+SUC") ? 0 : EX_ERR;
        } catch (SocketTimeoutException e) {
            err.println("conf1: no answer from " + target.host() + ":" + target.port() + " within " + timeoutMs + " ms");
            return EX_NO_ANSWER;
        } catch (IOException e) {
            err.println("conf1: " + e.getMessage());
            return EX_NO_ANSWER;
        }
    }
}
