-- API tokens get a role. An admin token may also list and revoke tokens; a client token may use
-- every other route. Tokens made before roles existed could already do everything, so they are
-- admin tokens.
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'client'));
