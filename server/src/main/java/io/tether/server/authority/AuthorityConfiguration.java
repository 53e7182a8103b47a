package io.tether.server.authority;

import java.security.SecureRandom;
import java.time.Clock;

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

	@Bean(initMethod = "start")
	HierarchyAuthority certificateAuthority(AuthorityRepository authorities, AuditLog audit,
			PlatformTransactionManager transactionManager, KeyEncryptionKey kek, TetherProperties properties,
			RevocationUrls urls, Clock clock, SecureRandom random) {
		return new HierarchyAuthority(authorities, audit, new TransactionTemplate(transactionManager), kek, properties,
				urls, clock, random);
	}

}
