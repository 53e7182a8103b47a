-- Revocation keeps the row: status REVOKED plus when and why (an RFC 5280 reason name).
ALTER TABLE certificate ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE certificate ADD COLUMN revocation_reason VARCHAR(32);

-- evicting an agent revokes what it obtained
CREATE INDEX certificate_requested_by ON certificate (requested_by);
