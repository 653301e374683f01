package dev.pop3d.testing;

import java.io.IOException;

/** One client conversation with a POP3 server, over a socket or in-process. */
public interface Pop3Conversation extends AutoCloseable {
    void send(String line) throws IOException;

    void raw(byte[] bytes) throws IOException;

    /** One line without its CRLF; "<closed>" at end of stream. */
    String line() throws IOException;

    /** A body up to ".CRLF", un-stuffed, CRLFs kept. */
    byte[] body() throws IOException;

    @Override
    void close() throws IOException;
}
