package dev.pop3d.auth;

/** A users definition that cannot be used. The message names the source and line, never a secret. */
public final class InvalidUsersException extends Exception {
    public InvalidUsersException(String message) {
        super(message);
    }
}
