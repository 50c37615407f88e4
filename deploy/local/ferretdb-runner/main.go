// Command ferretdb-runner starts FerretDB (a MongoDB wire-protocol server on
// SQLite or PostgreSQL) through its embeddable Go package, for local runs and
// integration tests of the provenance platform. FerretDB's own command needs
// a build-time version file that a module build does not have; its package
// does not.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:./data/", "SQLite directory URI (sqlite backend)")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL connection URL (postgresql backend)")
	listenTLS := flag.String("listen-tls", "", "TCP address of a TLS listener beside -listen-addr (none by default)")
	tlsCertFile := flag.String("listen-tls-cert-file", "", "PEM certificate (and chain) of the TLS listener")
	tlsKeyFile := flag.String("listen-tls-key-file", "", "PEM private key of the TLS listener")
	tlsCAFile := flag.String("listen-tls-ca-file", "", "PEM CA of client certificates: with it, the TLS listener requires one")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-runner: invalid -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	switch *handler {
	case "sqlite":
	case "postgresql":
		if *postgresqlURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-runner: -postgresql-url is required with -handler=postgresql")
			os.Exit(2)
		}
	default:
		fmt.Fprintf(os.Stderr, "ferretdb-runner: -handler must be sqlite or postgresql, not %q\n", *handler)
		os.Exit(2)
	}

	if *listenTLS != "" && (*tlsCertFile == "" || *tlsKeyFile == "") {
		fmt.Fprintln(os.Stderr, "ferretdb-runner: -listen-tls needs -listen-tls-cert-file and -listen-tls-key-file")
		os.Exit(2)
	}

	server, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP:         *listen,
			TLS:         *listenTLS,
			TLSCertFile: *tlsCertFile,
			TLSKeyFile:  *tlsKeyFile,
			TLSCAFile:   *tlsCAFile,
		},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *handler == "sqlite" {
		go keepIDLookupsIndexed(ctx, *sqliteURL, logger)
	}

	// Readiness is a MongoDB ping, done by the caller; this line is for the log.
	logger.Warn("ferretdb-runner listening", "addr", *listen, "tls", *listenTLS, "handler", *handler)
	if err := server.Run(ctx); err != nil && ctx.Err() == nil {
		logger.Error("FerretDB stopped", "error", err)
		os.Exit(1)
	}
}
