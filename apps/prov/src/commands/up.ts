import { exitOnSignals } from '@prov/http-service';
import { logSettings, startLogging } from '@prov/logging';
import pc from 'picocolors';
import { describeFailure } from '../cli/exit-codes';
import { startEmbeddedPlatform } from '../embedded/embedded-platform';

/**
 * `prov up` (and `npm start`): the whole platform in this process until
 * Ctrl-C. Prints where each service listens and the local API key; the
 * projector logs its progress while it rebuilds the views from the log. With
 * JSON logs (PROV_LOG_FORMAT=json, the default when stdout is no terminal),
 * the same facts are log records, less the key, which stays in its file.
 */
export async function up(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Five services share this process and its one logger: their logs are the platform's.
  const logger = startLogging('platform', env);
  const pretty = logSettings(env).format === 'pretty';
  let platform: Awaited<ReturnType<typeof startEmbeddedPlatform>>;
  try {
    platform = await startEmbeddedPlatform(env);
  } catch (error) {
    const { exitCode, message } = describeFailure(error);
    logger.fatal(message);
    process.exitCode = exitCode;
    return;
  }
  const { settings, urls } = platform;
  const title = `Provenance platform, ${settings.eventLog === 'file' ? 'embedded' : 'on Kafka'}: data in ${settings.dataDirectory}`;
  if (pretty) {
    const width = Math.max(...Object.keys(urls).map((name) => name.length));
    const banner = [
      '',
      pc.bold(title),
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
  } else {
    logger.info({ urls, localKeyFile: platform.localKeyFile }, title);
  }
  exitOnSignals(platform.shutdownSteps, settings.shutdownTimeoutMs, logger);

  await platform.viewsReady.then(
    (generation) => {
      const ready = `the views (generation ${generation}) hold everything in the log`;
      if (pretty) process.stdout.write(`${pc.green('ready')}: ${ready}\n`);
      else logger.info({ generation }, `ready: ${ready}`);
    },
    (error: Error) => logger.warn(error.message),
  );
}
