package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB 1.24's SQLite backend looks documents up by `_id` with the path
// expression `_ferretdb_sjson->'$._id'`, while the unique index it creates
// for `_id` is on `_ferretdb_sjson->"_id"`: SQLite cannot match the two, so
// every `_id` lookup scans its whole table (a point read of one prediction
// among a million reads all of them). keepIDLookupsIndexed gives every
// collection table an index on the very expression the lookups use, within
// a second of the table's creation. FerretDB does not know of these indexes
// (it lists its own from its metadata), and drops them with their tables.
func keepIDLookupsIndexed(ctx context.Context, sqliteURL string, logger *slog.Logger) {
	dir, err := sqliteDirectory(sqliteURL)
	if err != nil {
		logger.Warn("_id lookups stay unindexed", "error", err)
		return
	}
	// A database file is looked at again only when it or its write-ahead log changed.
	seen := map[string]time.Time{}
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			changed := modified(file)
			if last, ok := seen[file]; ok && !changed.After(last) {
				continue
			}
			if err := indexIDLookups(ctx, file, logger); err != nil {
				if ctx.Err() == nil {
					logger.Warn("could not index _id lookups", "file", file, "error", err)
				}
				continue
			}
			seen[file] = changed
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// sqliteDirectory is the directory of a FerretDB SQLite URL (file:./data/).
func sqliteDirectory(sqliteURL string) (string, error) {
	u, err := url.Parse(sqliteURL)
	if err != nil || u.Scheme != "file" {
		return "", fmt.Errorf("not a file: URL: %q", sqliteURL)
	}
	if u.Query().Get("mode") == "memory" {
		return "", fmt.Errorf("in-memory databases are not reachable from here: %q", sqliteURL)
	}
	dir := u.Opaque
	if dir == "" {
		dir = u.Path
	}
	return filepath.Clean(dir), nil
}

// modified is the latest modification time of a database file and its write-ahead log.
func modified(file string) time.Time {
	var latest time.Time
	for _, f := range []string{file, file + "-wal"} {
		if info, err := os.Stat(f); err == nil && info.ModTime().After(latest) {
			latest = info.ModTime()
		}
	}
	return latest
}

// indexIDLookups creates the missing `_id` lookup indexes of one database file's collection tables.
func indexIDLookups(ctx context.Context, file string, logger *slog.Logger) error {
	// mode=rw: a database dropped since the directory was listed must not be created again, empty (FerretDB
	// would then refuse to start, finding a file without its metadata table).
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var ferretdb int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`).Scan(&ferretdb); err != nil {
		if _, gone := os.Stat(file); gone != nil {
			return nil // dropped meanwhile
		}
		return err
	}
	if ferretdb == 0 {
		return nil // not (yet) a FerretDB database
	}

	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = '_ferretdb_' || t.name || '_id_lookup')`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, table := range tables {
		index := "_ferretdb_" + table + "_id_lookup"
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s (_ferretdb_sjson->'$._id')`, quote(index), quote(table))
		if _, err := db.ExecContext(ctx, q); err != nil {
			// A table dropped meanwhile is no failure.
			if strings.Contains(err.Error(), "no such table") {
				continue
			}
			return err
		}
		logger.Info("indexed _id lookups", "file", file, "table", table)
	}
	return nil
}

func quote(identifier string) string {
	return `"` + strings.ReplaceAll(identifier, `"`, `""`) + `"`
}
