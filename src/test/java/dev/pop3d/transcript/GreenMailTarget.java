package dev.pop3d.transcript;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** GreenMail, embedded in this JVM on a free loopback port: the reference we compare with. */
final class GreenMailTarget implements TranscriptRunner.Fixtures, AutoCloseable {
    private final GreenMail greenMail;
    private final Map<String, GreenMailUser> users = new HashMap<>();

    GreenMailTarget() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort());
        greenMail.start();
    }

    int port() {
        return greenMail.getPop3().getPort();
    }

    @Override
    public void user(String name, String password) {
        users.put(name, greenMail.setUser(name + "@example.org", name, password));
    }

    @Override
    public void mail(String user, int number, byte[] message) throws Exception {
        GreenMailUser target = users.get(user);
        if (target == null) {
            throw new IllegalArgumentException("@mail for " + user + " before its @user");
        }
        target.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message)));
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
