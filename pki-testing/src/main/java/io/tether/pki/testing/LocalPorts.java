package io.tether.pki.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test starts in another process or container, where the port has
 * to be chosen before the server binds it.
 */
public final class LocalPorts {

	private static final int FIRST_PORT = 10000;

	private static final int FIRST_EPHEMERAL_PORT = firstEphemeralPort();

	private static final int PORTS_BELOW_EPHEMERAL = FIRST_EPHEMERAL_PORT - FIRST_PORT;

	/**
	 * Starts at a random place so that two test JVMs in a row do not reuse each other's
	 * ports.
	 */
	private static final AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

	private LocalPorts() {
	}

	/**
	 * A port free now, below the kernel's ephemeral range and never handed out twice in
	 * this JVM. A port from {@code new ServerSocket(0)} comes from the ephemeral range,
	 * where the kernel also picks the local port of every outgoing connection: between
	 * the moment it is closed and the moment the server binds it, one of the connections
	 * the running servers open may take it ("Port ... was already in use").
	 * @return the port
	 */
	public static int free() {
		for (int attempt = 0; attempt < PORTS_BELOW_EPHEMERAL; attempt++) {
			int port = FIRST_PORT + Math.floorMod(next.getAndIncrement(), PORTS_BELOW_EPHEMERAL);
			try {
				new ServerSocket(port).close();
				return port;
			}
			catch (IOException ex) {
				// taken by something else on this machine: try the next one
			}
		}
		throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + (FIRST_EPHEMERAL_PORT - 1));
	}

	private static int firstEphemeralPort() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			int first = Integer.parseInt(range.split("\\s+")[0]);
			return (first > FIRST_PORT + 1000) ? first : 32768;
		}
		catch (IOException | RuntimeException ex) {
			return 32768; // Linux's default; elsewhere the range starts higher still
		}
	}

}
