package dev.pop3d.hdrp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The headers shared by every client: bounded by entries and age (Caffeine), keyed by
 * {@link Target#key()}. Saved atomically (temp file, fsync, rename) and reloaded at start, so it
 * survives restarts; entries older than the TTL are not reloaded. Thread-safe.
 */
public final class HeaderCache {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(byte[] header, Instant fetched) {}

    private final Cache<String, Entry> entries;
    private final Duration ttl;
    private final InstantSource clock;
    private final Path file;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public HeaderCache(int maxEntries, Duration ttl, InstantSource clock, Path file) {
        this.ttl = ttl;
        this.clock = clock;
        this.file = file;
        // an entry lives TTL from when it was fetched, also after a reload from the file
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries)
                .expireAfter(com.github.benmanes.caffeine.cache.Expiry.<String, Entry>writing(
                        (key, entry) -> ttl.minus(Duration.between(entry.fetched(), clock.instant()))))
                .ticker(ticker(clock))
                .build();
    }

    /** A header fetched within the TTL (counted as a hit or a miss). */
    public Optional<byte[]> get(Target target) {
        Entry entry = entries.getIfPresent(target.key());
        (entry == null ? misses : hits).incrementAndGet();
        return entry == null ? Optional.empty() : Optional.of(entry.header().clone());
    }

    public void put(Target target, byte[] header) {
        entries.put(target.key(), new Entry(header.clone(), clock.instant()));
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    public void clear() {
        entries.invalidateAll();
    }

    public Path file() {
        return file;
    }

    /** Blocking: writes the cache file atomically. */
    public synchronized void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("entries");
        for (Map.Entry<String, Entry> e : entries.asMap().entrySet()) {
            ObjectNode item = list.addObject();
            item.put("key", e.getKey());
            item.put("fetched", e.getValue().fetched().toEpochMilli());
            item.put("header", Base64.getEncoder().encodeToString(e.getValue().header()));
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Blocking: reads the cache file if present; returns the entries loaded. A bad file loads nothing. */
    public synchronized int load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        JsonNode root = JSON.readTree(file.toFile());
        int loaded = 0;
        Instant oldest = clock.instant().minus(ttl);
        for (JsonNode item : root.path("entries")) {
            Instant fetched = Instant.ofEpochMilli(item.path("fetched").asLong());
            String key = item.path("key").asText("");
            if (key.isEmpty() || fetched.isBefore(oldest)) {
                continue;
            }
            entries.put(key, new Entry(Base64.getDecoder().decode(item.path("header").asText("")), fetched));
            loaded++;
        }
        return loaded;
    }

    /** Caffeine's time from the injected clock, so that tests move it. */
    static Ticker ticker(InstantSource clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
