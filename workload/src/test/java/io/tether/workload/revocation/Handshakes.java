package io.tether.workload.revocation;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * One mutual-TLS exchange over loopback sockets between two contexts: a handshake, then a
 * byte each way, so that a refusal on either side shows.
 */
final class Handshakes {

	private Handshakes() {
	}

	/**
	 * What each side saw.
	 *
	 * @param server the server's failure, {@code null} if it completed
	 * @param client the client's failure, {@code null} if it completed
	 */
	record Outcome(Throwable server, Throwable client) {

		boolean succeeded() {
			return this.server == null && this.client == null;
		}

	}

	private static Throwable serve(SSLServerSocket listener) {
		try (SSLSocket socket = (SSLSocket) listener.accept()) {
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			socket.getOutputStream().write(42);
			socket.getOutputStream().flush();
			if (socket.getInputStream().read() != 1) {
				throw new IOException("the client sent nothing back");
			}
			return null;
		}
		catch (Exception ex) {
			return ex;
		}
	}

	static Outcome run(SSLContext server, SSLContext client) throws Exception {
		try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			listener.setNeedClientAuth(true);
			CompletableFuture<Throwable> serverSide = new CompletableFuture<>();
			Thread.ofPlatform().name("handshake-server").start(() -> serverSide.complete(serve(listener)));
			Throwable clientFailure = null;
			try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
				.createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				if (socket.getInputStream().read() != 42) {
					throw new IOException("the server sent nothing");
				}
				socket.getOutputStream().write(1);
				socket.getOutputStream().flush();
			}
			catch (Exception ex) {
				clientFailure = ex;
			}
			return new Outcome(serverSide.get(20, TimeUnit.SECONDS), clientFailure);
		}
	}

}
