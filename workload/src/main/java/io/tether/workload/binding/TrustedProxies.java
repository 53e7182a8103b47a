package io.tether.workload.binding;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The addresses of TLS-terminating proxies whose {@code Client-Cert} header is believed:
 * single addresses ({@code 10.0.0.7}, {@code ::1}) or CIDR blocks ({@code 10.0.0.0/8}).
 * Literals only: a host name would make trust depend on DNS.
 */
final class TrustedProxies {

	private record Block(byte[] network, int prefix) {

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

	private final List<Block> blocks;

	private TrustedProxies(List<Block> blocks) {
		this.blocks = blocks;
	}

	static TrustedProxies of(List<String> entries) {
		return new TrustedProxies(entries.stream().map(TrustedProxies::parse).toList());
	}

	boolean contains(String remoteAddress) {
		if (remoteAddress == null || this.blocks.isEmpty()) {
			return false;
		}
		byte[] address;
		try {
			address = literal(remoteAddress).getAddress();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return this.blocks.stream().anyMatch((block) -> block.contains(address));
	}

	private static Block parse(String entry) {
		String[] parts = entry.strip().split("/", 2);
		byte[] network = literal(parts[0]).getAddress();
		int bits = network.length * 8;
		int prefix = bits;
		if (parts.length == 2) {
			try {
				prefix = Integer.parseInt(parts[1]);
			}
			catch (NumberFormatException ex) {
				prefix = -1;
			}
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("Trusted proxy '" + entry + "': prefix must be 0 to " + bits);
			}
		}
		return new Block(network, prefix);
	}

	private static InetAddress literal(String text) {
		boolean literal = text.matches("[0-9.]+") || text.contains(":");
		if (!literal) {
			throw new IllegalArgumentException("Trusted proxy '" + text + "' must be an IP address, not a host name");
		}
		try {
			// a literal is parsed without any DNS lookup
			return InetAddress.getByName(text.startsWith("[") ? text.substring(1, text.length() - 1) : text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Trusted proxy '" + text + "' is not an IP address", ex);
		}
	}

}
