package io.tether.agent;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.Pem;

/**
 * The Tether servers' agent API (docs/api.md) over {@link ServerClient}: JSON in, records
 * out, decoded here at the edge.
 */
final class HttpCertificateAuthority implements CertificateAuthority {

	private final List<URI> servers;

	private volatile ServerClient client;

	HttpCertificateAuthority(List<URI> servers) {
		this.servers = servers;
	}

	@Override
	public Enrolled enroll(String joinToken, String rootSha256, Csr csr) throws ServerClient.ServerException {
		Map<String, Object> enrolled = ServerClient.pinned(this.servers, rootSha256)
			.post("/v1/agents/enroll", Map.of("joinToken", joinToken, "csr", csr.toPem()));
		return new Enrolled(Json.string(enrolled, "agent"), issued(enrolled));
	}

	@Override
	public void authenticateAs(IdentityStore.Identity identity) {
		this.client = ServerClient.mutual(this.servers, identity.key(), identity.chain(), identity.bundle());
	}

	@Override
	public Issued renewAgent(Csr csr) throws ServerClient.ServerException {
		return issued(client().post("/v1/agents/self/renew", Map.of("csr", csr.toPem())));
	}

	@Override
	public List<Entry> entries() throws ServerClient.ServerException {
		List<Entry> entries = new ArrayList<>();
		for (Object item : Json.array(client().get("/v1/agents/self/entries"), "entries")) {
			if (item instanceof Map<?, ?> entry) {
				entries.add(new Entry(Json.string(entry, "id"), String.valueOf(entry.get("spiffeId")),
						Json.array(entry, "dnsNames").stream().map(String::valueOf).toList()));
			}
		}
		return entries;
	}

	@Override
	public Issued issue(String entryId, Csr csr) throws ServerClient.ServerException {
		return issued(client().post("/v1/agents/self/certificates", Map.of("entryId", entryId, "csr", csr.toPem())));
	}

	private ServerClient client() {
		ServerClient current = this.client;
		if (current == null) {
			throw new IllegalStateException("not enrolled yet");
		}
		return current;
	}

	private static Issued issued(Map<String, Object> answer) {
		return new Issued(Pem.readCertificates(Json.string(answer, "certificateChain")),
				Pem.readCertificates(Json.string(answer, "bundle")));
	}

}
