package io.tether.workload.revocation;

import java.net.URI;

/**
 * Paths under the CA's revocation base URL.
 */
final class Endpoints {

	private Endpoints() {
	}

	/**
	 * Appends a path to the base URL, whether or not the base ends in a slash.
	 * @param base such as {@code http://ca:8480} or {@code http://ca:8480/pki/}
	 * @param path a relative path without a leading slash
	 * @return the URL
	 */
	static URI resolve(URI base, String path) {
		String text = base.toString();
		return URI.create(text.endsWith("/") ? text + path : text + "/" + path);
	}

}
