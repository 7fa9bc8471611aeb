-- hand-written: trigram matching for the conversation search (ILIKE '%…%' on message bodies and
-- customer names). pg_trgm is a trusted extension: the database owner may create it. PGlite loads it
-- from @electric-sql/pglite/contrib (lib/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
