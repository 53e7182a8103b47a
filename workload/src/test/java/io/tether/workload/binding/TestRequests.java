package io.tether.workload.binding;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Minimal servlet request and response stand-ins: what the resolver and the filter read
 * and write, nothing else.
 */
public final class TestRequests {

	/** Where a servlet container puts the connection's client certificate chain. */
	public static final String TLS = "jakarta.servlet.request.X509Certificate";

	private TestRequests() {
	}

	public static HttpServletRequest request(String remoteAddress, Map<String, String> headers,
			Map<String, Object> attributes) {
		Map<String, Object> mutable = new HashMap<>(attributes);
		return (HttpServletRequest) Proxy.newProxyInstance(TestRequests.class.getClassLoader(),
				new Class<?>[] { HttpServletRequest.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getRemoteAddr" -> remoteAddress;
					case "getHeader" -> headers.entrySet()
						.stream()
						.filter((entry) -> entry.getKey().equalsIgnoreCase((String) args[0]))
						.map(Map.Entry::getValue)
						.findFirst()
						.orElse(null);
					case "getAttribute" -> mutable.get((String) args[0]);
					case "setAttribute" -> mutable.put((String) args[0], args[1]);
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

	/** A response that records status and headers into the given map ("status" key). */
	public static HttpServletResponse response(Map<String, String> recorded) {
		return (HttpServletResponse) Proxy.newProxyInstance(TestRequests.class.getClassLoader(),
				new Class<?>[] { HttpServletResponse.class }, (proxy, method, args) -> {
					switch (method.getName()) {
						case "setHeader" -> recorded.put((String) args[0], (String) args[1]);
						case "sendError" -> recorded.put("status", String.valueOf(args[0]));
						default -> throw new UnsupportedOperationException(method.getName());
					}
					return null;
				});
	}

}
