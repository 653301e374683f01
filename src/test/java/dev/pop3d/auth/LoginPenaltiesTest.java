package dev.pop3d.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Time is injected and moved by hand: nothing here sleeps. */
class LoginPenaltiesTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T09:00:00Z"));
    private final InstantSource clock = now::get;

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private void advance(Duration by) {
        now.set(now.get().plus(by));
    }

    private LoginPenalties penalties(LoginPenalties.Policy policy) {
        return new LoginPenalties(policy, clock);
    }

    private static LoginPenalties.Policy withLockout(LoginPenalties.Lockout lockout) {
        LoginPenalties.Policy d = LoginPenalties.Policy.defaults();
        return new LoginPenalties.Policy(d.penalties(), d.delays(), d.forgetAfter(), d.maxTracked(), Optional.of(lockout),
                d.trustedNetworks());
    }

    @Test
    void delaysGrowLikeDovecotsAndStopAt15Seconds() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        InetAddress attacker = ip("192.0.2.1");
        assertEquals(Duration.ZERO, penalties.penaltyFor(attacker, "alice"));
        long[] expected = {2, 4, 8, 15, 15, 15};
        for (long seconds : expected) {
            penalties.failed(attacker, "alice");
            assertEquals(Duration.ofSeconds(seconds), penalties.penaltyFor(attacker, "alice"));
        }
    }

    @Test
    void theLargerOfSourceAndUserTallyApplies() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        for (int i = 0; i < 3; i++) {
            penalties.failed(ip("192.0.2.1"), "user" + i); // one source, many users
        }
        assertEquals(Duration.ofSeconds(8), penalties.penaltyFor(ip("192.0.2.1"), "fresh"), "the source is penalised");
        assertEquals(Duration.ofSeconds(2), penalties.penaltyFor(ip("198.51.100.1"), "user0"), "and each user");
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("198.51.100.1"), "fresh"));
    }

    @Test
    void unknownNamesAreTalliedLikeRealOnes() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        penalties.failed(ip("192.0.2.1"), "no-such-user");
        penalties.failed(ip("192.0.2.2"), "alice");
        assertEquals(penalties.penaltyFor(ip("198.51.100.1"), "alice"), penalties.penaltyFor(ip("198.51.100.1"), "no-such-user"));
    }

    @Test
    void aSuccessClearsTheUserButNotTheSource() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        InetAddress source = ip("192.0.2.1");
        penalties.failed(source, "victim");
        penalties.failed(source, "victim");
        penalties.succeeded(source, "victim");
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("198.51.100.1"), "victim"));
        assertEquals(Duration.ofSeconds(4), penalties.penaltyFor(source, "other"), "one valid account resets nothing else");
    }

    @Test
    void talliesAreForgottenAfterAQuietPeriod() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        InetAddress source = ip("192.0.2.1");
        penalties.failed(source, "alice");
        advance(Duration.ofMinutes(15).minusSeconds(1));
        assertEquals(Duration.ofSeconds(2), penalties.penaltyFor(source, "alice"));
        penalties.failed(source, "alice"); // a failure restarts the quiet period
        advance(Duration.ofMinutes(14));
        assertEquals(Duration.ofSeconds(4), penalties.penaltyFor(source, "alice"));
        advance(Duration.ofMinutes(1));
        assertEquals(Duration.ZERO, penalties.penaltyFor(source, "alice"));
        penalties.failed(source, "alice");
        assertEquals(Duration.ofSeconds(2), penalties.penaltyFor(source, "alice"), "counting starts again");
        advance(Duration.ofHours(1));
        assertEquals(0, penalties.tracked(), "expired entries leave memory");
    }

    @Test
    void anIpv6SourceCountsByItsSlash64AndMappedIpv4AsIpv4() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        penalties.failed(ip("2001:db8:1:2::1"), "");
        penalties.failed(ip("2001:db8:1:2:ffff::9"), "");
        assertEquals(Duration.ofSeconds(4), penalties.penaltyFor(ip("2001:db8:1:2:abcd::1"), "x"));
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("2001:db8:1:3::1"), "x"), "another /64");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[15] = 7;
        penalties.failed(InetAddress.getByAddress(mapped), "");
        assertEquals(Duration.ofSeconds(2), penalties.penaltyFor(ip("192.0.0.7"), "x"));
    }

    @Test
    void trustedNetworksAreNeverTalliedNorDelayed() throws Exception {
        LoginPenalties.Policy d = LoginPenalties.Policy.defaults();
        LoginPenalties penalties = penalties(new LoginPenalties.Policy(true, d.delays(), d.forgetAfter(), d.maxTracked(),
                Optional.of(new LoginPenalties.Lockout(1, Duration.ofMinutes(1), Duration.ofMinutes(1))),
                Cidr.parseAll(List.of("127.0.0.0/8", "::1/128"))));
        for (int i = 0; i < 10; i++) {
            penalties.failed(ip("127.0.0.2"), "alice");
            penalties.failed(ip("::1"), "alice");
        }
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("127.0.0.1"), "alice"));
        assertFalse(penalties.lockedOut(ip("127.0.0.1"), "alice"));
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("192.0.2.1"), "alice"), "trusted failures count for nobody");
        assertEquals(0, penalties.tracked());
        penalties.failed(ip("192.0.2.1"), "alice");
        assertTrue(penalties.lockedOut(ip("192.0.2.9"), "alice"));
        assertFalse(penalties.lockedOut(ip("127.0.0.1"), "alice"), "a trusted source is never locked out");
    }

    @Test
    void lockoutIsOffByDefault() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        for (int i = 0; i < 100; i++) {
            penalties.failed(ip("192.0.2.1"), "alice");
        }
        assertFalse(penalties.lockedOut(ip("192.0.2.1"), "alice"));
    }

    @Test
    void lockoutAfterNFailuresInTheWindowForTheDuration() throws Exception {
        LoginPenalties penalties = penalties(withLockout(new LoginPenalties.Lockout(3, Duration.ofMinutes(10), Duration.ofMinutes(30))));
        InetAddress source = ip("192.0.2.1");
        penalties.failed(source, "alice");
        advance(Duration.ofMinutes(11)); // outside the window: starts a new one
        penalties.failed(source, "alice");
        penalties.failed(source, "alice");
        assertFalse(penalties.lockedOut(source, "alice"), "2 in the window");
        penalties.failed(source, "alice");
        assertTrue(penalties.lockedOut(source, "alice"), "3 in the window");
        assertTrue(penalties.lockedOut(ip("198.51.100.1"), "alice"), "the user, from anywhere");
        assertTrue(penalties.lockedOut(source, "bob"), "and the source, for any user");
        advance(Duration.ofMinutes(30).minusSeconds(1));
        assertTrue(penalties.lockedOut(source, "alice"));
        advance(Duration.ofSeconds(1));
        assertFalse(penalties.lockedOut(source, "alice"));
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfFreshNamesAndSources() throws Exception {
        LoginPenalties.Policy d = LoginPenalties.Policy.defaults();
        LoginPenalties penalties = penalties(new LoginPenalties.Policy(true, d.delays(), d.forgetAfter(), 100,
                Optional.empty(), List.of()));
        for (int i = 0; i < 5_000; i++) {
            penalties.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}),
                    "name-" + i + "-".repeat(300));
        }
        assertTrue(penalties.tracked() <= 200, "at most maxTracked per cache: " + penalties.tracked());
    }

    @Test
    void longNamesShareTheirPrefixTally() throws Exception {
        LoginPenalties penalties = penalties(LoginPenalties.Policy.defaults());
        String prefix = "x".repeat(LoginPenalties.MAX_TALLIED_NAME_CHARS);
        penalties.failed(ip("192.0.2.1"), prefix + "a");
        assertEquals(Duration.ofSeconds(2), penalties.penaltyFor(ip("198.51.100.1"), prefix + "b"));
    }

    @Test
    void penaltiesCanBeTurnedOffWhileLockoutStillCounts() throws Exception {
        LoginPenalties.Policy d = LoginPenalties.Policy.defaults();
        LoginPenalties penalties = penalties(new LoginPenalties.Policy(false, d.delays(), d.forgetAfter(), d.maxTracked(),
                Optional.of(new LoginPenalties.Lockout(2, Duration.ofMinutes(1), Duration.ofMinutes(1))), List.of()));
        penalties.failed(ip("192.0.2.1"), "alice");
        penalties.failed(ip("192.0.2.1"), "alice");
        assertEquals(Duration.ZERO, penalties.penaltyFor(ip("192.0.2.1"), "alice"));
        assertTrue(penalties.lockedOut(ip("192.0.2.1"), "alice"));
    }
}
