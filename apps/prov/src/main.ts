import { REJECTION_REASONS } from '@prov/contracts';
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { ConnectionOptions, clientFor } from './cli/connection';
import { defaultDataDirectory } from './cli/data-directory';
import { EXIT, describeFailure } from './cli/exit-codes';
import { Output } from './cli/output';
import { attest } from './commands/attest';
import { VerifyOptions, auditBundle, auditExport, auditProve, auditVerify } from './commands/audit';
import { DeadLettersOptions, deadLetters } from './commands/dead-letters';
import { demo } from './commands/demo';
import { check } from './commands/check';
import { compare, impact, trace } from './commands/queries';
import { rotateKeys } from './commands/keys';
import { rebuild } from './commands/rebuild';
import { status } from './commands/status';
import { up } from './commands/up';
import { verifyData } from './commands/verify-data';

interface GlobalOptions extends ConnectionOptions {
  json?: boolean;
}

const EXIT_CODES_HELP = `
Exit codes: 0 done; 1 the check failed (verify-data mismatch, check unsatisfied, trace --require-complete incomplete,
an audit verification that found a divergence, or with --require-checkpoint events no checkpoint covers);
2 usage; 3 not found; 4 the platform did not answer or is not ready; 5 no or insufficient API key;
6 the platform refused the request as invalid; 70 an unexpected error.

Services: http://<host>:8081..8085 (PROV_TRAINING_PORT, ... PROV_GATEWAY_PORT), or each one's
PROV_TRAINING_URL, PROV_REGISTRY_URL, PROV_INFERENCE_URL, PROV_PROJECTOR_URL, PROV_GATEWAY_URL.
API key: --api-key, PROV_API_KEY, or the local key 'prov up' keeps in the data directory.`;

