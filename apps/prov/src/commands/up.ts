import { exitOnSignals } from '@prov/http-service';
import { logSettings, startLogging } from '@prov/logging';
import type { StatusAnswer } from '@prov/sdk';
import pc from 'picocolors';
import { describeFailure } from '../cli/exit-codes';
import { statusSummary } from '../cli/render';
import { startEmbeddedPlatform } from '../embedded/embedded-platform';

/**
 * `prov up` (and `npm start`): the whole platform in this process until
 * Ctrl-C. Prints where each service listens and the local API key; the
 * projector logs its progress while it rebuilds the views from the log, and
 * once they are ready one line says what the log and the views hold. With
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
    async (generation) => {
      // After a restart the views on disk answer at once, while what the log gained since is still folded in.
      const ready = `the views (generation ${generation}) answer queries`;
      // Said before the holdings are read: counting a MongoDB store's views can take a while, and the views answer now.
      if (pretty) process.stdout.write(`${pc.green('ready')}: ${ready}\n`);
      else logger.info({ generation }, `ready: ${ready}`);
      const status = await platform.status().catch((error: Error) => {
        logger.warn(`what the log and the views hold could not be read: ${error.message}`);
        return undefined;
      });
      if (!status) return;
      if (pretty) process.stdout.write(`  ${statusSummary(status)}\n`);
      else logger.info(bannerFacts(status), statusSummary(status));
    },
    (error: Error) => logger.warn(error.message),
  );
}

/** The start banner's facts as fields of its JSON log record. */
function bannerFacts({ eventLog, store }: StatusAnswer) {
  return {
    eventLog: { kind: eventLog.kind, records: eventLog.records, bytesOnDisk: eventLog.bytesOnDisk },
    views: {
      store: store.kind,
      generation: store.activeGeneration?.name ?? null,
      documents: store.activeGeneration?.documents ?? null,
      bytesOnDisk: store.bytesOnDisk,
    },
  };
}
