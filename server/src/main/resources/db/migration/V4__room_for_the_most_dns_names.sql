-- An entry or certificate may carry 100 DNS names of up to 253 characters each: joined
-- with commas that is 25,399 characters, and the audit line that lists them a little
-- more; the certificate itself, as PEM, about 36,000. The columns were narrower than the
-- limits the API accepts, so a valid request failed on the insert.
ALTER TABLE registration_entry ALTER COLUMN dns_names SET DATA TYPE VARCHAR(32000);
ALTER TABLE certificate ALTER COLUMN dns_names SET DATA TYPE VARCHAR(32000);
ALTER TABLE certificate ALTER COLUMN certificate_pem SET DATA TYPE VARCHAR(64000);
ALTER TABLE audit_event ALTER COLUMN detail SET DATA TYPE VARCHAR(64000);
