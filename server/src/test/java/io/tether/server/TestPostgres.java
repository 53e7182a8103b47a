package io.tether.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.tether.pki.testing.LocalPorts;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL in a Docker container, started by Testcontainers from a locally built
 * image (no registry needed) and published on a loopback port only: nothing outside this
 * machine can reach it, and tests reach it at {@code 127.0.0.1}. The port is fixed when
 * the container is created, so it survives a stop and start of the container.
 */
final class TestPostgres implements AutoCloseable {

	/** System property or environment variable naming the image to run. */
	static final String IMAGE_VARIABLE = "TETHER_TEST_POSTGRES_IMAGE";

	/** Built by {@code deploy/docker/local-base-images.sh postgres}. */
	static final String DEFAULT_IMAGE = "tether-local/postgres:latest";

	private static final int POSTGRES_PORT = 5432;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private final PostgreSQLContainer container;

	private final int hostPort;

	private TestPostgres(PostgreSQLContainer container, int hostPort) {
		this.container = container;
		this.hostPort = hostPort;
	}

	/**
	 * Starts a container, or fails saying what is missing: a Docker engine, or the image.
	 * @param neededBy the tests that need it, for the failure message
	 */
	static TestPostgres start(String neededBy) {
		if (!dockerAvailable()) {
			throw new IllegalStateException(neededBy + ": needs a Docker engine to run PostgreSQL in a container"
					+ " (Testcontainers), and Testcontainers finds none it can use here (its log says why): start one,"
					+ " reachable by this user (docker info)");
		}
		String image = image();
		requireImage(image, neededBy);
		int hostPort = LocalPorts.free(); // the same after a restart of the container
		PostgreSQLContainer container = new PostgreSQLContainer(
				DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
			.withCreateContainerCmdModifier((command) -> command.getHostConfig()
				.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
						ExposedPort.tcp(POSTGRES_PORT))));
		TestPostgres postgres = new TestPostgres(container, hostPort);
		container.waitingFor(new AcceptsConnections(postgres).withStartupTimeout(STARTUP_TIMEOUT));
		container.start();
		return postgres;
	}

	static String image() {
		String image = System.getProperty(IMAGE_VARIABLE, System.getenv(IMAGE_VARIABLE));
		return (image != null && !image.isBlank()) ? image : DEFAULT_IMAGE;
	}

	static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static void requireImage(String image, String neededBy) {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(image).exec();
		}
		catch (NotFoundException ex) {
			throw new IllegalStateException(neededBy + ": the PostgreSQL image " + image
					+ " is not in this Docker engine (and no registry may be reachable to pull it): build it with"
					+ " deploy/docker/local-base-images.sh postgres, or name another PostgreSQL image in "
					+ IMAGE_VARIABLE, ex);
		}
	}

	/**
	 * The superuser's URL, through loopback.
	 */
	String adminUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.hostPort + "/" + this.container.getDatabaseName() + "?user="
				+ this.container.getUsername() + "&password=" + this.container.getPassword();
	}

	int hostPort() {
		return this.hostPort;
	}

	String containerId() {
		return this.container.getContainerId();
	}

	/** Freezes every process of the database: connections stay open and hang. */
	void pause() {
		docker().pauseContainerCmd(containerId()).exec();
	}

	void unpause() {
		docker().unpauseContainerCmd(containerId()).exec();
	}

	/** The database dies at once (SIGKILL), as in a crash or a lost machine. */
	void kill() {
		docker().killContainerCmd(containerId()).exec();
	}

	/** Starts the killed container again, on its data and its port, and waits for it. */
	void restart() {
		docker().startContainerCmd(containerId()).exec();
		awaitConnections(STARTUP_TIMEOUT);
	}

	private DockerClient docker() {
		return this.container.getDockerClient();
	}

	void awaitConnections(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		SQLException last = null;
		while (Instant.now().isBefore(deadline)) {
			try (Connection connection = DriverManager
				.getConnection(adminUrl() + "&connectTimeout=2&socketTimeout=2")) {
				if (connection.isValid(2)) {
					return;
				}
			}
			catch (SQLException ex) {
				last = ex;
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException(
				"PostgreSQL in container " + containerId() + " (" + image() + ") accepts no connection on 127.0.0.1:"
						+ this.hostPort + " after " + timeout + "; logs:\n" + this.container.getLogs(),
				last);
	}

	@Override
	public void close() {
		this.container.stop();
	}

	/**
	 * Ready when a JDBC connection succeeds: fits both the local image, which logs "ready
	 * to accept connections" once, and the official one, which logs it twice.
	 */
	private static final class AcceptsConnections extends AbstractWaitStrategy {

		private final TestPostgres postgres;

		AcceptsConnections(TestPostgres postgres) {
			this.postgres = postgres;
		}

		@Override
		protected void waitUntilReady() {
			this.postgres.awaitConnections(this.startupTimeout);
		}

	}

}
