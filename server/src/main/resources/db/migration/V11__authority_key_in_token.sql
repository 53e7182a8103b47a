-- A CA key may live in a PKCS#11 token (tether.ca.key-store=pkcs11): its row then keeps
-- the key's label in the token, never the key. Existing rows keep their sealed keys.
ALTER TABLE authority ADD COLUMN key_store VARCHAR(16) DEFAULT 'kek' NOT NULL;
ALTER TABLE authority ADD COLUMN key_label VARCHAR(128);
ALTER TABLE authority ALTER COLUMN sealed_key DROP NOT NULL;
ALTER TABLE authority ADD CONSTRAINT authority_key_reference CHECK (
    (key_store = 'kek' AND sealed_key IS NOT NULL AND key_label IS NULL)
    OR (key_store = 'pkcs11' AND key_label IS NOT NULL AND sealed_key IS NULL));
