package dev.pop3d.conf1;

import dev.pop3d.endpoint.Conf1Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The operator client: {@code conf1 [--host H] [--port P] [--timeout-ms T] TOKEN VERB OBJECT [ARG...]}
 * sends one request and prints the answer. Exit 0 for +SUC, 1 for -ERR, 2 without answer, 64 on
 * usage errors. Starts no listener.
 */
public final class Conf1Client {
    private Conf1Client() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String host = "127.0.0.1";
        int port = 9090;
        int timeoutMs = 3000;
        int i = 0;
        try {
            for (; i < args.length && args[i].startsWith("--"); i += 2) {
                switch (args[i]) {
                    case "--host" -> host = args[i + 1];
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--timeout-ms" -> timeoutMs = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            return usage(err, e.getMessage());
        }
        if (args.length - i < 3) {
            return usage(err, "a request needs TOKEN VERB OBJECT");
        }
        byte[] request = (String.join(" ", java.util.Arrays.copyOfRange(args, i, args.length)) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(timeoutMs);
            socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(host), port));
            byte[] buffer = new byte[Conf1Reply.CONF1_MAX_REPLY_OCTETS + 1];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            String text = new String(buffer, 0, answer.getLength(), StandardCharsets.US_ASCII).stripTrailing();
            out.println(text);
            return text.startsWith("+SUC") ? 0 : 1;
        } catch (SocketTimeoutException e) {
            err.println("conf1: no answer from " + host + ":" + port + " within " + timeoutMs + " ms");
            return 2;
        } catch (IOException e) {
            err.println("conf1: " + e.getMessage());
            return 2;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("conf1: " + problem);
        err.println("usage: pop3d conf1 [--host 127.0.0.1] [--port 9090] [--timeout-ms 3000] TOKEN GET|SET OBJECT [ARG...]");
        return 64;
    }
}
