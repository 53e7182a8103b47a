import java.io.FileInputStream;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The floor under the agent's resident memory, for bench/agent-memory.sh: a JVM with the
 * agent's options that does nothing but one mutual-TLS GET every 15 seconds, with
 * HttpsURLConnection (what the agent uses) or the JDK's HttpClient. Whatever the agent
 * holds above the first is its own; the second shows what HttpClient would add.
 *
 * usage: java TlsFloor urlconnection|httpclient URL CLIENT.p12 PASSWORD TRUST.p12
 */
public final class TlsFloor {

	public static void main(String[] args) throws Exception {
		URI url = URI.create(args[1]);
		char[] password = args[3].toCharArray();
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(load(args[2], password), password);
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load(args[4], password));
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
		HttpClient client = args[0].equals("httpclient")
				? HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build() : null;
		while (true) {
			String body;
			if (client != null) {
				body = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
			}
			else {
				HttpsURLConnection connection = (HttpsURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
				connection.setSSLSocketFactory(context.getSocketFactory());
				try (InputStream in = connection.getInputStream()) {
					body = new String(in.readAllBytes());
				}
			}
			System.out.println(args[0] + " " + body.length() + " bytes");
			Thread.sleep(15_000);
		}
	}

	private static KeyStore load(String file, char[] password) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(file)) {
			store.load(in, password);
		}
		return store;
	}

}
