package io.tether.server.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.PkiException;
import io.tether.pki.SpiffeId;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The trust domain's JWT authority: EC P-256 keys that sign JWT-SVIDs (ES256), sealed
 * under the KEK in the database like the CA keys, each named by its RFC 7638 thumbprint
 * ({@code kid}). A key's life mirrors an intermediate's, in a simple form: it is
 * published in the SPIFFE bundle {@code publish-ahead} before it signs, signs for
 * {@code key-ttl}, and stays published {@link TetherProperties.JwtSvid#MAX_TTL} after its
 * last signature, so every JWT-SVID it signed can be verified until it expires. Rows are
 * kept after that (one per key life), which keeps {@link #sequence} a count of events.
 */
@Service
public class JwtAuthority {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final JwtKeyRepository keys;

	private final KeyEncryptionKey kek;

	private final TetherProperties properties;

	private final AuditLog audit;

	private final Clock clock;

	private final SecureRandom random;

	private final Map<String, PrivateKey> opened = new ConcurrentHashMap<>();

	JwtAuthority(JwtKeyRepository keys, KeyEncryptionKey kek, TetherProperties properties, AuditLog audit, Clock clock,
			SecureRandom random) {
		this.keys = keys;
		this.kek = kek;
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
		this.random = random;
	}

	/**
	 * A signed JWT-SVID.
	 *
	 * @param token the compact JWS
	 * @param kid the key that signed it
	 * @param jti its unique id
	 * @param issuedAt its {@code iat}
	 * @param expiresAt its {@code exp}
	 */
	public record SignedJwt(String token, String kid, String jti, Instant issuedAt, Instant expiresAt) {
	}

	/**
	 * A key of the JWT authority as the SPIFFE bundle publishes it.
	 *
	 * @param kid its key id
	 * @param publicKey its public key
	 */
	public record PublishedKey(String kid, ECPublicKey publicKey) {
	}

	/**
	 * Takes the steps that are due: a first key, signing at once, when none signs now; a
	 * successor when the newest key stops signing within {@code publish-ahead}. Each new
	 * key is audited.
	 * @return how many keys were created
	 */
	@Transactional
	public int advance() {
		Instant now = this.clock.instant();
		List<JwtKeyEntity> all = this.keys.findAllByOrderByActiveFromAscKidAsc();
		if (all.stream().noneMatch((key) -> key.signsAt(now))) {
			create(now, now);
			return 1;
		}
		JwtKeyEntity newest = all.get(all.size() - 1);
		if (!newest.getSignUntil().minus(this.properties.jwtSvid().publishAhead()).isAfter(now)) {
			create(now, newest.getSignUntil());
			return 1;
		}
		return 0;
	}

	/**
	 * Signs a JWT-SVID (SPIFFE JWT-SVID spec): header {@code alg} ES256, {@code kid},
	 * {@code typ} JWT; claims {@code sub} (the SPIFFE ID), {@code aud} (the one
	 * audience), {@code iat}, {@code exp} ({@code tether.jwt-svid.ttl} from now) and
	 * {@code jti}. The caller has checked the policy. Creates the first key if there is
	 * none.
	 * @param spiffeId the subject
	 * @param audience the audience
	 * @return the token
	 */
	@Transactional
	public SignedJwt sign(SpiffeId spiffeId, String audience) {
		Instant now = this.clock.instant();
		JwtKeyEntity key = signing(now);
		if (key == null) {
			advance();
			key = signing(now);
		}
		Instant expiresAt = now.plus(this.properties.jwtSvid().ttl());
		String jti = UUID.randomUUID().toString();
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "ES256");
		header.put("kid", key.getKid());
		header.put("typ", "JWT");
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", spiffeId.toString());
		claims.put("aud", List.of(audience));
		claims.put("iat", now.getEpochSecond());
		claims.put("exp", expiresAt.getEpochSecond());
		claims.put("jti", jti);
		String input = base64url(JSON.writeValueAsBytes(header)) + "." + base64url(JSON.writeValueAsBytes(claims));
		try {
			Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
			signature.initSign(open(key));
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			String token = input + "." + base64url(signature.sign());
			return new SignedJwt(token, key.getKid(), jti, Instant.ofEpochSecond(now.getEpochSecond()),
					Instant.ofEpochSecond(expiresAt.getEpochSecond()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("JWT-SVID cannot be signed with key " + key.getKid(), ex);
		}
	}

	/**
	 * The keys the SPIFFE bundle publishes now: every key created and not past its
	 * {@code publish_until}, oldest first.
	 * @return the keys
	 */
	@Transactional(readOnly = true)
	public List<PublishedKey> published() {
		Instant now = this.clock.instant();
		return this.keys.findAllByOrderByActiveFromAscKidAsc()
			.stream()
			.filter((key) -> key.publishedAt(now))
			.map((key) -> new PublishedKey(key.getKid(), publicKey(key.getPublicKey())))
			.toList();
	}

	/**
	 * How many times the published keys changed: keys created plus keys whose publication
	 * ended. It only grows, and every replica computes the same from the database.
	 * @return the count
	 */
	@Transactional(readOnly = true)
	public long sequence() {
		Instant now = this.clock.instant();
		List<JwtKeyEntity> all = this.keys.findAll();
		return all.size() + all.stream().filter((key) -> !key.getPublishUntil().isAfter(now)).count();
	}

	private JwtKeyEntity signing(Instant now) {
		JwtKeyEntity found = null;
		for (JwtKeyEntity key : this.keys.findAllByOrderByActiveFromAscKidAsc()) {
			if (key.signsAt(now)) {
				found = key;
			}
		}
		return found;
	}

	private void create(Instant now, Instant activeFrom) {
		KeyPair pair = KeyType.EC_P256.generate(this.random);
		ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
		String kid = thumbprint(publicKey);
		String sealed = Base64.getEncoder().encodeToString(this.kek.seal(pair.getPrivate(), associatedData(kid)));
		Instant signUntil = activeFrom.plus(this.properties.jwtSvid().keyTtl());
		Instant publishUntil = signUntil.plus(TetherProperties.JwtSvid.MAX_TTL);
		this.keys.save(new JwtKeyEntity(kid, Base64.getEncoder().encodeToString(publicKey.getEncoded()), sealed, now,
				activeFrom, signUntil, publishUntil));
		this.audit.record(AuditLog.SYSTEM, "jwt-authority.created", kid,
				"signs from " + activeFrom + " until " + signUntil + ", published until " + publishUntil);
	}

	private PrivateKey open(JwtKeyEntity key) {
		return this.opened.computeIfAbsent(key.getKid(), (kid) -> {
			try {
				return this.kek.open(Base64.getDecoder().decode(key.getSealedKey()), associatedData(kid));
			}
			catch (PkiException ex) {
				throw new IllegalStateException("Cannot open JWT signing key " + kid + ": " + ex.getMessage()
						+ ". Start with the KEK used when it was created", ex);
			}
		});
	}

	private static byte[] associatedData(String kid) {
		return ("tether-jwt-authority:" + kid).getBytes(StandardCharsets.UTF_8);
	}

	private static ECPublicKey publicKey(String base64) {
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A stored JWT public key cannot be read", ex);
		}
	}

	/**
	 * The RFC 7638 JWK thumbprint: SHA-256 of the required members in lexicographic
	 * order.
	 */
	static String thumbprint(ECPublicKey key) {
		String jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX()) + "\",\"y\":\""
				+ coordinate(key.getW().getAffineY()) + "\"}";
		try {
			return base64url(MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is missing from the JDK", ex);
		}
	}

	/**
	 * A P-256 coordinate as RFC 7518 6.2.1.2 writes it: 32 bytes, big-endian, base64url.
	 * @param value the coordinate
	 * @return its encoding
	 */
	public static String coordinate(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[32];
		int copy = Math.min(bytes.length, fixed.length);
		System.arraycopy(bytes, bytes.length - copy, fixed, fixed.length - copy, copy);
		return base64url(fixed);
	}

	private static String base64url(byte[] bytes) {
		return BASE64URL.encodeToString(bytes);
	}

}
