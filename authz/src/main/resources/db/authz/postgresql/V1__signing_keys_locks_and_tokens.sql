-- Token signing keys, shared by every instance. The private key is sealed under the KEK
-- (AES-256-GCM, the key id bound as associated data), base64. A key publishes from
-- created_at, signs from activates_at (the newest whose time has come signs), stops signing
-- at retires_at (its successor's activation) and is deleted one token lifetime later.
CREATE TABLE authz_signing_key (
    kid                VARCHAR(64)   NOT NULL PRIMARY KEY,
    public_jwk         VARCHAR(2000) NOT NULL,
    sealed_private_key VARCHAR(1000) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    activates_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    retires_at         TIMESTAMP WITH TIME ZONE
);

-- ShedLock's lock per cluster-wide job; not the CA's shedlock, which may share this database.
CREATE TABLE authz_shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);

-- Issued tokens, for introspection and revocation on any instance: the table and columns
-- Spring's JdbcOAuth2AuthorizationService expects (its oauth2-authorization-schema.sql),
-- with text for its blob columns and time zones on its timestamps. Nothing else of the
-- CA's is named oauth2_*.
CREATE TABLE oauth2_authorization (
    id varchar(100) NOT NULL,
    registered_client_id varchar(100) NOT NULL,
    principal_name varchar(200) NOT NULL,
    authorization_grant_type varchar(100) NOT NULL,
    authorized_scopes varchar(1000) DEFAULT NULL,
    attributes text DEFAULT NULL,
    state varchar(500) DEFAULT NULL,
    authorization_code_value text DEFAULT NULL,
    authorization_code_issued_at timestamp with time zone DEFAULT NULL,
    authorization_code_expires_at timestamp with time zone DEFAULT NULL,
    authorization_code_metadata text DEFAULT NULL,
    access_token_value text DEFAULT NULL,
    access_token_issued_at timestamp with time zone DEFAULT NULL,
    access_token_expires_at timestamp with time zone DEFAULT NULL,
    access_token_metadata text DEFAULT NULL,
    access_token_type varchar(100) DEFAULT NULL,
    access_token_scopes varchar(1000) DEFAULT NULL,
    oidc_id_token_value text DEFAULT NULL,
    oidc_id_token_issued_at timestamp with time zone DEFAULT NULL,
    oidc_id_token_expires_at timestamp with time zone DEFAULT NULL,
    oidc_id_token_metadata text DEFAULT NULL,
    refresh_token_value text DEFAULT NULL,
    refresh_token_issued_at timestamp with time zone DEFAULT NULL,
    refresh_token_expires_at timestamp with time zone DEFAULT NULL,
    refresh_token_metadata text DEFAULT NULL,
    user_code_value text DEFAULT NULL,
    user_code_issued_at timestamp with time zone DEFAULT NULL,
    user_code_expires_at timestamp with time zone DEFAULT NULL,
    user_code_metadata text DEFAULT NULL,
    device_code_value text DEFAULT NULL,
    device_code_issued_at timestamp with time zone DEFAULT NULL,
    device_code_expires_at timestamp with time zone DEFAULT NULL,
    device_code_metadata text DEFAULT NULL,
    PRIMARY KEY (id)
);

-- the purge deletes by expiry
CREATE INDEX authz_oauth2_authorization_expiry ON oauth2_authorization (access_token_expires_at);

-- introspection and revocation look a token up by its value; a JWT can outgrow a B-tree
-- entry, a hash index holds any length
CREATE INDEX authz_oauth2_authorization_access_token ON oauth2_authorization USING hash (access_token_value);
