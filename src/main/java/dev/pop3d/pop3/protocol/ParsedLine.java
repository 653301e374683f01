package dev.pop3d.pop3.protocol;

/**
 * What one command line turned out to be: a well-formed {@link Command}, or a {@link Rejected}
 * line that the session answers with {@code -ERR} (after checking the verb's state, if known).
 */
public sealed interface ParsedLine permits Command, Rejected, SaslResponse {}
