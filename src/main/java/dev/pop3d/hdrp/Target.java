package dev.pop3d.hdrp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a client asks for: a host name (plain http on port 80, path {@code /}) or an {@code http://}
 * or {@code https://} URL. Normalised for the cache key: lower-case scheme and host, the port made
 * explicit, the path as given (empty means {@code /}), no query or fragment kept apart from the path.
 */
public record Target(String scheme, String host, int port, String path) {
    static final int MAX_CHARS = 2000;

    /** Parses a control line's query; empty with a reason when it is not a target. */
    public static Result parse(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_CHARS) {
            return Result.invalid("bad URL: empty or longer than " + MAX_CHARS + " characters");
        }
        String lower = t.toLowerCase(Locale.ROOT);
        String url = lower.startsWith("http://") || lower.startsWith("https://") ? t : "http://" + t;
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (host == null || host.isEmpty() || uri.getUserInfo() != null) {
                return Result.invalid("bad URL: no host");
            }
            host = host.toLowerCase(Locale.ROOT);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            for (char c : path.toCharArray()) {
                if (c <= ' ' || c >= 0x7f) {
                    return Result.invalid("bad URL: characters not allowed in the path");
                }
            }
            return new Result(Optional.of(new Target(scheme, host, port, path)), "");
        } catch (URISyntaxException | RuntimeException e) {
            return Result.invalid("bad URL: " + (e.getMessage() == null ? "unparsable" : "unparsable"));
        }
    }

    public boolean tls() {
        return scheme.equals("https");
    }

    /** The cache key: {@code scheme://host:port/path}, lower-case host, explicit port. */
    public String key() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
    }

    /** The Host header value (port only when not the default). */
    String hostHeader() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls() ? port == 443 : port == 80) ? h : h + ":" + port;
    }

    /** A target, or why not. */
    public record Result(Optional<Target> target, String error) {
        static Result invalid(String error) {
            return new Result(Optional.empty(), error);
        }
    }
}
