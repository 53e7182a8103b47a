package io.tether.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes credential files so that a reader sees either the old content or the new, never
 * a half-written file: the bytes go to a temporary file in the same directory, created
 * with the final permissions (so a key is never world-readable, not even for a moment),
 * are flushed to disk, and the file is renamed over the target; the directory is then
 * synced so that the rename survives a crash.
 * <p>
 * Stateless and thread-safe; concurrent writers of one path each leave a complete file.
 */
public final class AtomicFiles {

	/** Owner read and write only: {@code rw-------}. */
	public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	/** Owner read and write, everyone read: {@code rw-r--r--}, for certificates. */
	public static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

	private AtomicFiles() {
	}

	/**
	 * Atomically replaces {@code target} with {@code content}.
	 * @param target the file to write; its directory is created if missing
	 * @param content the bytes
	 * @param permissions the POSIX permissions of the new file (ignored where the file
	 * system has none)
	 * @throws IOException if the file cannot be written; the old content is then intact
	 */
	public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
		Path directory = target.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		Path temp = posix
				? Files.createTempFile(directory, "." + target.getFileName(), ".tmp",
						PosixFilePermissions.asFileAttribute(permissions))
				: Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			if (posix) {
				// createTempFile applies the umask; set the exact mode asked for
				Files.setPosixFilePermissions(temp, permissions);
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			syncDirectory(directory);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	private static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// some file systems cannot open a directory for sync; the rename itself is
			// done
		}
	}

}
