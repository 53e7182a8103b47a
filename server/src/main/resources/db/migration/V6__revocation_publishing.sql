-- Revocation published to every relying party: CRLs and OCSP.

-- When an intermediate was revoked in an emergency rotation: its root's CRL lists it.
ALTER TABLE authority ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;

-- Bumped in every transaction that revokes a certificate: the CRL publisher compares it
-- with the value each CRL was built at, and every replica drops its cached OCSP answers
-- when it moves.
CREATE TABLE revocation_state (
    id    INTEGER NOT NULL PRIMARY KEY,
    epoch BIGINT  NOT NULL
);
INSERT INTO revocation_state (id, epoch) VALUES (1, 0);

-- The current CRL of each authority, as served at /crl/<key_id>.crl.
CREATE TABLE crl (
    authority_id VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES authority (id),
    key_id       VARCHAR(128) NOT NULL,
    crl_number   BIGINT       NOT NULL,
    epoch        BIGINT       NOT NULL,
    entries      INTEGER      NOT NULL,
    this_update  TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update  TIMESTAMP WITH TIME ZONE NOT NULL,
    der          BYTEA        NOT NULL
);

-- a CRL lists the revoked, unexpired certificates of one issuer
CREATE INDEX certificate_issuer_status ON certificate (issuer_id, status, not_after);
