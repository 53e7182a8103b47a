package io.tether.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands a person at a terminal uses with Tether's authorization server, where no
 * server is needed: {@code password-hash}, {@code token proof}, and {@code token get}'s
 * refusals before it listens or sends anything. The sign-in itself runs end to end in the
 * e2e module (AuthzIT).
 */
class PersonTokenCommandsTest {

	@TempDir
	Path home;

	@Test
	void passwordHashIsABcryptHashOfTheLineOnStandardInput() {
		Cli.Run run = Cli.runWithInput("correct horse battery staple\n", Map.of(), "password-hash", "--cost", "10");
		assertThat(run.exitCode()).as(run.err()).isZero();
		String hash = run.out().strip();
		assertThat(hash).startsWith("{bcrypt}$2b$10$").hasSize("{bcrypt}".length() + 60);
		String bcrypt = hash.substring("{bcrypt}".length());
		assertThat(OpenBSDBCrypt.checkPassword(bcrypt, "correct horse battery staple".toCharArray())).isTrue();
		assertThat(OpenBSDBCrypt.checkPassword(bcrypt, "correct horse battery stapler".toCharArray())).isFalse();
		String again = Cli.runWithInput("correct horse battery staple\n", Map.of(), "password-hash", "--cost", "10")
			.out()
			.strip();
		assertThat(again).as("salted").isNotEqualTo(hash);
	}

	@Test
	void passwordHashRefusesWhatBcryptWouldGetWrong() {
		assertThat(Cli.runWithInput("\n", Map.of(), "password-hash").err()).contains("empty");
		Cli.Run tooLong = Cli.runWithInput("x".repeat(73) + "\n", Map.of(), "password-hash");
		assertThat(tooLong.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(tooLong.err()).contains("72 bytes");
		assertThat(Cli.runWithInput("pw\n", Map.of(), "password-hash", "--cost", "4").exitCode())
			.isEqualTo(ExitCode.USAGE);
		assertThat(Cli.runWithInput("", Map.of(), "password-hash").err()).contains("No password");
	}

	@Test
	void proofIsSignedWithTheKeyFileAndBindsMethodUrlAndToken() throws Exception {
		Path key = this.home.resolve("dpop-key.pem");
		DpopKeyFile.loadOrCreate(key);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
		String jkt = DpopKeyFile.load(key).thumbprint();
		assertThat(DpopKeyFile.loadOrCreate(key).thumbprint()).as("kept, not replaced").isEqualTo(jkt);

		String token = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
		Cli.Run run = Cli.run("token", "proof", "--dpop-key", key.toString(), "--method", "POST", "--url",
				"https://orders.test/orders?page=2", "--token", token);
		assertThat(run.exitCode()).as(run.err()).isZero();
		String proof = run.out().strip();
		assertThat(SignedJWT.parse(proof).getHeader().getType().getType()).isEqualTo("dpop+jwt");

		DpopProofVerifier verifier = DpopProofVerifier
			.withReplayStore(new InMemoryDpopReplayStore(10, Clock.systemUTC()))
			.build();
		assertThat(verifier.verify(proof, "POST", "https://orders.test/orders", token, jkt)).isEqualTo(jkt);
	}

	@Test
	void proofWithoutAKeyFileSaysHowToGetOne() {
		Cli.Run run = Cli.run(Map.of("HOME", this.home.toString()), "token", "proof", "--url",
				"https://orders.test/orders");
		assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("tether token get --dpop");
		assertThat(this.home.resolve(".config/tether/dpop-key.pem")).doesNotExist();
	}

	@Test
	void tokenGetNeedsDpopAnAuthorizationServerAndTrustBeforeListening() {
		Map<String, String> environment = Map.of("HOME", this.home.toString());
		assertThat(Cli.run(environment, "token", "get", "--authz", "https://authz.test").err()).contains("--dpop");
		Cli.Run noServer = Cli.run(environment, "token", "get", "--dpop");
		assertThat(noServer.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(noServer.err()).contains("--authz").contains("TETHER_AUTHZ_URL");
		Cli.Run plainHttp = Cli.run(environment, "token", "get", "--dpop", "--authz", "http://authz.test");
		assertThat(plainHttp.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(plainHttp.err()).contains("https://");
		Cli.Run noTrust = Cli.run(environment, "token", "get", "--dpop", "--authz", "https://authz.test", "--timeout",
				"1s");
		assertThat(noTrust.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(noTrust.err()).contains("--bundle");
	}

}
