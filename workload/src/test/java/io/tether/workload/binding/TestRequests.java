package io.tether.workload.binding;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.DispatcherType;
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
		Map<String, List<String>> multi = new HashMap<>();
		headers.forEach((name, value) -> multi.put(name, List.of(value)));
		return request("GET", "https://orders.test/orders", remoteAddress, multi, attributes);
	}

	/**
	 * A request with a method and URL, and headers that may repeat.
	 */
	public static HttpServletRequest request(String method, String url, String remoteAddress,
			Map<String, List<String>> headers, Map<String, Object> attributes) {
		Map<String, Object> mutable = new HashMap<>(attributes);
		return (HttpServletRequest) Proxy.newProxyInstance(TestRequests.class.getClassLoader(),
				new Class<?>[] { HttpServletRequest.class }, (proxy, method2, args) -> switch (method2.getName()) {
					case "getRemoteAddr" -> remoteAddress;
					case "getMethod" -> method;
					case "getRequestURL" -> new StringBuffer(url);
					case "getHeader" -> values(headers, (String) args[0]).stream().findFirst().orElse(null);
					case "getHeaders" -> Collections.enumeration(values(headers, (String) args[0]));
					case "getAttribute" -> mutable.get((String) args[0]);
					case "setAttribute" -> mutable.put((String) args[0], args[1]);
					case "removeAttribute" -> mutable.remove((String) args[0]);
					case "getDispatcherType" -> DispatcherType.REQUEST;
					case "getSession" -> null;
					default -> throw new UnsupportedOperationException(method2.getName());
				});
	}

	private static List<String> values(Map<String, List<String>> headers, String name) {
		return headers.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(List.of());
	}

	/**
	 * A response that records status and headers into the given map ("status" key, and
	 * "sendError" when the status came from {@code sendError}).
	 */
	public static HttpServletResponse response(Map<String, String> recorded) {
		return (HttpServletResponse) Proxy.newProxyInstance(TestRequests.class.getClassLoader(),
				new Class<?>[] { HttpServletResponse.class }, (proxy, method, args) -> {
					switch (method.getName()) {
						case "setHeader" -> recorded.put((String) args[0], (String) args[1]);
						case "setStatus" -> recorded.put("status", String.valueOf(args[0]));
						case "sendError" -> {
							recorded.put("status", String.valueOf(args[0]));
							recorded.put("sendError", "true");
						}
						default -> throw new UnsupportedOperationException(method.getName());
					}
					return null;
				});
	}

}
