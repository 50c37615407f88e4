import pc from 'picocolors';
import { startEmbeddedPlatform } from '../embedded/embedded-platform';

/**
 * `prov up` (and `npm start`): the whole platform in this process until
 * Ctrl-C. Prints where each service listens and the local API key; the
 * projector logs its progress while it rebuilds the views from the log.
 */
export async function up(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Five services share this process and Nest's one logger: label their logs as the platform's.
  process.env['PROV_LOG_SERVICE'] ??= 'platform';
  const platform = await startEmbeddedPlatform(env);
  const { settings, urls } = platform;
  const width = Math.max(...Object.keys(urls).map((name) => name.length));
  const banner = [
    '',
    pc.bold(
      `Provenance platform, ${settings.eventLog === 'file' ? 'embedded' : 'on Kafka'}: data in ${settings.dataDirectory}`,
    ),
    ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(width)}  ${url}   (API docs ${url}/docs)`),
    '',
    `  API key for local use (every role): ${pc.bold(platform.localKey.token)}`,
    `  kept in ${platform.localKeyFile}; the prov command finds it there`,
    '',
    `  Try:  npx prov demo        then  npx prov trace <prediction id>`,
    `  Stop: Ctrl-C (everything recorded is kept in the data directory)`,
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the platform\n`);
    platform.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`while stopping: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const generation = await platform.viewsReady;
  process.stdout.write(`${pc.green('ready')}: the views (generation ${generation}) hold everything in the log\n`);
}
