import { ProvenancePolicy, parsePolicy } from '@prov/governance';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

const POLICY_FILE = new Set(['.yaml', '.yml', '.json']);

/**
 * The provenance policies a team keeps in its repository, by name, read
 * from a directory of YAML or JSON files (PROV_POLICY_DIR). A name not
 * found reads the directory again, so a policy added later is found
 * without a restart; an invalid file is an error naming the file and field.
 */
export class PolicyCatalog {
  private byName = new Map<string, ProvenancePolicy>();

  private constructor(readonly directory: string | undefined) {}

  static fromDirectory(directory: string | undefined): PolicyCatalog {
    const catalog = new PolicyCatalog(directory);
    catalog.reload();
    return catalog;
  }

  /** The policy of that name, or undefined when no file of the directory declares it. */
  get(name: string): ProvenancePolicy | undefined {
    if (!this.byName.has(name)) this.reload();
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Every policy of the directory as it is now (read again: a promotion must see the policies just committed), by name. */
  all(): ProvenancePolicy[] {
    this.reload();
    return this.names().map((name) => this.byName.get(name) as ProvenancePolicy);
  }

  private reload(): void {
    if (!this.directory) return;
    if (!existsSync(this.directory)) throw new Error(`PROV_POLICY_DIR ${this.directory} does not exist`);
    const byName = new Map<string, ProvenancePolicy>();
    const files = new Map<string, string>();
    for (const file of readdirSync(this.directory)
      .filter((f) => POLICY_FILE.has(extname(f)))
      .sort()) {
      const path = join(this.directory, file);
      const policy = parsePolicy(readFileSync(path, 'utf8'), path);
      const earlier = files.get(policy.metadata.name);
      if (earlier) throw new Error(`${path} and ${earlier} both declare the policy ${policy.metadata.name}`);
      files.set(policy.metadata.name, path);
      byName.set(policy.metadata.name, policy);
    }
    this.byName = byName;
  }
}
