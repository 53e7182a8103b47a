package io.tether.authz;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Token signing keys (EC P-256), kept in {@code authz_signing_key} with the private key
 * sealed under the KEK, so that every instance sharing the database signs with the same
 * key, publishes the same JWKS, and a restart invalidates nothing.
 * <p>
 * Each key moves through prepared (in the JWKS, signs nothing) -> active (signs) ->
 * retired (in the JWKS until every token it signed has expired) -> removed.
 * {@link #rotate()} (run once across instances) makes those moves; every instance reads
 * the table again every {@code key-reload} ({@link #reload()}) and swaps its snapshot.
 * The newest key whose {@code activates_at} has come signs.
 */
final class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeys.class);

	/** Room for clock skew between instances and resource servers. */
	private static final Duration MARGIN = Duration.ofMinutes(5);

	record Key(ECKey jwk, Instant activatesAt, Instant retiresAt) {
	}

	private record Row(String kid, Instant activatesAt) {
	}

	private final JdbcTemplate jdbc;

	private final KeyEncryptionKey kek;

	private final Duration rotation;

	private final Duration tokenTtl;

	private final Duration lead;

	private final Clock clock;

	/** Newest activation first; replaced whole, never changed in place. */
	private volatile List<Key> snapshot = List.of();

	SigningKeys(JdbcTemplate jdbc, KeyEncryptionKey kek, Duration rotation, Duration tokenTtl, Duration reload,
			Clock clock) {
		this.jdbc = jdbc;
		this.kek = kek;
		this.rotation = rotation;
		this.tokenTtl = tokenTtl;
		this.lead = publishLead(rotation, reload);
		this.clock = clock;
	}

	/**
	 * How long a new key is published before it signs: long enough for every instance to
	 * have read it (three reload periods, at least a minute), yet well inside one
	 * rotation period.
	 */
	static Duration publishLead(Duration rotation, Duration reload) {
		Duration wanted = reload.multipliedBy(3);
		if (wanted.compareTo(Duration.ofMinutes(1)) < 0) {
			wanted = Duration.ofMinutes(1);
		}
		Duration half = rotation.dividedBy(2);
		return (wanted.compareTo(half) > 0) ? half : wanted;
	}

	/** The key that signs now; on a database without one, the first key is made. */
	ECKey current() {
		Key active = active(this.snapshot);
		return (active != null) ? active.jwk() : bootstrap();
	}

	private synchronized ECKey bootstrap() {
		reload();
		Key active = active(this.snapshot);
		if (active == null) {
			rotate();
			reload();
			active = active(this.snapshot);
		}
		if (active == null) {
			throw new IllegalStateException("No active token signing key in authz_signing_key");
		}
		return active.jwk();
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		String kid = selector.getMatcher().getKeyIDs() != null && selector.getMatcher().getKeyIDs().size() == 1
				? selector.getMatcher().getKeyIDs().iterator().next() : null;
		if (this.snapshot.isEmpty()) {
			current();
		}
		else if (kid != null && this.snapshot.stream().noneMatch((key) -> kid.equals(key.jwk().getKeyID()))) {
			// made by another instance since this one last looked
			reload();
		}
		List<Key> keys = this.snapshot;
		return selector.select(new JWKSet(keys.stream().map((key) -> (JWK) key.jwk()).toList()));
	}

	/**
	 * Reads the keys from the database and swaps the snapshot; a key already open is not
	 * opened again.
	 * @throws IllegalStateException if a key does not open with this KEK
	 */
	void reload() {
		Map<String, ECKey> open = new HashMap<>();
		this.snapshot.forEach((key) -> open.put(key.jwk().getKeyID(), key.jwk()));
		List<Key> keys = new ArrayList<>();
		this.jdbc.query("select kid, public_jwk, sealed_private_key, activates_at, retires_at from authz_signing_key",
				(row) -> {
					String kid = row.getString(1);
					ECKey jwk = open.get(kid);
					if (jwk == null) {
						jwk = unseal(kid, row.getString(2), row.getString(3));
					}
					Timestamp retires = row.getTimestamp(5);
					keys.add(new Key(jwk, row.getTimestamp(4).toInstant(),
							(retires != null) ? retires.toInstant() : null));
				});
		keys.sort(Comparator.comparing(Key::activatesAt).reversed());
		this.snapshot = List.copyOf(keys);
	}

	/**
	 * Makes the moves that are due, by this instance's clock: the first key (active at
	 * once) on an empty table; a prepared successor when the active key's rotation is
	 * {@code lead} away; removal of retired keys whose last token has expired. Meant to
	 * run once across instances (under a lock); two running at once leave at worst one
	 * spare key, which the next rotation retires.
	 * @return what it did, for the log
	 */
	String rotate() {
		// the database keeps microseconds or less: a key made now must not read back as
		// activating a fraction later
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		List<Row> rows = this.jdbc.query("select kid, activates_at from authz_signing_key order by activates_at desc",
				(row, index) -> new Row(row.getString(1), row.getTimestamp(2).toInstant()));
		List<String> done = new ArrayList<>();
		Row active = rows.stream().filter((row) -> !row.activatesAt().isAfter(now)).findFirst().orElse(null);
		boolean pending = rows.stream().anyMatch((row) -> row.activatesAt().isAfter(now));
		if (active == null && !pending) {
			done.add("created the first signing key " + insert(now));
		}
		else if (active != null && !pending
				&& !now.isBefore(active.activatesAt().plus(this.rotation).minus(this.lead))) {
			Instant activates = now.plus(this.lead);
			String kid = insert(activates);
			this.jdbc.update("update authz_signing_key set retires_at = ? where retires_at is null and kid <> ?",
					Timestamp.from(activates), kid);
			done.add("prepared signing key " + kid + ", signing from " + activates);
		}
		// a retired key signed its last token at retires_at; that token expires within a
		// token lifetime
		int removed = this.jdbc.update("delete from authz_signing_key where retires_at < ?",
				Timestamp.from(now.minus(this.tokenTtl).minus(MARGIN)));
		if (removed > 0) {
			done.add("removed " + removed + " retired signing key(s)");
		}
		String result = done.isEmpty() ? "nothing due" : String.join("; ", done);
		if (!done.isEmpty()) {
			logger.info("Signing keys: {}", result);
		}
		return result;
	}

	private Key active(List<Key> keys) {
		Instant now = this.clock.instant();
		return keys.stream().filter((key) -> !key.activatesAt().isAfter(now)).findFirst().orElse(null);
	}

	private String insert(Instant activates) {
		ECKey key = generate();
		byte[] sealed;
		try {
			sealed = this.kek.seal(key.toECPrivateKey(), aad(key.getKeyID()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot seal the new signing key", ex);
		}
		this.jdbc.update(
				"insert into authz_signing_key (kid, public_jwk, sealed_private_key, created_at, activates_at)"
						+ " values (?, ?, ?, ?, ?)",
				key.getKeyID(), key.toPublicJWK().toJSONString(), Base64.getEncoder().encodeToString(sealed),
				Timestamp.from(this.clock.instant()), Timestamp.from(activates));
		return key.getKeyID();
	}

	private ECKey unseal(String kid, String publicJwk, String sealed) {
		try {
			ECKey key = ECKey.parse(publicJwk);
			if (!kid.equals(key.getKeyID())) {
				throw new IllegalStateException("Signing key " + kid + " holds the public key of " + key.getKeyID());
			}
			ECPrivateKey secret = (ECPrivateKey) this.kek.open(Base64.getDecoder().decode(sealed), aad(kid));
			return new ECKey.Builder(key).privateKey(secret).build();
		}
		catch (PkiException ex) {
			throw new IllegalStateException("Signing key " + kid + " in authz_signing_key does not open: "
					+ ex.getMessage() + ". Every instance must use the KEK that sealed it (tether.authz.kek)", ex);
		}
		catch (ParseException | IllegalArgumentException | ClassCastException ex) {
			throw new IllegalStateException("Signing key " + kid + " in authz_signing_key is malformed", ex);
		}
	}

	/**
	 * The key id is bound to the sealed bytes: a row's key cannot be moved to another.
	 */
	private static byte[] aad(String kid) {
		return ("tether-authz-signing-key:" + Objects.requireNonNull(kid)).getBytes(StandardCharsets.UTF_8);
	}

	private static ECKey generate() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a signing key", ex);
		}
	}

}
