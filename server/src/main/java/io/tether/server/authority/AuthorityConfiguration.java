package io.tether.server.authority;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import io.tether.pki.KeyEncryptionKey;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class AuthorityConfiguration {

	@Bean
	KeyEncryptionKey keyEncryptionKey(TetherProperties properties, DataSourceProperties dataSource,
			SecureRandom random) {
		String url = dataSource.determineUrl();
		boolean embedded = url != null && url.startsWith("jdbc:h2:");
		return KeyEncryptionKeyLoader.load(properties, embedded, random);
	}

	@Bean
	RevocationUrls revocationUrls(TetherProperties properties) {
		return new RevocationUrls(properties);
	}

	/**
	 * New CA keys go where {@code tether.ca.key-store} says; keys sealed under the KEK
	 * still open, so a hierarchy made before the token was configured signs on until its
	 * authorities rotate into the token.
	 */
	@Bean
	CaKeys caKeys(TetherProperties properties, KeyEncryptionKey kek, SecureRandom random) {
		CaKeyStore sealed = new KekCaKeyStore(kek, random);
		if (properties.ca().inToken()) {
			CaKeyStore token = Pkcs11CaKeyStore.open(properties.ca().pkcs11());
			return new CaKeys(token, List.of(token, sealed));
		}
		return new CaKeys(sealed, List.of(sealed));
	}

	@Bean(initMethod = "start")
	HierarchyAuthority certificateAuthority(AuthorityRepository authorities, AuditLog audit,
			PlatformTransactionManager transactionManager, CaKeys keys, TetherProperties properties,
			RevocationUrls urls, Clock clock, SecureRandom random) {
		return new HierarchyAuthority(authorities, audit, new TransactionTemplate(transactionManager), keys, properties,
				urls, clock, random);
	}

}
