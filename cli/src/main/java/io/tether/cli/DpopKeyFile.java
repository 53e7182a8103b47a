package io.tether.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Pem;
import io.tether.workload.binding.DpopProofSigner;
import org.bouncycastle.jce.ECNamedCurveTable;

/**
 * The key a person's DPoP-bound tokens are bound to: an EC P-256 private key in a PEM
 * file only its owner can read ({@code ~/.config/tether/dpop-key.pem} unless told
 * otherwise), made on first use and kept, since a token is worth nothing without it.
 */
final class DpopKeyFile {

	private DpopKeyFile() {
	}

	static Path defaultPath(Map<String, String> environment) {
		return Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")))
			.resolve(".config/tether/dpop-key.pem");
	}

	/**
	 * The signer over the key in {@code file}, made there first when it does not exist.
	 */
	static DpopProofSigner loadOrCreate(Path file) {
		if (!Files.exists(file)) {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(new ECGenParameterSpec("secp256r1"));
				KeyPair pair = generator.generateKeyPair();
				if (file.toAbsolutePath().getParent() != null) {
					Files.createDirectories(file.toAbsolutePath().getParent());
				}
				AtomicFiles.write(file, Pem.write(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII),
						AtomicFiles.OWNER_ONLY);
			}
			catch (IOException | GeneralSecurityException ex) {
				throw new CliException(ExitCode.FAILED, "Cannot create the DPoP key " + file + " (" + ex + ")");
			}
		}
		return load(file);
	}

	/**
	 * The signer over the key in {@code file}, which must exist.
	 */
	static DpopProofSigner load(Path file) {
		PrivateKey key;
		try {
			key = Pem.readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.USAGE, "Cannot read the DPoP key " + file + " (" + ex + ")");
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(ExitCode.USAGE, file + " holds no PEM private key (" + ex.getMessage() + ")");
		}
		if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
			throw new CliException(ExitCode.USAGE, file + " is not an EC P-256 key; DPoP keys here are ES256");
		}
		return DpopProofSigner.of(new ECKey.Builder(Curve.P_256, publicKey(ec)).privateKey(ec).build(),
				Clock.systemUTC());
	}

	private static ECPublicKey publicKey(ECPrivateKey key) {
		org.bouncycastle.math.ec.ECPoint q = ECNamedCurveTable.getParameterSpec("secp256r1")
			.getG()
			.multiply(key.getS())
			.normalize();
		BigInteger x = q.getAffineXCoord().toBigInteger();
		BigInteger y = q.getAffineYCoord().toBigInteger();
		try {
			return (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), key.getParams()));
		}
		catch (GeneralSecurityException ex) {
			throw new CliException(ExitCode.USAGE, "The DPoP key's public point is not on P-256 (" + ex + ")");
		}
	}

}
