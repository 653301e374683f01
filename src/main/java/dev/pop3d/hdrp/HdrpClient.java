package dev.pop3d.hdrp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The seed's client: {@code pop3d hdrp [--host H] [--port P] SITE...} keeps one control
 * connection, asks for each site, receives its header over UDP, prints it and writes
 * {@code <site>.txt} (the name made safe: no {@code /}, {@code :} or {@code ..}), then sends
 * {@code terminate}. Exit 0 all fetched, 1 some failed, 2 no answer, 64 usage.
 */
@Command(name = "hdrp", description = "Ask the HDRP endpoint for the HTTP response header of each SITE.",
        footer = {"", "Each header is printed and written to <site>.txt in --dir.",
                "Exit codes: 0 all fetched, 1 some failed, 2 no answer, 64 usage error."})
public final class HdrpClient implements Callable<Integer> {
    private static final int EX_SOME_FAILED = 1;
    private static final int EX_NO_ANSWER = 2;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Server address (default: 127.0.0.1).")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Control port (default: 50366).")
    private int port = 50366;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Time limit for each answer (default: 15000).")
    private int timeoutMs = 15_000;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where <site>.txt files go (default: the current directory).")
    private Path dir = Path.of(".");

    @Parameters(arity = "1..*", paramLabel = "SITE", description = "A host name or an http:// or https:// URL.")
    private List<String> sites;

    private final PrintStream out;
    private final PrintStream err;

    public HdrpClient(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        int failed = 0;
        try (Socket control = new Socket(); DatagramSocket udp = new DatagramSocket()) {
            InetAddress server = InetAddress.getByName(host);
            control.connect(new InetSocketAddress(server, port), timeoutMs);
            control.setSoTimeout(timeoutMs);
            udp.setSoTimeout(timeoutMs);
            BufferedReader in = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8));
            OutputStream to = control.getOutputStream();
            for (String site : sites) {
                to.write((site + "\n").getBytes(StandardCharsets.UTF_8));
                to.flush();
                String answer = in.readLine();
                if (answer == null) {
                    err.println("hdrp: the server closed the connection");
                    return EX_NO_ANSWER;
                }
                if (!answer.startsWith("PORT ")) {
                    err.println("hdrp: " + site + ": " + answer);
                    failed++;
                    continue;
                }
                String[] words = answer.split(" ");
                byte[] ticket = words[2].getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(ticket, ticket.length, server, Integer.parseInt(words[1])));
                byte[] buffer = new byte[65_535];
                DatagramPacket header = new DatagramPacket(buffer, buffer.length);
                udp.receive(header);
                byte[] bytes = java.util.Arrays.copyOf(buffer, header.getLength());
                out.write(bytes);
                out.flush();
                Files.write(dir.resolve(fileName(site)), bytes);
            }
            to.write("terminate\n".getBytes(StandardCharsets.US_ASCII));
            to.flush();
            String bye = in.readLine();
            if (!"BYE".equals(bye)) {
                err.println("hdrp: no BYE after terminate: " + bye);
            }
        } catch (SocketTimeoutException e) {
            err.println("hdrp: no answer from " + host + ":" + port + " within " + timeoutMs + " ms");
            return EX_NO_ANSWER;
        } catch (IOException e) {
            err.println("hdrp: " + e.getMessage());
            return EX_NO_ANSWER;
        }
        return failed == 0 ? 0 : EX_SOME_FAILED;
    }

    /** {@code <site>.txt} with anything but letters, digits, '-', '_' and single dots made '_'. */
    static String fileName(String site) {
        String name = site.replaceFirst("^[A-Za-z]+://", "").replaceAll("[^A-Za-z0-9._-]", "_").replace("..", "__");
        name = name.replaceAll("^[.]+", "_");
        return (name.isEmpty() ? "_" : name.length() > 200 ? name.substring(0, 200) : name) + ".txt";
    }
}
