package io.tether.agent;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.tether.api.AgentIssued;
import io.tether.api.CsrRequest;
import io.tether.api.EnrollRequest;
import io.tether.api.EntryCsrRequest;
import io.tether.api.EntryList;
import io.tether.api.ReattestRequest;
import io.tether.pki.Csr;
import io.tether.pki.Pem;

/**
 * The Tether servers' agent API (docs/api.md) over {@link ServerClient}: the wire
 * contract's records ({@code io.tether.api}) in and out, bound to JSON here at the edge
 * by {@link Records}.
 */
final class HttpCertificateAuthority implements CertificateAuthority {

	private final List<URI> servers;

	private volatile ServerClient client;

	HttpCertificateAuthority(List<URI> servers) {
		this.servers = servers;
	}

	@Override
	public Enrolled enroll(String joinToken, String rootSha256, Csr csr) throws ServerClient.ServerException {
		io.tether.api.Enrolled enrolled = Records.read(
				ServerClient.pinned(this.servers, rootSha256)
					.post("/v1/agents/enroll", Records.write(new EnrollRequest(joinToken, csr.toPem()))),
				io.tether.api.Enrolled.class);
		return new Enrolled(required(enrolled.agent(), "agent"),
				issued(enrolled.certificateChain(), enrolled.bundle()));
	}

	@Override
	public void authenticateAs(IdentityStore.Identity identity) {
		this.client = ServerClient.mutual(this.servers, identity.key(), identity.chain(), identity.bundle());
	}

	@Override
	public Issued renewAgent(Csr csr) throws ServerClient.ServerException {
		return issued(Records.read(client().post("/v1/agents/self/renew", Records.write(new CsrRequest(csr.toPem()))),
				AgentIssued.class));
	}

	@Override
	public Issued reattest(String agent, X509Certificate certificate, Csr csr, List<X509Certificate> bundle)
			throws ServerClient.ServerException {
		return issued(
				Records.read(
						ServerClient.trusting(this.servers, bundle)
							.post("/v1/agents/reattest",
									Records.write(
											new ReattestRequest(agent, Pem.write(List.of(certificate)), csr.toPem()))),
						AgentIssued.class));
	}

	@Override
	public List<Entry> entries() throws ServerClient.ServerException {
		EntryList list = Records.read(client().get("/v1/agents/self/entries"), EntryList.class);
		List<Entry> entries = new ArrayList<>();
		for (io.tether.api.Entry entry : required(list.entries(), "entries")) {
			entries
				.add(new Entry(required(entry.id(), "entries[].id"), required(entry.spiffeId(), "entries[].spiffeId"),
						(entry.dnsNames() != null) ? entry.dnsNames() : List.of()));
		}
		return entries;
	}

	@Override
	public Issued issue(String entryId, Csr csr) throws ServerClient.ServerException {
		return issued(Records.read(
				client().post("/v1/agents/self/certificates", Records.write(new EntryCsrRequest(entryId, csr.toPem()))),
				AgentIssued.class));
	}

	@Override
	public Token jwtSvid(String spiffeId, String audience) throws ServerClient.ServerException {
		io.tether.api.JwtSvid svid = Records.read(
				client().post("/v1/agents/self/jwt-svids",
						Records.write(new io.tether.api.JwtSvidRequest(spiffeId, audience))),
				io.tether.api.JwtSvid.class);
		return new Token(required(svid.token(), "token"), required(svid.expiresAt(), "expiresAt"));
	}

	@Override
	public Bundle bundle(String etag) throws ServerClient.ServerException {
		ServerClient.Fetched fetched = client().fetch("/v1/bundle?intermediates=true", "application/x-pem-file", etag);
		if (fetched.notModified()) {
			return null;
		}
		return new Bundle(Pem.readCertificates(fetched.body()), fetched.etag(), fetched.servedBy());
	}

	private ServerClient client() {
		ServerClient current = this.client;
		if (current == null) {
			throw new IllegalStateException("not enrolled yet");
		}
		return current;
	}

	private static Issued issued(AgentIssued issued) {
		return issued(issued.certificateChain(), issued.bundle());
	}

	private static Issued issued(String chain, String bundle) {
		return new Issued(Pem.readCertificates(required(chain, "certificateChain")),
				Pem.readCertificates(required(bundle, "bundle")));
	}

	private static <T> T required(T value, String member) {
		if (value == null) {
			throw new Json.JsonException("the server's answer lacks '" + member + "'");
		}
		return value;
	}

}
