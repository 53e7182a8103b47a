-- public clients redeem authorization codes: the token endpoint looks a code up by its
-- value, and the purge deletes codes that expired unredeemed (their rows have no access
-- token expiry)
CREATE INDEX authz_oauth2_authorization_code ON oauth2_authorization (authorization_code_value);
CREATE INDEX authz_oauth2_authorization_code_expiry ON oauth2_authorization (authorization_code_expires_at);
