SET client_min_messages = warning;

-- Planner settings for this database, for every session FerretDB opens (so
-- they hold on a PostgreSQL of your own too; sessions opened before this file
-- ran keep their old settings until FerretDB reconnects).
-- * plan_cache_mode: FerretDB sends each filtered field as a statement
--   parameter; only a custom plan sees it as a constant that matches an index
--   expression below.
-- * jit and parallel workers off: the planner cannot estimate an @> filter on
--   a jsonb expression (it assumes a fixed share of the table), so a point
--   read of one prediction among 1M was planned as a parallel, JIT-compiled
--   scan: 0.1 ms in the index, 30-50 ms starting workers and compiling. The
--   store's queries are index reads of a few documents, for which neither
--   pays.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
  EXECUTE format('ALTER DATABASE %I SET max_parallel_workers_per_gather = 0', current_database());
END $$;
-- FerretDB 1.24 on PostgreSQL pushes an equality filter down as
--   _jsonb -> '<field>' @> '<value>'
-- (with the field as a statement parameter). The btree indexes it creates on
-- (_jsonb -> '<field>') cannot serve the @> operator, so every query would
-- scan its table. A GIN index (jsonb_path_ops) on the same expression serves
-- exactly that operator; with plan_cache_mode=force_custom_plan the planner
-- sees the field as a constant and matches the index expression.
--
-- This event trigger adds such an index next to every btree index FerretDB
-- creates (its `_id` index included), one per field, as it creates them: view
-- collections appear with every new generation, so this cannot be done once.
--
-- fastupdate = off: by default a GIN index queues new entries in a pending
-- list (up to gin_pending_list_limit, 4 MB) that every lookup scans in full
-- until a vacuum merges it. Under a steady stream of predictions that list is
-- never empty: right after 1M inserts a point read scanned about 70,000
-- queued entries (p99 4-6 ms, against 2.5-3 ms without the list). Without it
-- each insert updates the index in place, as a btree does (inserts about 20%
-- slower).
CREATE OR REPLACE FUNCTION prov_gin_beside_ferretdb_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
  definition text;
  table_name regclass;
  index_name text;
  field text;
  ordinal int;
BEGIN
  FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    definition := pg_get_indexdef(command.objid);
    -- Only FerretDB's own indexes: the GIN ones made here must not trigger more.
    CONTINUE WHEN definition NOT LIKE '%USING btree%_jsonb%';
    SELECT indrelid::regclass INTO table_name FROM pg_index WHERE indexrelid = command.objid;
    SELECT relname INTO index_name FROM pg_class WHERE oid = command.objid;
    ordinal := 0;
    FOR field IN SELECT (regexp_matches(definition, '_jsonb -> ''([^'']+)''::text', 'g'))[1] LOOP
      ordinal := ordinal + 1;
      EXECUTE format(
        'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops) WITH (fastupdate = off)',
        left(index_name, 52) || '_gin' || ordinal, table_name, field);
    END LOOP;
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS prov_gin_beside_ferretdb_index;
CREATE EVENT TRIGGER prov_gin_beside_ferretdb_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION prov_gin_beside_ferretdb_index();

-- Indexes made before fastupdate = off was set here: turn it off and merge
-- what their pending lists hold, so that an existing store reads as a new one.
DO $$
DECLARE
  gin record;
BEGIN
  FOR gin IN
    SELECT c.oid::regclass AS name
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    WHERE am.amname = 'gin'
      AND pg_get_indexdef(i.indexrelid) LIKE '%jsonb_path_ops%'
      AND NOT coalesce(c.reloptions @> ARRAY['fastupdate=off'], false)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', gin.name);
    PERFORM gin_clean_pending_list(gin.name);
  END LOOP;
END $$;
