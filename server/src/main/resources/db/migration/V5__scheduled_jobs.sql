-- Scheduled jobs. shedlock: one row per cluster-wide job, the lock that makes replicas
-- sharing this database run it once per period (ShedLock's JDBC provider).
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);

-- The last run of each job on each replica ('*' for a cluster-wide job), for 'tether status'.
CREATE TABLE job_run (
    name        VARCHAR(64)   NOT NULL,
    replica     VARCHAR(255)  NOT NULL,
    runs        BIGINT        NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome     VARCHAR(16)   NOT NULL,
    detail      VARCHAR(2000),
    PRIMARY KEY (name, replica)
);
