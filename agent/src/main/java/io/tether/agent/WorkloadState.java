package io.tether.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;

/**
 * What the agent keeps per workload in its data directory ({@code workloads/<id>/}): the
 * key generated on this host (0600) and the current chain and bundle, so that a restarted
 * agent knows when to renew and can restore deleted outputs without asking the server.
 */
final class WorkloadState {

	private final Path directory;

	WorkloadState(Path dataDir, AgentConfig.Workload workload) {
		// a stable directory name for the SPIFFE ID, safe on any file system
		String id = HexFormat.of()
			.formatHex(workload.spiffeId().toString().getBytes(StandardCharsets.UTF_8))
			.substring(0, Math.min(64, workload.spiffeId().toString().length() * 2));
		this.directory = dataDir.resolve("workloads")
			.resolve(id + "-" + Integer.toHexString(workload.spiffeId().hashCode()));
	}

	/**
	 * The workload's key pair, generated here on first use and kept across renewals (see
	 * {@link WorkloadWriter} for why).
	 */
	KeyPair loadOrCreateKeys(AgentConfig.Workload workload) throws IOException {
		Path keyFile = this.directory.resolve("key.pem");
		Path publicFile = this.directory.resolve("public.pem");
		if (Files.exists(keyFile) && Files.exists(publicFile)) {
			return new KeyPair(Pem.readPublicKey(Files.readString(publicFile)),
					Pem.readPrivateKey(Files.readString(keyFile)));
		}
		KeyPair keys = workload.keyType().generate();
		AtomicFiles.write(keyFile, Pem.write(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(publicFile, Pem.write(keys.getPublic()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		return keys;
	}

	List<X509Certificate> chain() throws IOException {
		Path file = this.directory.resolve("chain.pem");
		return Files.exists(file) ? Pem.readCertificates(Files.readString(file)) : List.of();
	}

	List<X509Certificate> bundle() throws IOException {
		Path file = this.directory.resolve("bundle.pem");
		return Files.exists(file) ? Pem.readCertificates(Files.readString(file)) : List.of();
	}

	/**
	 * When this agent received the current certificate (see {@link Renewal}); its
	 * {@code notBefore} when unknown.
	 */
	Instant receivedAt(X509Certificate certificate) throws IOException {
		Path file = this.directory.resolve("received-at");
		return Files.exists(file) ? Instant.parse(Files.readString(file).strip())
				: certificate.getNotBefore().toInstant();
	}

	/**
	 * Records a bundle written to the outputs between renewals (the server's changed).
	 */
	void saveBundle(List<X509Certificate> bundle) throws IOException {
		AtomicFiles.write(this.directory.resolve("bundle.pem"), Pem.write(bundle).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
	}

	void save(List<X509Certificate> chain, List<X509Certificate> bundle, Instant receivedAt) throws IOException {
		AtomicFiles.write(this.directory.resolve("bundle.pem"), Pem.write(bundle).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("chain.pem"), Pem.write(chain).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
		AtomicFiles.write(this.directory.resolve("received-at"),
				receivedAt.toString().getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
	}

}
