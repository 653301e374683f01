package dev.pop3d.intake.protocol;

/** What became of the message for one recipient. */
public enum Outcome {
    /** In {@code new/}, durable. */
    STORED,
    /** Not stored: the disk is full (ENOSPC, EDQUOT); try later. */
    NO_SPACE,
    /** Not stored: another I/O failure; try later. */
    FAILED,
    /** Not stored: the message exceeded the SIZE limit. */
    TOO_BIG
}
