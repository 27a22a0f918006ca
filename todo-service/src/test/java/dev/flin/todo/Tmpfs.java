package dev.flin.todo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a fresh temporary directory, for the tests of a full or read-only data
 * directory: {@link #mountOrSkip} skips the test (visibly, naming what is missing) unless the user
 * is root and {@code mount} works; {@link #close} unmounts and deletes the directory, also when the
 * test failed.
 *
 * <p>Threading: one test thread.
 */
final class Tmpfs implements AutoCloseable {

    private final Path dir;
    private boolean mounted;

    private Tmpfs(final Path dir) {
        this.dir = dir;
    }

    /**
     * @param size the tmpfs size option, e.g. {@code 4m}
     * @return the mounted file system; the test is skipped if the user is not root or mount fails
     */
    static Tmpfs mountOrSkip(final String size) throws Exception {
        final Result id = run("id", "-u");
        assumeTrue(id.code() == 0 && id.output().trim().equals("0"),
                "needs root to mount a tmpfs (id -u says '" + id.output().trim() + "')");
        final Tmpfs tmpfs = new Tmpfs(Files.createTempDirectory("flin-tmpfs-"));
        final Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", tmpfs.dir.toString());
        if (mount.code() != 0) {
            tmpfs.close();
        }
        assumeTrue(mount.code() == 0, "needs 'mount -t tmpfs' to work; it exited with " + mount.code() + ": " + mount.output());
        tmpfs.mounted = true;
        return tmpfs;
    }

    Path dir() {
        return dir;
    }

    /** @return the bytes a new file may still take */
    long usableSpace() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** {@code mount -o remount,ro}: root ignores file permissions, a read-only mount it cannot. */
    void remountReadOnly() throws Exception {
        final Result remount = run("mount", "-o", "remount,ro", dir.toString());
        if (remount.code() != 0) {
            throw new AssertionError("mount -o remount,ro " + dir + " exited with " + remount.code() + ": " + remount.output());
        }
    }

    /** Unmounts (lazily if something still holds it) and deletes the directory. */
    @Override
    public void close() throws Exception {
        if (mounted) {
            final Result umount = run("umount", dir.toString());
            if (umount.code() != 0) {
                final Result lazy = run("umount", "-l", dir.toString());
                if (lazy.code() != 0) {
                    throw new AssertionError("could not unmount " + dir + ": " + umount.output() + " / " + lazy.output());
                }
            }
            mounted = false;
        }
        if (Files.exists(dir)) {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(final String... command) throws Exception {
        final Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (final IOException missing) {
            return new Result(-1, command[0] + " could not run: " + missing.getMessage());
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", new ArrayList<>(List.of(command))) + " did not return within 30 s");
        }
        return new Result(process.exitValue(), output);
    }
}
