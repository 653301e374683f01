package dev.pop3d.intake.protocol;

import java.util.List;

/**
 * One mail transaction as accepted so far (RFC 5321 §3.3): the reverse path, the declared size and
 * the accepted recipients in RCPT order.
 *
 * @param sender     the reverse path without brackets ({@code ""} for the null path {@code <>})
 * @param declaredSize the SIZE parameter (RFC 1870), or -1
 * @param recipients accepted recipients, in order
 */
public record Envelope(String sender, long declaredSize, List<Recipient> recipients) {
    /** An accepted recipient: the address as the client wrote it and the user that receives it. */
    public record Recipient(String address, String user) {}

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    Envelope with(Recipient recipient) {
        List<Recipient> more = new java.util.ArrayList<>(recipients);
        more.add(recipient);
        return new Envelope(sender, declaredSize, more);
    }
}
