package io.tether.server.registration;

import java.util.List;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

import io.tether.api.ProblemType;
import io.tether.pki.LeafSubjects;
import io.tether.pki.SpiffeId;
import io.tether.server.web.ApiException;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Keeps leaf subjects one per SPIFFE ID, so that an authorization server matching client
 * certificates by subject DN can never take one workload for another:
 * <ul>
 * <li>the organization the default rule gives this trust domain ({@code O=<trust
 * domain>}) belongs to default subjects: an entry's own subject may not use it, unless it
 * is exactly its SPIFFE ID's default;</li>
 * <li>an entry's subject may not be that of an entry for another SPIFFE ID, and entries
 * for one SPIFFE ID (one per agent) must agree on it.</li>
 * </ul>
 */
final class EntrySubjects {

	private EntrySubjects() {
	}

	/**
	 * The subject an entry's leaves carry.
	 * @param spiffeId its SPIFFE ID
	 * @param stored its own subject as stored, or {@code null}
	 * @return that subject, or the default rule's
	 */
	static X500Principal effective(SpiffeId spiffeId, String stored) {
		return (stored != null) ? new X500Principal(stored) : LeafSubjects.defaultFor(spiffeId);
	}

	/**
	 * Checks a new entry's subject against the rules and the entries already stored.
	 * @param spiffeId the new entry's SPIFFE ID
	 * @param subject its own subject, or {@code null} for the default
	 * @param candidates the stored entries for the same SPIFFE ID and those with their
	 * own subject
	 * @throws ApiException {@code bad-request} for a subject in the default rule's
	 * namespace, {@code conflict} for one another SPIFFE ID's entry has or one that
	 * differs from the other entries of its SPIFFE ID
	 */
	static void check(SpiffeId spiffeId, X500Principal subject, List<EntryEntity> candidates) {
		X500Principal wanted = (subject != null) ? subject : LeafSubjects.defaultFor(spiffeId);
		if (subject != null && !subject.equals(LeafSubjects.defaultFor(spiffeId))) {
			String reserved = organization(LeafSubjects.defaultFor(SpiffeId.ofTrustDomain(spiffeId.trustDomain())));
			if (organizations(subject).contains(reserved.toLowerCase(Locale.ROOT))) {
				throw new ApiException(ProblemType.BAD_REQUEST, "'subject' must not use O=" + reserved
						+ ": the default subjects of this trust domain's SPIFFE IDs have it; leave 'subject' out for "
						+ spiffeId + "'s default (" + LeafSubjects.defaultFor(spiffeId).getName() + ")");
			}
		}
		for (EntryEntity other : candidates) {
			SpiffeId otherId = SpiffeId.parse(other.getSpiffeId());
			X500Principal theirs = effective(otherId, other.getSubject());
			if (otherId.equals(spiffeId) && !theirs.equals(wanted)) {
				throw new ApiException(ProblemType.CONFLICT,
						"Entry " + other.getId() + " (agent '" + other.getAgentName() + "') gives " + spiffeId
								+ " the subject '" + theirs.getName() + "'; entries for one SPIFFE ID share it");
			}
			if (!otherId.equals(spiffeId) && theirs.equals(wanted)) {
				throw new ApiException(ProblemType.CONFLICT, "'subject' '" + wanted.getName() + "' is that of entry "
						+ other.getId() + " for " + otherId + "; every SPIFFE ID needs a subject of its own");
			}
		}
	}

	private static String organization(X500Principal principal) {
		return IETFUtils
			.valueToString(X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.O)[0].getFirst().getValue());
	}

	private static List<String> organizations(X500Principal principal) {
		RDN[] rdns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.O);
		return java.util.Arrays.stream(rdns)
			.map((rdn) -> IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT))
			.toList();
	}

}
