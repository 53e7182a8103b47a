-- Workload leaves carry a subject of their own (issue 15): NULL means the default rule
-- (CN = SPIFFE ID path, O = trust domain; io.tether.pki.LeafSubjects), otherwise the
-- RFC 4514 subject an admin set on the entry, as Java prints it.
ALTER TABLE registration_entry ADD COLUMN subject VARCHAR(1024);

-- The JWT-SVID audiences an entry allows, comma-separated ('' for none).
ALTER TABLE registration_entry ADD COLUMN audiences VARCHAR(8000) DEFAULT '' NOT NULL;

-- JWT-SVID signing keys (EC P-256, ES256), sealed under the key encryption key like the
-- CA keys. A key is published in the SPIFFE bundle from created_at until publish_until,
-- and signs from active_from until sign_until; publish_until is sign_until plus the
-- longest JWT-SVID lifetime, so every token it signed stays verifiable.
CREATE TABLE jwt_authority (
    kid           VARCHAR(64)    NOT NULL PRIMARY KEY,
    public_key    VARCHAR(4000)  NOT NULL,
    sealed_key    VARCHAR(16000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    active_from   TIMESTAMP WITH TIME ZONE NOT NULL,
    sign_until    TIMESTAMP WITH TIME ZONE NOT NULL,
    publish_until TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX jwt_authority_publish_until ON jwt_authority (publish_until);
