SET client_min_messages = warning;
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
        'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)',
        left(index_name, 52) || '_gin' || ordinal, table_name, field);
    END LOOP;
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS prov_gin_beside_ferretdb_index;
CREATE EVENT TRIGGER prov_gin_beside_ferretdb_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION prov_gin_beside_ferretdb_index();
