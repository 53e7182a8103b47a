package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;

import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.Pkcs12;
import io.tether.pki.SpiffeId;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

class WorkloadWriterTest {

	private static final String PASSWORD = "s3cret-for-p12";

	@TempDir
	Path dir;

	private final TestPki pki = TestPki.root().intermediate();

	private final TestPki.Issued leaf = this.pki.leaf("spiffe://td.example/ns/web", "web.internal");

	private final List<X509Certificate> bundle = List.of(this.pki.rootCredential().certificate());

	@Test
	void writesEveryOutputWithTheConfiguredModeAndMatchesThemAfterwards() throws IOException {
		AgentConfig.Workload workload = workload(true);

		WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle);

		assertThat(Pem.readCertificates(Files.readString(workload.certificate()))).isEqualTo(this.leaf.chain());
		assertThat(Pem.readCertificates(Files.readString(workload.bundle()))).isEqualTo(this.bundle);
		assertThat(Pem.readPrivateKey(Files.readString(workload.key()))).isEqualTo(this.leaf.keys().getPrivate());
		for (Path output : List.of(workload.certificate(), workload.key(), workload.bundle(), workload.keyStore(),
				workload.trustStore())) {
			assertThat(Files.getPosixFilePermissions(output)).as(output.toString())
				.isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
		}
		assertThat(WorkloadWriter.matches(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle))
			.isTrue();
	}

	@Test
	void anOutputThatIsMissingOrHoldsSomethingElseDoesNotMatch() throws IOException {
		AgentConfig.Workload workload = workload(true);
		WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle);
		TestPki.Issued other = this.pki.leaf("spiffe://td.example/ns/web");

		assertThat(WorkloadWriter.matches(workload, this.leaf.keys().getPrivate(), other.chain(), this.bundle))
			.isFalse();
		Files.delete(workload.trustStore());
		assertThat(WorkloadWriter.matches(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle))
			.isFalse();
	}

	@Test
	void theBundleAndTheKeyAreWrittenBeforeTheChainAndTheStoresAfter() throws IOException {
		AgentConfig.Workload workload = workload(true);
		// the chain cannot be written: what came before it is in place, nothing after
		Files.createDirectories(workload.certificate().resolve("in-the-way"));

		assertThatExceptionOfType(IOException.class).isThrownBy(
				() -> WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle));

		assertThat(Pem.readCertificates(Files.readString(workload.bundle()))).isEqualTo(this.bundle);
		assertThat(workload.key()).exists();
		assertThat(workload.keyStore()).doesNotExist();
		assertThat(workload.trustStore()).doesNotExist();
	}

	@Test
	void anUnreadablePasswordFileIsNamedInTheError() throws IOException {
		AgentConfig.Workload workload = workload(true);
		Files.delete(workload.passwordFile());

		assertThatExceptionOfType(IOException.class)
			.isThrownBy(
					() -> WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle))
			.withMessageContaining("cannot read the PKCS#12 passwordFile " + workload.passwordFile());
	}

	@Test
	void keytoolListsTheKeyStoreAndTheTrustStoreWithThePasswordFile() throws IOException {
		AgentConfig.Workload workload = workload(false);
		WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle);
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

		Commands.Result keyStore = Commands.run(this.dir, keytool, "-list", "-v", "-storetype", "PKCS12", "-keystore",
				workload.keyStore().toString(), "-storepass:file", workload.passwordFile().toString());
		Commands.Result trustStore = Commands.run(this.dir, keytool, "-list", "-storetype", "PKCS12", "-keystore",
				workload.trustStore().toString(), "-storepass:file", workload.passwordFile().toString());

		assertThat(keyStore.exitCode()).as(keyStore.output()).isZero();
		assertThat(keyStore.output()).contains("Your keystore contains 1 entry")
			.contains("PrivateKeyEntry")
			.contains("Certificate chain length: 2")
			.contains("Serial number: " + this.leaf.certificate().getSerialNumber().toString(16));
		assertThat(trustStore.exitCode()).as(trustStore.output()).isZero();
		assertThat(trustStore.output()).contains("Your keystore contains 1 entry").contains("trustedCertEntry");
		Commands.Result wrongPassword = Commands.run(this.dir, keytool, "-list", "-storetype", "PKCS12", "-keystore",
				workload.keyStore().toString(), "-storepass", "not-the-password");
		assertThat(wrongPassword.exitCode()).as("the password file's password, not any").isNotZero();
	}

	@Test
	void opensslReadsTheKeyStoreWithThePasswordFileAndItsKeyMatchesItsCertificate() throws IOException {
		assumeThat(Commands.run(this.dir, "sh", "-c", "command -v openssl").exitCode()).as("openssl is installed")
			.isZero();
		AgentConfig.Workload workload = workload(false);
		WorkloadWriter.write(workload, this.leaf.keys().getPrivate(), this.leaf.chain(), this.bundle);
		String in = "openssl pkcs12 -in " + workload.keyStore() + " -passin file:" + workload.passwordFile();

		Commands.Result certificate = Commands.run(this.dir, "sh", "-c",
				in + " -nokeys -clcerts | openssl x509 -noout -pubkey");
		Commands.Result key = Commands.run(this.dir, "sh", "-c", in + " -nocerts -nodes | openssl pkey -pubout");
		Commands.Result trusted = Commands.run(this.dir, "sh", "-c", "openssl pkcs12 -in " + workload.trustStore()
				+ " -passin file:" + workload.passwordFile() + " -nokeys | openssl x509 -noout -subject");

		assertThat(certificate.exitCode()).as(certificate.output()).isZero();
		assertThat(key.exitCode()).as(key.output()).isZero();
		assertThat(key.output()).contains("BEGIN PUBLIC KEY").isEqualTo(certificate.output());
		assertThat(certificate.output()).contains(Pem.write(this.leaf.keys().getPublic()).strip());
		assertThat(trusted.exitCode()).as(trusted.output()).isZero();
		assertThat(trusted.output()).contains("Test Root CA");
		assertThat(Pkcs12.readKeyStore(Files.readAllBytes(workload.keyStore()), PASSWORD.toCharArray()).chain())
			.isEqualTo(this.leaf.chain());
	}

	private AgentConfig.Workload workload(boolean pem) throws IOException {
		Path out = this.dir.resolve("out");
		Files.createDirectories(out);
		Path passwordFile = this.dir.resolve("p12-password");
		Files.writeString(passwordFile, PASSWORD + "\n");
		return new AgentConfig.Workload(SpiffeId.parse("spiffe://td.example/ns/web"), KeyType.EC_P256,
				pem ? out.resolve("cert.pem") : null, pem ? out.resolve("key.pem") : null,
				pem ? out.resolve("bundle.pem") : null, out.resolve("keystore.p12"), out.resolve("truststore.p12"),
				passwordFile, PosixFilePermissions.fromString("rw-r-----"), null, null, false);
	}

}
