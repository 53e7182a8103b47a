package io.tether.authz;

import java.security.SecureRandom;
import java.time.Clock;

import javax.sql.DataSource;

import io.tether.pki.KeyEncryptionKey;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * What instances behind one address share through the database: the token signing keys
 * (sealed under the KEK), the issued tokens, and the locks that make the scheduled jobs
 * run once ({@code authz_shedlock}: the CA's own {@code shedlock} may live in the same
 * database).
 */
@Configuration(proxyBeanMethods = false)
@EnableSchedulerLock(defaultLockAtMostFor = "PT5M")
class AuthzStorageConfiguration {

	@Bean
	KeyEncryptionKey authzKeyEncryptionKey(AuthzProperties properties, DataSourceProperties dataSource) {
		String url = dataSource.determineUrl();
		boolean embedded = url != null && url.startsWith("jdbc:h2:");
		return AuthzKeyEncryptionKey.load(properties, embedded, new SecureRandom());
	}

	@Bean(initMethod = "current")
	SigningKeys signingKeys(JdbcTemplate jdbc, KeyEncryptionKey kek, AuthzProperties properties, Clock clock) {
		return new SigningKeys(jdbc, kek, properties.signingKeyRotation(), properties.tokenTtl(),
				properties.keyReload(), clock);
	}

	@Bean
	DatabaseAuthorizations authorizations(JdbcTemplate jdbc, RegisteredClientRepository clients, Clock clock) {
		return new DatabaseAuthorizations(jdbc, clients, clock);
	}

	@Bean
	LockProvider authzLockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.withTableName("authz_shedlock")
			.usingDbTime()
			.build());
	}

}
