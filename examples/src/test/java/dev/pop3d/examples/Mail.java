package dev.pop3d.examples;

import jakarta.mail.Address;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Properties;

/** What an application's mail code does, with Jakarta Mail (Angus): send over SMTP, read over POP3. */
final class Mail {
    private Mail() {}

    /** Sends {@code raw} (CRLF lines) unchanged over SMTP from {@code from} to {@code to}. */
    static void send(String host, int port, String from, String to, byte[] raw) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.from", from);
        props.put("mail.smtp.localhost", "localhost"); // the EHLO name: never looked up
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
        try (Transport smtp = session.getTransport("smtp")) {
            smtp.connect();
            smtp.sendMessage(message, new Address[] {new InternetAddress(to)}); // no saveChanges: bytes as given
        }
    }

    /** RETR of message {@code number} as the server stores it (Angus streams the raw bytes). */
    static byte[] fetch(String host, int port, String user, String password, int number) throws Exception {
        Properties props = new Properties();
        props.put("mail.pop3.host", host);
        props.put("mail.pop3.port", String.valueOf(port));
        Store store = Session.getInstance(props).getStore("pop3");
        store.connect(user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message message = inbox.getMessage(number);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            inbox.close(false);
            return out.toByteArray();
        } finally {
            store.close();
        }
    }

    /** The number of messages in {@code user}'s maildrop (POP3 STAT). */
    static int count(String host, int port, String user, String password) throws Exception {
        Properties props = new Properties();
        props.put("mail.pop3.host", host);
        props.put("mail.pop3.port", String.valueOf(port));
        Store store = Session.getInstance(props).getStore("pop3");
        store.connect(user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int count = inbox.getMessageCount();
            inbox.close(false);
            return count;
        } finally {
            store.close();
        }
    }
}
