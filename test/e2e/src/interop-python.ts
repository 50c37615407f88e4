import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT, runSetupScript } from './setup-script';

const PYTHON_DIR = resolve(ROOT, 'test', 'e2e', 'python');

/**
 * The Python interpreter of the interoperability tests: test/e2e/python/setup.sh
 * creates its virtual environment (pinned openlineage-python and
 * securesystemslib from PyPI) on first use. Throws with the script's output
 * when Python or PyPI is not available: these tests never skip.
 */
export function interopPython(): string {
  return runSetupScript('test/e2e/python/setup.sh', 'the interoperability tests need their Python environment');
}

export interface PythonResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of test/e2e/python's scripts with the interop interpreter. */
export function runPython(python: string, script: string, args: string[]): Promise<PythonResult> {
  return new Promise((done) => {
    execFile(python, [resolve(PYTHON_DIR, script), ...args], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
