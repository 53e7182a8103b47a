-- Node agents, what they may obtain (registration entries), and how they join.

CREATE TABLE agent (
    name              VARCHAR(63)   NOT NULL PRIMARY KEY,
    spiffe_id         VARCHAR(2048) NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    certificate_serial VARCHAR(40)  NOT NULL,
    certificate_not_after TIMESTAMP WITH TIME ZONE NOT NULL,
    enrolled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Only a hash of the secret is kept; used_at set once, atomically, makes a token single-use.
CREATE TABLE join_token (
    id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    agent_name  VARCHAR(63)   NOT NULL,
    secret_hash VARCHAR(64)   NOT NULL,
    created_by  VARCHAR(2048) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE
);

CREATE TABLE registration_entry (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    spiffe_id   VARCHAR(2048) NOT NULL,
    agent_name  VARCHAR(63)   NOT NULL,
    dns_names   VARCHAR(8000) NOT NULL,
    ttl_seconds BIGINT        NOT NULL,
    created_by  VARCHAR(2048) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT registration_entry_spiffe_id_agent UNIQUE (spiffe_id, agent_name)
);

CREATE INDEX registration_entry_agent ON registration_entry (agent_name);
