package dev.pop3d.transcript;

/**
 * Script fixtures on a test server, as a suite using {@code Pop3dExtension} makes them: each
 * {@code @user} through {@code POST /api/users} (a new test user: the start state has none), each
 * {@code @mail} through {@code POST /api/users/{name}/messages}, stored as the file's bytes.
 */
final class AdminFixtures implements TranscriptRunner.Fixtures {
    private final AdminApi admin;

    AdminFixtures(AdminApi admin) {
        this.admin = admin;
    }

    @Override
    public void user(String name, String password) throws Exception {
        if (!admin.createUser(name, password)) {
            throw new AssertionError("user " + name + " existed before the script: the reset did not remove it");
        }
    }

    @Override
    public void mail(String user, int number, byte[] message) throws Exception {
        admin.deliver(user, message);
    }
}
