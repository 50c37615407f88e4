import { verifyDsse } from '@prov/interop';
import type { DsseEnvelope, InTotoStatement, ModelLineagePredicate, ProvenanceClient } from '@prov/sdk';
import { createPublicKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import pc from 'picocolors';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

/**
 * `prov attest <modelVersionId> [--out file]`: the gateway's in-toto
 * attestation of a model version (a DSSE envelope), checked here against the
 * key the gateway publishes before it is written: to the file, or as the
 * answer itself (stdout) without --out.
 */
export async function attest(
  client: ProvenanceClient,
  out: Output,
  modelVersionId: string,
  options: { out?: string },
): Promise<number> {
  const id = modelVersionId.startsWith('model:') ? modelVersionId : `model:${modelVersionId}`;
  const [envelope, { keys }] = await Promise.all([
    client.queries.modelAttestation(id),
    client.queries.attestationKeys(),
  ]);
  const statement = verified(envelope, keys);
  const file = options.out;
  if (!file) {
    out.answer(envelope, () => JSON.stringify(envelope, null, 2));
    return EXIT.ok;
  }
  await writeFile(file, `${JSON.stringify(envelope, null, 2)}\n`).catch((error: Error) => {
    throw new CliError(`cannot write ${file}: ${error.message}`, EXIT.usage);
  });
  out.answer({ file, keyId: envelope.signatures[0]?.keyid, statement }, () => render(statement, file, envelope));
  return EXIT.ok;
}

function verified(
  envelope: DsseEnvelope,
  keys: Array<{ keyId: string; publicKeyPem: string }>,
): InTotoStatement<ModelLineagePredicate> {
  for (const key of keys) {
    const payload = verifyDsse(envelope, createPublicKey(key.publicKeyPem), key.keyId);
    if (payload) return JSON.parse(payload.toString('utf8')) as InTotoStatement<ModelLineagePredicate>;
  }
  throw new CliError(
    `the attestation's signature does not verify with any key the gateway publishes (${keys.map((k) => k.keyId).join(', ') || 'none'})`,
    EXIT.internal,
  );
}

function render(statement: InTotoStatement<ModelLineagePredicate>, file: string, envelope: DsseEnvelope): string {
  const [subject] = statement.subject;
  const { predicate } = statement;
  return [
    pc.bold(`${subject.name} attested in ${file}`),
    `  subject     sha256:${subject.digest['sha256']}`,
    `  predicate   ${statement.predicateType}`,
    `  run         ${predicate.run?.id ?? pc.red('unknown')}`,
    `  pipeline    ${predicate.pipeline?.id ?? pc.red('unknown')}`,
    `  slices      ${predicate.dataSlices.length}, dataset versions ${predicate.datasetVersions.length}`,
    `  complete    ${predicate.completeness.standard.complete ? 'yes' : pc.yellow(`no: ${predicate.completeness.standard.missing.join(', ')}`)}`,
    `  signed by   ${envelope.signatures.map((s) => s.keyid).join(', ')} (DSSE, Ed25519)`,
  ].join('\n');
}
