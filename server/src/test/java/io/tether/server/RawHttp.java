package io.tether.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.tether.pki.Pkcs12;

/**
 * Requests written byte for byte over TLS, for what {@code HttpClient} will not send: a
 * malformed percent-encoding, a header too large, a request line Tomcat refuses.
 */
final class RawHttp {

	private RawHttp() {
	}

	record Response(int status, String head, String body) {

		String contentType() {
			return header("Content-Type");
		}

		/** A header's value, or "" when it is absent. */
		String header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			for (String line : this.head.split("\r\n")) {
				if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
					return line.substring(prefix.length()).strip();
				}
			}
			return "";
		}

	}

	static Response get(RunningServer server, String target) {
		return send(server, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	}

	static Response send(RunningServer server, String request) {
		return send(server, request, null);
	}

	/**
	 * A POST of JSON from a chosen local address: any 127.x.y.z is this host's loopback
	 * on Linux, so one test can be many sources to the server.
	 */
	static Response postJson(RunningServer server, String path, String json, InetAddress source) {
		return postJson(server, path, json, source, "");
	}

	/**
	 * @param headers more header lines, each ending with CRLF
	 */
	static Response postJson(RunningServer server, String path, String json, InetAddress source, String headers) {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		return send(server,
				"POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
						+ "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n"
						+ new String(body, StandardCharsets.ISO_8859_1),
				source);
	}

	/**
	 * @param source the local address to connect from, or {@code null} for any
	 */
	static Response send(RunningServer server, String request, InetAddress source) {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(Pkcs12.trustStore(server.bundleFile()));
			SSLContext ssl = SSLContext.getInstance("TLS");
			ssl.init(null, trust.getTrustManagers(), null);
			SSLSocketFactory sockets = ssl.getSocketFactory();
			try (SSLSocket socket = (SSLSocket) ((source != null)
					? sockets.createSocket(InetAddress.getByName("127.0.0.1"), server.port(), source, 0)
					: sockets.createSocket("localhost", server.port()))) {
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				out.write(request.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				return parse(readAll(socket.getInputStream()));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The same over plain HTTP, as to the management port. */
	static Response sendPlain(int port, String request) {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				bytes.write(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			// a server that closes without close_notify after answering
			if (bytes.size() == 0) {
				throw ex;
			}
		}
		return bytes.toByteArray();
	}

	private static Response parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			throw new IllegalStateException("No complete HTTP response: " + text);
		}
		String head = text.substring(0, end);
		byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
		if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
			body = unchunk(body);
		}
		int status = Integer.parseInt(head.split(" ", 3)[1]);
		return new Response(status, head, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] unchunk(byte[] chunked) {
		String text = new String(chunked, StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int at = 0;
		while (at < text.length()) {
			int lineEnd = text.indexOf("\r\n", at);
			if (lineEnd < 0) {
				break;
			}
			int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].strip(), 16);
			if (size == 0) {
				break;
			}
			body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
			at = lineEnd + 2 + size + 2;
		}
		return body.toByteArray();
	}

}
