package io.tether.agent;

import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HookRunnerTest {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@Test
	void triggerReturnsAtOnceAndAHookAskedForWhileItRunsRunsOnceMoreAfter() throws Exception {
		CountDownLatch firstRunning = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		HookRunner runner = new HookRunner(this.threads, (hook, name) -> {
			if (runs.incrementAndGet() == 1) {
				firstRunning.countDown();
				await(release);
			}
		});
		AgentConfig.Workload web = workload("spiffe://td.example/ns/web", hook());

		runner.trigger(web);
		assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
		runner.trigger(web);
		runner.trigger(web);
		release.countDown();
		this.threads.shutdown();

		assertThat(this.threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(runs).as("the first run, then one more for the two asked meanwhile").hasValue(2);
	}

	@Test
	void oneWorkloadsRunningHookDoesNotHoldBackAnothers() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch apiRan = new CountDownLatch(1);
		HookRunner runner = new HookRunner(this.threads, (hook, name) -> {
			if (name.endsWith("/web")) {
				await(release);
			}
			else {
				apiRan.countDown();
			}
		});

		runner.trigger(workload("spiffe://td.example/ns/web", hook()));
		runner.trigger(workload("spiffe://td.example/ns/api", hook()));

		assertThat(apiRan.await(10, TimeUnit.SECONDS)).isTrue();
		release.countDown();
		runner.close();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static AgentConfig.Hook hook() {
		return new AgentConfig.Hook(List.of("true"), Duration.ofSeconds(30), null, null);
	}

	private static AgentConfig.Workload workload(String spiffeId, AgentConfig.Hook hook) {
		return new AgentConfig.Workload(SpiffeId.parse(spiffeId), KeyType.EC_P256, null, null, null, null, null, null,
				PosixFilePermissions.fromString("rw-------"), null, hook, false);
	}

}
