package io.tether.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.pki.Pkcs12;

/**
 * Delivers a workload's credentials to the paths its configuration names, each file
 * atomically and with the configured mode and owner. Order matters to a reader that
 * reloads on change: the bundle first (a new CA is trusted before anything signed by it
 * appears), then the key, then the chain, then the PKCS#12 stores (each of which holds a
 * matching key and chain in one file). The key is kept across renewals, so a reader that
 * picks up the new chain with the old key file still holds a matching pair.
 * <p>
 * The bundle handed in is the server's list (roots, then any valid intermediates, see
 * {@link ServerBundle}); the PEM bundle holds the intermediates too only when the
 * workload asks for them ({@code bundleIntermediates}), the truststore never: it holds
 * trust anchors.
 */
final class WorkloadWriter {

	private WorkloadWriter() {
	}

	static void write(AgentConfig.Workload workload, PrivateKey key, List<X509Certificate> chain,
			List<X509Certificate> bundle) throws IOException {
		if (workload.bundle() != null) {
			put(workload, workload.bundle(), ascii(Pem.write(pemBundle(workload, bundle))));
		}
		if (workload.key() != null) {
			put(workload, workload.key(), ascii(Pem.write(key)));
		}
		if (workload.certificate() != null) {
			put(workload, workload.certificate(), ascii(Pem.write(chain)));
		}
		if (workload.keyStore() != null || workload.trustStore() != null) {
			char[] password = password(workload);
			if (workload.trustStore() != null) {
				put(workload, workload.trustStore(), Pkcs12.writeTrustStore(roots(bundle), password));
			}
			if (workload.keyStore() != null) {
				put(workload, workload.keyStore(), Pkcs12.writeKeyStore(key, chain, password));
			}
		}
	}

	/**
	 * Rewrites only the outputs that hold the bundle (PEM bundle, truststore), each
	 * atomically: what a change of the server's bundle touches between renewals.
	 */
	static void writeBundle(AgentConfig.Workload workload, List<X509Certificate> bundle) throws IOException {
		if (workload.bundle() != null) {
			put(workload, workload.bundle(), ascii(Pem.write(pemBundle(workload, bundle))));
		}
		if (workload.trustStore() != null) {
			put(workload, workload.trustStore(), Pkcs12.writeTrustStore(roots(bundle), password(workload)));
		}
	}

	/**
	 * Whether the outputs that hold the bundle hold exactly what {@link #writeBundle}
	 * would write.
	 */
	static boolean bundleMatches(AgentConfig.Workload workload, List<X509Certificate> bundle) {
		try {
			if (workload.bundle() != null && !holds(workload.bundle(), ascii(Pem.write(pemBundle(workload, bundle))))) {
				return false;
			}
			return workload.trustStore() == null
					|| Pkcs12.readTrustStore(Files.readAllBytes(workload.trustStore()), password(workload))
						.equals(roots(bundle));
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Whether every configured output holds exactly these credentials: an output that is
	 * missing, unreadable, or holds another key, chain or bundle does not.
	 */
	static boolean matches(AgentConfig.Workload workload, PrivateKey key, List<X509Certificate> chain,
			List<X509Certificate> bundle) {
		try {
			if ((workload.bundle() != null && !holds(workload.bundle(), ascii(Pem.write(pemBundle(workload, bundle)))))
					|| (workload.key() != null && !holds(workload.key(), ascii(Pem.write(key))))
					|| (workload.certificate() != null && !holds(workload.certificate(), ascii(Pem.write(chain))))) {
				return false;
			}
			if (workload.keyStore() != null || workload.trustStore() != null) {
				char[] password = password(workload);
				if (workload.trustStore() != null
						&& !Pkcs12.readTrustStore(Files.readAllBytes(workload.trustStore()), password)
							.equals(roots(bundle))) {
					return false;
				}
				if (workload.keyStore() != null) {
					Pkcs12.KeyEntry entry = Pkcs12.readKeyStore(Files.readAllBytes(workload.keyStore()), password);
					return entry.chain().equals(chain)
							&& Arrays.equals(entry.privateKey().getEncoded(), key.getEncoded());
				}
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private static List<X509Certificate> pemBundle(AgentConfig.Workload workload, List<X509Certificate> bundle) {
		return workload.bundleIntermediates() ? bundle : roots(bundle);
	}

	private static List<X509Certificate> roots(List<X509Certificate> bundle) {
		return ServerBundle.of(bundle).roots();
	}

	private static char[] password(AgentConfig.Workload workload) throws IOException {
		try {
			return Files.readString(workload.passwordFile()).strip().toCharArray();
		}
		catch (IOException ex) {
			// a NoSuchFileException's message is the bare path: say what the path is
			throw new IOException("cannot read the PKCS#12 passwordFile " + workload.passwordFile() + ": " + ex, ex);
		}
	}

	private static boolean holds(Path path, byte[] content) throws IOException {
		return Files.isRegularFile(path) && Arrays.equals(Files.readAllBytes(path), content);
	}

	static void put(AgentConfig.Workload workload, Path path, byte[] content) throws IOException {
		AtomicFiles.write(path, content, workload.mode());
		if (workload.owner() != null) {
			chown(path, workload.owner());
		}
	}

	private static void chown(Path path, String owner) throws IOException {
		UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
		String[] parts = owner.split(":", 2);
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
		if (!parts[0].isEmpty()) {
			view.setOwner(lookup.lookupPrincipalByName(parts[0]));
		}
		if (parts.length == 2 && !parts[1].isEmpty()) {
			GroupPrincipal group = lookup.lookupPrincipalByGroupName(parts[1]);
			view.setGroup(group);
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
