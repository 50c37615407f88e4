/** What the explorer's search box can name, by the id prefixes of DESIGN.md section 2. */
export type SearchKind = 'prediction' | 'model-version' | 'deployment' | 'slice' | 'dataset-version';

export interface SearchTarget {
  kind: SearchKind;
  id: string;
}

export interface SearchProblem {
  problem: string;
}

const PREFIXES: Array<[prefix: string, kind: SearchKind, shape: RegExp]> = [
  ['pred:', 'prediction', /^pred:\S+$/],
  ['model:', 'model-version', /^model:[^@\s]+@\S+$/],
  ['deployment:', 'deployment', /^deployment:\S+$/],
  ['slice:', 'slice', /^slice:sha256:[0-9a-f]{64}$/],
  ['dsv:', 'dataset-version', /^dsv:sha256:[0-9a-f]{64}$/],
];

/**
 * Reads what a person typed: a full id of one of the searchable kinds, or a
 * bare prediction id as clients send it (`req-1` is `pred:req-1`).
 */
export function parseSearch(input: string): SearchTarget | SearchProblem {
  const text = input.trim();
  if (text === '') return { problem: 'type a prediction, model version, deployment, slice or dataset version id' };
  const known = PREFIXES.find(([prefix]) => text.startsWith(prefix));
  if (!known) {
    if (/\s/.test(text) || text.includes(':')) return { problem: `${text} is not an id the explorer knows` };
    return { kind: 'prediction', id: `pred:${text}` };
  }
  const [, kind, shape] = known;
  if (!shape.test(text)) return { problem: `${text} is not a well-formed ${kind} id` };
  return { kind, id: text };
}

export const isProblem = (answer: SearchTarget | SearchProblem): answer is SearchProblem => 'problem' in answer;
