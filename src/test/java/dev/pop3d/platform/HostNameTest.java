package dev.pop3d.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNameTest {
    @TempDir
    Path dir;

    @Test
    void kernelFileWins() throws Exception {
        Path file = Files.writeString(dir.resolve("hostname"), "pod-7f9c\n");
        assertEquals("pod-7f9c", HostName.read(file, "from-env"));
    }

    @Test
    void environmentThenFixedNameWhenTheKernelFileIsMissingOrEmpty() throws Exception {
        assertEquals("from-env", HostName.read(dir.resolve("missing"), "from-env"));
        assertEquals("pop3d", HostName.read(Files.writeString(dir.resolve("empty"), "\n"), " "));
    }

    @Test
    void onLinuxItIsTheUnameNodeName() throws Exception {
        if (Files.isReadable(HostName.KERNEL_HOSTNAME)) {
            assertEquals(Files.readString(HostName.KERNEL_HOSTNAME).strip(), HostName.current());
        }
    }

    @Test
    void fileNamesKeepOnlySafeCharacters() {
        assertEquals("a_b_c.d-e", HostName.asFileName("a/b:c.d-e"));
    }
}