function program(): Command {
  const cli = new Command('prov')
    .description('ML provenance: which model, run, pipeline and data made a prediction, with proof')
    .option('--json', 'print the answer as JSON (no colours, no progress)')
    .option('--api-key <token>', 'API key (default: PROV_API_KEY, else the local key of prov up)')
    .option(
      '--data-dir <dir>',
      "the embedded platform's data directory (default: PROV_DATA_DIR, or .provenance at the repository root)",
    )
    .option('--host <host>', 'where the services listen (default: PROV_HOST or 127.0.0.1)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride();

  const run = (action: (globals: GlobalOptions, out: Output) => Promise<number>) => async () => {
    const globals = cli.opts<GlobalOptions>();
    process.exitCode = await action(globals, new Output(globals.json === true));
  };
  const dataDirectory = (globals: GlobalOptions) => defaultDataDirectory(globals.dataDir);
  const env = (globals: GlobalOptions): NodeJS.ProcessEnv => ({
    ...process.env,
    PROV_DATA_DIR: dataDirectory(globals),
  });

  cli
    .command('up')
    .description('run the whole platform in this process (embedded: file log, in-process store) until Ctrl-C')
    .action(async () => {
      await up(env(cli.opts<GlobalOptions>()));
    });

  cli
    .command('demo')
    .description('record a realistic scenario through the API, then ask it the questions the platform answers')
    .option('--timeout <seconds>', 'how long to wait for the views', '120')
    .action((options: { timeout: string }) =>
      run((globals, out) =>
        demo(clientFor(globals), out, {
          dataDirectory: resolve(dataDirectory(globals), 'demo-data'),
          timeoutSeconds: Number(options.timeout),
        }),
      )(),
    );

  cli
    .command('trace <predictionId>')
    .description('what produced a prediction: deployment, model version, run, pipeline, slices, dataset versions')
    .addOption(new Option('--level <level>', 'capture level').choices(['standard', 'full']).default('full'))
    .option('--require-complete', 'exit 1 when the lineage misses something the level asks for')
    .action((id: string, options: { level: 'standard' | 'full'; requireComplete?: boolean }) =>
      run((globals, out) => trace(clientFor(globals), out, id, options))(),
    );

  cli
    .command('impact <sliceOrDatasetVersionId>')
    .description('the model versions, deployments and predictions a slice (or a whole dataset version) touched')
    .option('--predictions <count>', 'also list up to this many prediction ids (slices)')
    .action((id: string, options: { predictions?: string }) =>
      run((globals, out) =>
        impact(clientFor(globals), out, id, {
          predictions: options.predictions ? Number(options.predictions) : undefined,
        }),
      )(),
    );

  cli
    .command('compare <left> <right>')
    .description('two model versions or deployments: same data snapshot?, and what differs')
    .action((left: string, right: string) => run((globals, out) => compare(clientFor(globals), out, left, right))());

  cli
    .command('check')
    .description('does a model version satisfy a provenance policy (YAML or JSON file)? exit 0 if so, 1 if not')
    .requiredOption('--model <modelVersionId>', 'the model version, e.g. model:churn@2')
    .requiredOption('--policy <file>', 'the policy file (apiVersion provenance/v1, kind ProvenancePolicy)')
    .option('--approver <name>', 'who would approve the promotion (for separation of duties)')
    .action((options: { model: string; policy: string; approver?: string }) =>
      run((globals, out) => check(clientFor(globals), out, options))(),
    );

  cli
    .command('attest <modelVersionId>')
    .description("a model version's in-toto attestation (DSSE, Ed25519): its artifact digest and lineage, signed")
    .option('--out <file>', 'write the DSSE envelope here (default: print it)')
    .action((id: string, options: { out?: string }) =>
      run((globals, out) => attest(clientFor(globals), out, id, options))(),
    );

  cli
    .command('status')
    .description(
      'what the event log and the views hold: records per topic, documents per view, size on disk, the active generation (role auditor)',
    )
    .action(() => run((globals, out) => status(clientFor(globals), out))());

  cli
    .command('rebuild')
    .description('replay the whole event log into new views, activated once caught up (role auditor)')
    .option('--no-wait', 'return once the rebuild has started')
    .option('--timeout <seconds>', 'how long to wait for the new views', '3600')
    .action((options: { wait: boolean; timeout: string }) =>
      run((globals, out) =>
        rebuild(clientFor(globals), out, { wait: options.wait, timeoutSeconds: Number(options.timeout) }),
      )(),
    );

  cli
    .command('keys')
    .description("the keys that wrap the data subjects' keys")
    .command('rotate')
    .description(
      'wrap every live subject key under a new key-encryption key and destroy the old ones (role data-steward)',
    )
    .requiredOption('--reason <text>', 'why: a scheduled rotation, or the erasures it completes')
    .action((options: { reason: string }) =>
      run((globals, out) => rotateKeys(clientFor(globals), out, options.reason))(),
    );

  cli
    .command('dead-letters')
    .description('the messages the projector refused, newest first: why, where, and their first bytes (role auditor)')
    .addOption(new Option('--reason <reason>', 'only those refused for this reason').choices(REJECTION_REASONS))
    .option('--topic <topic>', 'only those refused on this topic, e.g. provenance.inference.v1')
    .option('--limit <count>', 'dead letters per page, 1 to 1000 (default 100)')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .option('--all', 'follow every page to the oldest')
    .action((options: DeadLettersOptions) => run((globals, out) => deadLetters(clientFor(globals), out, options))());

  cli
    .command('verify-data <datasetVersionId> <path>')
    .description('recompute the manifest digest of the files at <path>: are they exactly that dataset version?')
    .action((id: string, path: string) => run((_globals, out) => verifyData(out, id, path))());

  const audit = cli
    .command('audit')
    .description(
      'the tamper-evident audit log: verify it offline, prove a prediction, bundle its record (role auditor)',
    );

  audit
    .command('verify')
    .description(
      'recompute every digest, signature, leaf and signed root: of an export (--from), a bundle (--bundle), the event log (--kafka, --event-log), or the platform',
    )
    .option('--from <file>', 'an export of prov audit export (JSON lines)')
    .option('--bundle <file>', 'a bundle of prov audit bundle, checked with no access to the platform')
    .option('--kafka <brokers>', 'read the event stream and the published checkpoints from Kafka (host:port,...)')
    .option('--event-log <dir>', "read them from a file event log (the stopped embedded platform's <data dir>/log)")
    .option('--topic-prefix <prefix>', 'the topics of --kafka or --event-log live under this prefix')
    .option(
      '--keys <file>',
      'pinned keys, { "keys": [...] } as GET /v1/audit/keys answers (default: those given along)',
    )
    .option('--allow-unsigned', 'accept unsigned events (a development setting)')
    .option(
      '--require-checkpoint',
      'fail (exit 1) when a log has events that no signed checkpoint covers yet (each log says how much one covers)',
    )
    .action((options: VerifyOptions) => run((globals, out) => auditVerify(() => clientFor(globals), out, options))());

  audit
    .command('export')
    .description('write every logged event as published, with its stored leaf, every checkpoint and key, as JSON lines')
    .requiredOption('--out <file>', 'where to write the export')
    .action((options: { out: string }) => run((globals, out) => auditExport(clientFor(globals), out, options))());

  audit
    .command('prove <predictionId>')
    .description("print a prediction's chain of events with their inclusion proofs and checkpoints, verified here")
    .addOption(new Option('--level <level>', 'capture level').choices(['standard', 'full']).default('full'))
    .action((id: string, options: { level: 'standard' | 'full' }) =>
      run((globals, out) => auditProve(clientFor(globals), out, id, options))(),
    );

  audit
    .command('bundle <predictionId>')
    .description('write one self-contained file: trace, events, inclusion proofs, signed checkpoints and public keys')
    .requiredOption('--out <file>', 'where to write the bundle')
    .addOption(new Option('--level <level>', 'capture level').choices(['standard', 'full']).default('full'))
    .option('--redact', 'show sensitive values of the trace as their digests (they still verify)')
    .action((id: string, options: { out: string; level: 'standard' | 'full'; redact?: boolean }) =>
      run((globals, out) => auditBundle(clientFor(globals), out, id, options))(),
    );

  return cli;
}

async function main(argv: string[]): Promise<void> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not failures; anything else commander refuses is a usage error.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const { exitCode, message } = describeFailure(error);
    process.stderr.write(`prov: ${message}\n`);
    process.exitCode = exitCode;
  }
}

void main(process.argv);
