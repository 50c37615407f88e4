import { PolicyError, ProvenancePolicy, parsePolicy } from '@prov/governance';
import type { PolicyEvaluation, ProvenanceClient } from '@prov/sdk';
import { readFile } from 'node:fs/promises';
import pc from 'picocolors';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

/**
 * `prov check --model <id> --policy <file>`: whether a model version's
 * lineage satisfies a provenance policy, for CI/CD pipelines: exit 0 when
 * it does, 1 with each failing requirement when it does not. The policy is
 * validated here first, so a broken file is a usage error naming its fields.
 */
export async function check(
  client: ProvenanceClient,
  out: Output,
  options: { model: string; policy: string; approver?: string },
): Promise<number> {
  const text = await readFile(options.policy, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read the policy ${options.policy}: ${error.message}`, EXIT.usage);
  });
  let policy: ProvenancePolicy;
  try {
    policy = parsePolicy(text, options.policy);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const problems = error.problems.map((p) => `\n  ${p.path || '(document)'}: ${p.problem}`).join('');
    throw new CliError(`${options.policy} is not a valid provenance policy:${problems}`, EXIT.usage);
  }
  const evaluation = await client.queries.checkPolicy(options.model, policy, options.approver);
  out.answer(evaluation, () => renderEvaluation(evaluation));
  return evaluation.satisfied ? EXIT.ok : EXIT.checkFailed;
}

function renderEvaluation(evaluation: PolicyEvaluation): string {
  const verdict = evaluation.satisfied
    ? pc.green(`${evaluation.modelVersionId} satisfies policy ${evaluation.policy.name}`)
    : pc.red(`${evaluation.modelVersionId} does not satisfy policy ${evaluation.policy.name}`);
  return [
    pc.bold(verdict),
    `  policy digest ${evaluation.policy.digest}`,
    ...evaluation.requirements.map(
      (r) =>
        `  ${r.satisfied ? pc.green('pass') : pc.red('FAIL')}  ${r.requirement}${r.problem ? `: ${r.problem}` : ''}`,
    ),
  ].join('\n');
}
