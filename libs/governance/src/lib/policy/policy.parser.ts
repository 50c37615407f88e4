import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { findNonJsonValue, isPlainObject, toValidationProblems, type ValidationProblem } from '@prov/contracts';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { PolicyError } from './policy.errors';
import { ProvenancePolicy } from './provenance-policy.document';

const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Reads a policy document, YAML or JSON (JSON is YAML 1.2, so one parser
 * reads both, and refuses duplicate keys that JSON.parse would let the last
 * one win). Throws a PolicyError naming `source` and every problem.
 */
export function parsePolicy(text: string, source: string): ProvenancePolicy {
  const lineCounter = new LineCounter();
  // Warnings (an unknown tag) count too: a policy is read exactly as written or not at all.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const unreadable = [...document.errors, ...document.warnings];
  if (unreadable.length > 0) {
    throw new PolicyError(
      source,
      unreadable.map((error) => syntaxProblem(error, lineCounter)),
    );
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // Aliases are resolved here: an unresolved one, or more than the resource-exhaustion limit.
    if (!(error instanceof ReferenceError)) throw error;
    throw new PolicyError(source, [{ path: '', problem: error.message }]);
  }
  return validatePolicy(value, source);
}

/**
 * Checks an already parsed policy (an HTTP body, say). Returns the value
 * itself, never a transformed copy, so that its digest is over what was written.
 */
export function validatePolicy(value: unknown, source: string): ProvenancePolicy {
  const problems = policyProblems(value);
  if (problems.length > 0) throw new PolicyError(source, problems);
  return value as ProvenancePolicy;
}

function policyProblems(value: unknown): ValidationProblem[] {
  if (!isPlainObject(value)) {
    return [{ path: '', problem: `a policy must be an object (found ${value === null ? 'null' : typeof value})` }];
  }
  // Canonical JSON (the policy digest) cannot represent NaN, Infinity, lone surrogates and the like.
  const nonJson = findNonJsonValue(value);
  if (nonJson) return [nonJson];
  return toValidationProblems(validateSync(plainToInstance(ProvenancePolicy, value), STRICT));
}

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): ValidationProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { path: '', problem: `line ${line}, column ${col}: ${error.message}` };
}
