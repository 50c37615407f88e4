import type { ValidationError } from 'class-validator';
import { joinPath } from './json-value';

/** One reason a value was refused, with where (`payload.inputs[0].sliceId`). */
export interface ValidationProblem {
  path: string;
  problem: string;
}

/** Flattens class-validator's error tree into path/problem pairs. */
export function toValidationProblems(errors: readonly ValidationError[], basePath = ''): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const error of errors) {
    const path = joinPath(basePath, error.property);
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push({ path, problem: message });
    }
    if (error.children?.length) problems.push(...toValidationProblems(error.children, path));
  }
  return problems;
}
