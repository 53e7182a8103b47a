package io.tether.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.tether.pki.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AgentConfigTest {

	@TempDir
	Path dir;

	@Test
	void loadReadsEveryFieldWithDefaults() throws IOException {
		AgentConfig config = load("""
				servers: [https://ca-1.internal:8443, https://ca-2.internal:8443]
				name: host-1
				trustDomain: prod.example
				joinTokenFile: /etc/tether/token
				dataDir: /var/lib/tether-agent
				workloads:
				  - spiffeId: spiffe://prod.example/ns/web
				    keyType: ec-p384
				    mode: "0640"
				    outputs:
				      certificate: /etc/web/cert.pem
				      key: /etc/web/key.pem
				      bundle: /etc/web/bundle.pem
				    hook:
				      signal: SIGHUP
				      pidFile: /run/nginx.pid
				""");
		assertThat(config.servers()).hasSize(2);
		assertThat(config.renewalFraction()).isEqualTo(0.5);
		assertThat(config.renewalJitter()).isEqualTo(0.1);
		assertThat(config.statusPort()).isZero();
		AgentConfig.Workload web = config.workloads().get(0);
		assertThat(web.keyType()).isEqualTo(KeyType.EC_P384);
		assertThat(web.mode()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
		assertThat(web.hook().signal()).isEqualTo("HUP");
		assertThat(web.hook().timeout()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void keyModeDefaultsToOwnerOnly() throws IOException {
		AgentConfig config = load(minimal("    outputs: {certificate: /c.pem, key: /k.pem}\n"));
		assertThat(config.workloads().get(0).mode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(config.workloads().get(0).keyType()).isEqualTo(KeyType.EC_P256);
	}

	@Test
	void syncIntervalDefaultsToThirtySecondsAndIsRead() throws IOException {
		assertThat(load(minimal("    outputs: {certificate: /c.pem, key: /k.pem}\n")).syncInterval())
			.isEqualTo(Duration.ofSeconds(30));
		assertThat(load("sync: {interval: 2m}\n" + minimal("    outputs: {certificate: /c.pem, key: /k.pem}\n"))
			.syncInterval()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void aSyncIntervalOutOfRangeOrMalformedIsRefused() {
		String workload = minimal("    outputs: {certificate: /c.pem, key: /k.pem}\n");
		assertRefused("sync: {interval: 1s}\n" + workload, "sync.interval: must be between 5s and 10m");
		assertRefused("sync: {interval: 1h}\n" + workload, "sync.interval: must be between 5s and 10m");
		assertRefused("sync: {interval: soon}\n" + workload, "sync.interval: ");
		assertRefused("sync: {intervall: 30s}\n" + workload,
				"unknown key 'intervall' at sync; did you mean 'interval'?");
	}

	@Test
	void bundleIntermediatesIsReadAndNeedsABundle() throws IOException {
		AgentConfig config = load(minimal(
				"    outputs: {certificate: /c.pem, key: /k.pem, bundle: /b.pem, bundleIntermediates: true}\n"));
		assertThat(config.workloads().get(0).bundleIntermediates()).isTrue();
		assertThat(load(minimal("    outputs: {certificate: /c.pem, key: /k.pem, bundle: /b.pem}\n")).workloads()
			.get(0)
			.bundleIntermediates()).isFalse();
		assertRefused(minimal("    outputs: {certificate: /c.pem, key: /k.pem, bundleIntermediates: true}\n"),
				"workloads[0].outputs.bundleIntermediates: needs 'bundle'");
		assertRefused(minimal(
				"    outputs: {certificate: /c.pem, key: /k.pem, bundle: /b.pem, bundleIntermediates: yes please}\n"),
				"workloads[0].outputs.bundleIntermediates: must be true or false");
	}

	@Test
	void worldReadableModeIsRefused() {
		assertRefused(minimal("    mode: \"0644\"\n    outputs: {certificate: /c.pem, key: /k.pem}\n"),
				"workloads[0].mode: keys are never world-readable");
	}

	@Test
	void plainHttpServerIsRefused() {
		assertRefused("servers: [http://ca.internal:8443]\ndataDir: /tmp/x\n",
				"servers: 'http://ca.internal:8443' is not an https:// URL");
	}

	@Test
	void missingDataDirIsRefused() {
		assertRefused("servers: [https://ca.internal:8443]\n", "dataDir: is required");
	}

	@Test
	void nameWithoutTrustDomainIsRefused() {
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nname: host-1\n",
				"trustDomain: is required when 'name' is set");
	}

	@Test
	void malformedSpiffeIdIsRefusedWithItsKey() {
		assertRefused("""
				servers: [https://ca.internal:8443]
				dataDir: /x
				workloads:
				  - spiffeId: spiffe://Bad.Example/web
				    outputs: {certificate: /c.pem, key: /k.pem}
				""", "workloads[0].spiffeId: SPIFFE ID trust domain");
	}

	@Test
	void pkcs12WithoutPasswordFileIsRefused() {
		assertRefused(minimal("    outputs: {keystore: /k.p12}\n"), "workloads[0].outputs.passwordFile: is required");
	}

	@Test
	void certificateWithoutKeyIsRefused() {
		assertRefused(minimal("    outputs: {certificate: /c.pem}\n"), "'certificate' and 'key' go together");
	}

	@Test
	void hookWithBothCommandAndSignalIsRefused() {
		assertRefused(minimal("""
				    outputs: {certificate: /c.pem, key: /k.pem}
				    hook: {command: [nginx, -s, reload], signal: HUP, pidFile: /run/x.pid}
				"""), "needs exactly one of 'command' or 'signal'");
	}

	@Test
	void renewalFractionOutOfRangeIsRefused() {
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nrenewal: {fraction: 0.95, jitter: 0.1}\n",
				"renewal: fraction must be in (0,1)");
	}

	@Test
	void invalidYamlIsRefusedWithTheFileName() {
		assertRefused("servers: [https://ca.internal:8443\n", "is not valid YAML");
	}

	@Test
	void anUnknownKeyIsRefusedWithItsPathAndTheNearestKnownKey() {
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nrenewl: {fraction: 0.3}\n",
				"agent.yaml: unknown key 'renewl' at the top level; did you mean 'renewal'?");
		assertRefused(minimal("    keytype: ec-p384\n    outputs: {certificate: /c.pem, key: /k.pem}\n"),
				"unknown key 'keytype' at workloads[0]; did you mean 'keyType'?");
		assertRefused(minimal("    outputs: {certificate: /c.pem, key: /k.pem, keyStore: /k.p12}\n"),
				"unknown key 'keyStore' at workloads[0].outputs; did you mean 'keystore'?");
		assertRefused(minimal("""
				    outputs: {certificate: /c.pem, key: /k.pem}
				    hook: {command: [nginx, -s, reload], timout: 5s}
				"""), "unknown key 'timout' at workloads[0].hook; did you mean 'timeout'?");
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nrenewal: {fraction: 0.3, jiter: 0.1}\n",
				"unknown key 'jiter' at renewal; did you mean 'jitter'?");
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nstatus: {prot: 9190}\n",
				"unknown key 'prot' at status; did you mean 'port'?");
	}

	@Test
	void jwtSvidsAreReadPerWorkload() throws IOException {
		AgentConfig config = load(minimal("""
				    outputs: {certificate: /c.pem, key: /k.pem}
				    jwtSvids:
				      - {audience: orders, file: /run/web/orders.jwt}
				      - {audience: "https://kc.example/realms/x", file: /run/web/kc.jwt}
				"""));
		assertThat(config.workloads().get(0).jwtSvids()).containsExactly(
				new AgentConfig.JwtSvidFile("orders", Path.of("/run/web/orders.jwt")),
				new AgentConfig.JwtSvidFile("https://kc.example/realms/x", Path.of("/run/web/kc.jwt")));
		assertThat(load(minimal("    outputs: {certificate: /c.pem, key: /k.pem}\n")).workloads().get(0).jwtSvids())
			.isEmpty();
	}

	@Test
	void badJwtSvidsAreRefusedNamingTheKey() {
		String outputs = "    outputs: {certificate: /c.pem, key: /k.pem}\n";
		assertRefused(minimal(outputs + "    jwtSvids: [{audience: orders, fiel: /o.jwt}]\n"),
				"unknown key 'fiel' at workloads[0].jwtSvids[0]; did you mean 'file'?");
		assertRefused(minimal(outputs + "    jwtSvids: [{audience: orders}]\n"),
				"workloads[0].jwtSvids[0].file: is required");
		assertRefused(minimal(outputs + "    jwtSvids: [{audience: 'a b', file: /o.jwt}]\n"),
				"workloads[0].jwtSvids[0].audience: must be non-empty, without whitespace");
		assertRefused(minimal(outputs + "    jwtSvids: {audience: orders, file: /o.jwt}\n"),
				"workloads[0].jwtSvids: must be a list");
		assertRefused(minimal(outputs + "    jwtSvids: [{audience: o, file: /a.jwt}, {audience: o, file: /b.jwt}]\n"),
				"workloads[0].jwtSvids[1].audience: 'o' is listed twice");
	}

	@Test
	void anUnknownKeyFarFromAnyKnownOneListsTheKnownKeys() {
		assertRefused("servers: [https://ca.internal:8443]\ndataDir: /x\nstatus: {listenAddress: 0.0.0.0}\n",
				"unknown key 'listenAddress' at status; known keys here: port");
	}

	@Test
	void aMissingPasswordFileForPkcs12OutputsIsRefusedAtStartNamingTheWorkloadAndThePath() throws IOException {
		Path missing = this.dir.resolve("p12-password");
		AgentConfig config = load(minimal("    outputs: {certificate: /c.pem, key: /k.pem, keystore: /k.p12, "
				+ "passwordFile: " + missing + "}\n"));

		assertThatExceptionOfType(AgentConfig.ConfigException.class)
			.isThrownBy(() -> config.checkFiles(this.dir.resolve("agent.yaml")))
			.withMessageContaining("agent.yaml: workloads[0].outputs.passwordFile: cannot read " + missing)
			.withMessageContaining("workload spiffe://td.example/web")
			.withMessageContaining("no such file");
	}

	@Test
	void aReadablePasswordFilePassesAndPemOnlyWorkloadsNeedNone() throws IOException {
		Path password = this.dir.resolve("p12-password");
		Files.writeString(password, "changeit\n");
		AgentConfig config = load("""
				servers: [https://ca.internal:8443]
				dataDir: /x
				workloads:
				  - spiffeId: spiffe://td.example/web
				    outputs: {truststore: /t.p12, keystore: /k.p12, passwordFile: %s}
				  - spiffeId: spiffe://td.example/api
				    outputs: {certificate: /c.pem, key: /k.pem}
				""".formatted(password));

		config.checkFiles(this.dir.resolve("agent.yaml"));

		assertThat(config.workloads().get(0).passwordFile()).isEqualTo(password);
	}

	@Test
	void aPasswordFileThatIsADirectoryIsRefusedAtStart() throws IOException {
		AgentConfig config = load(
				minimal("    outputs: {certificate: /c.pem, key: /k.pem, truststore: /t.p12, passwordFile: " + this.dir
						+ "}\n"));

		assertThatExceptionOfType(AgentConfig.ConfigException.class)
			.isThrownBy(() -> config.checkFiles(this.dir.resolve("agent.yaml")))
			.withMessageContaining("workloads[0].outputs.passwordFile: cannot read " + this.dir);
	}

	private static String minimal(String workloadBody) {
		return "servers: [https://ca.internal:8443]\ndataDir: /x\nworkloads:\n  - spiffeId: spiffe://td.example/web\n"
				+ workloadBody;
	}

	private void assertRefused(String yaml, String message) {
		assertThatExceptionOfType(AgentConfig.ConfigException.class).isThrownBy(() -> load(yaml))
			.withMessageContaining("agent.yaml")
			.withMessageContaining(message);
	}

	private AgentConfig load(String yaml) throws IOException {
		Path file = this.dir.resolve("agent.yaml");
		Files.writeString(file, yaml);
		return AgentConfig.load(file);
	}

}
