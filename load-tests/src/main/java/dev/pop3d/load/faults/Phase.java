package dev.pop3d.load.faults;

import java.util.List;

/** Where in a session the server dies, and the test-only crash points a phase arms. */
enum Phase {
    LOGIN("login", List.of()),
    RETR("RETR", List.of()),
    DELE("DELE", List.of()),
    UPDATE("QUIT/UPDATE", List.of("journal-written", "unlinked-one", "unlinked-all")),
    INDEX("index", List.of("index-written", "index-renamed")),
    TAKEOVER("lock-takeover", List.of("takeover-moved", "takeover-cleared", "lock-created"));

    final String label;
    final List<String> crashPoints;

    Phase(String label, List<String> crashPoints) {
        this.label = label;
        this.crashPoints = crashPoints;
    }

    /** The property value every server start gets (inert until the lane's arm file names a point). */
    static String crashPointSpec() {
        return "journal-written:0.35,unlinked-one:0.4,unlinked-all,index-written:0.5,index-renamed,"
                + "takeover-moved:0.4,takeover-cleared:0.5,lock-created";
    }
}
