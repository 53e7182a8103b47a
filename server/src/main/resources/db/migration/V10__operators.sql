-- Named operators and their roles (io.tether.server.operator). The name is the key and
-- is never reused, so that the audit log's actor names one person for ever. Only the
-- SHA-256 of the one-time enrollment token is kept; token_used_at set once, atomically,
-- makes it single-use. Revoking an operator keeps its row (state REVOKED).
CREATE TABLE operator_account (
    name             VARCHAR(63)   NOT NULL PRIMARY KEY,
    role             VARCHAR(16)   NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    created_by       VARCHAR(2048) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_by       VARCHAR(2048),
    revoked_at       TIMESTAMP WITH TIME ZONE,
    token_hash       VARCHAR(64),
    token_expires_at TIMESTAMP WITH TIME ZONE,
    token_used_at    TIMESTAMP WITH TIME ZONE
);
