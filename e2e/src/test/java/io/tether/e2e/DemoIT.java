package io.tether.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code bin/tether-demo} as a user would and checks that every step it narrates
 * happened: it exits non-zero when one does not go as told.
 */
class DemoIT {

	@TempDir
	Path directory;

	@Test
	void demoRunsTheWholeMainPath() throws Exception {
		Path repository = Path.of(System.getProperty("tether.repository")).toRealPath();
		Path output = this.directory.resolve("demo.log");
		ProcessBuilder builder = new ProcessBuilder(repository.resolve("bin/tether-demo").toString())
			.directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment()
			.put("JAVA_HOME", Path.of(System.getProperty("tether.java")).getParent().getParent().toString());
		builder.environment().put("TMPDIR", this.directory.toString());
		builder.environment().put("TETHER_DEMO_CA_PORT", String.valueOf(RunningProcess.freePort()));
		builder.environment().put("TETHER_DEMO_AUTHZ_PORT", String.valueOf(RunningProcess.freePort()));
		builder.environment().put("TETHER_DEMO_ORDERS_PORT", String.valueOf(RunningProcess.freePort()));
		builder.environment().remove("TETHER_CONFIG");
		// the jars this build just made; never a second Maven build inside this one
		builder.environment().put("TETHER_DEMO_NO_BUILD", "1");
		Process demo = builder.start();
		boolean finished = demo.waitFor(300, TimeUnit.SECONDS);
		if (!finished) {
			demo.descendants().forEach(ProcessHandle::destroyForcibly);
			demo.destroyForcibly();
		}
		String log = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(finished).as("demo finished within 300 s:\n" + log).isTrue();
		assertThat(demo.exitValue()).as(log).isZero();
		assertThat(log).contains("INFO enrolled agent=demo-host", "200 orders for spiffe://tether.internal/ns/web",
				"replay: 401 The access token is bound to another certificate",
				"certificate renewed workload=spiffe://tether.internal/ns/web", "credentials: now serial ", "revoked ",
				"the CA says the certificate is revoked", "== Done");
	}

}
