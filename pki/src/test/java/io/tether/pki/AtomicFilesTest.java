package io.tether.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link AtomicFiles}: a reader sees the old content or the new, never a part,
 * and never the file with other permissions than asked for.
 */
class AtomicFilesTest {

	@TempDir
	Path directory;

	@Test
	void writeCreatesTheFileAndItsDirectoryWithTheExactModeAskedFor() throws IOException {
		Path key = this.directory.resolve("nested/dir/key.pem");
		AtomicFiles.write(key, "secret".getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
		assertThat(Files.readString(key)).isEqualTo("secret");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

		Path certificate = this.directory.resolve("cert.pem");
		AtomicFiles.write(certificate, new byte[] { 1 }, AtomicFiles.PUBLIC_READ);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificate))).isEqualTo("rw-r--r--");
	}

	@Test
	void writeReplacesTheContentAndTheModeAndLeavesNoTemporaryFile() throws IOException {
		Path file = this.directory.resolve("key.pem");
		Files.writeString(file, "old content that is longer than the new");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		AtomicFiles.write(file, "new".getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
		assertThat(Files.readString(file)).isEqualTo("new");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(names()).containsExactly("key.pem");
	}

	@Test
	void readerNeverSeesAPartialFileNorAnotherMode() throws Exception {
		Path file = this.directory.resolve("bundle.pem");
		byte[] a = new byte[512 * 1024];
		byte[] b = new byte[256 * 1024];
		Arrays.fill(a, (byte) 'a');
		Arrays.fill(b, (byte) 'b');
		AtomicFiles.write(file, a, AtomicFiles.OWNER_ONLY);
		AtomicBoolean writing = new AtomicBoolean(true);
		List<String> seen = new ArrayList<>();
		Thread reader = new Thread(() -> {
			while (writing.get()) {
				try {
					String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
					byte[] content = Files.readAllBytes(file);
					if (!Arrays.equals(content, a) && !Arrays.equals(content, b)) {
						seen.add("partial content of " + content.length + " bytes");
					}
					if (!mode.equals("rw-------")) {
						seen.add("mode " + mode);
					}
				}
				catch (NoSuchFileException ex) {
					seen.add("no file");
				}
				catch (IOException ex) {
					seen.add(ex.toString());
				}
			}
		});
		reader.start();
		try {
			for (int i = 0; i < 300; i++) {
				AtomicFiles.write(file, (i % 2 == 0) ? b : a, AtomicFiles.OWNER_ONLY);
			}
		}
		finally {
			writing.set(false);
			reader.join();
		}
		assertThat(seen).isEmpty();
	}

	@Test
	void writeThatCannotReplaceTheTargetFailsAndLeavesNoTemporaryFile() throws IOException {
		// a directory in the way fails even for root, for whom no file mode is read-only
		Path target = this.directory.resolve("cert.pem");
		Files.createDirectories(target.resolve("in-the-way"));
		assertThatIOException().isThrownBy(() -> AtomicFiles.write(target, new byte[] { 1 }, AtomicFiles.PUBLIC_READ));
		assertThat(target.resolve("in-the-way")).isDirectory();
		assertThat(names()).containsExactly("cert.pem");
	}

	private List<String> names() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((path) -> path.getFileName().toString()).sorted().toList();
		}
	}

}
