import { checkGenerationName } from '../generation-name';
import { ActiveGenerationDropError, UnknownGenerationError } from '../lineage-store.errors';
import type {
  GenerationInfo,
  GenerationKind,
  LineageStore,
  StoreHoldings,
  ViewGeneration,
} from '../lineage-store.port';
import { generationHoldings } from '../generation-holdings';
import { LmdbAuditLog } from './lmdb-audit-log';
import { LmdbDeadLetters } from './lmdb-dead-letters';
import { LmdbEnvironment } from './lmdb-environment';
import { LmdbViewGeneration } from './lmdb-view-generation';

/**
 * The embedded mode's lineage store: the views on disk in one LMDB file
 * (`<directory>/views.mdb`), so that a restart goes on from the active
 * generation's offsets instead of replaying the log, and memory stays
 * bounded by what is read, not by what is kept. One process writes it.
 */
export class LmdbLineageStore implements LineageStore {
  readonly auditLog: LmdbAuditLog;
  readonly deadLetters: LmdbDeadLetters;

  private constructor(private readonly environment: LmdbEnvironment) {
    this.auditLog = new LmdbAuditLog(environment);
    this.deadLetters = new LmdbDeadLetters(environment);
  }

  static async open(directory: string): Promise<LmdbLineageStore> {
    return new LmdbLineageStore(LmdbEnvironment.open(directory));
  }

  async generation(name: string, info: { kind?: GenerationKind; asOf?: string } = {}): Promise<ViewGeneration> {
    checkGenerationName(name);
    const databases = this.environment.databasesOf(name);
    if (!this.environment.info(name)) {
      const recorded: GenerationInfo = {
        name,
        kind: info.kind ?? 'live',
        createdAt: new Date().toISOString(),
        ...(info.asOf === undefined ? {} : { asOf: info.asOf }),
      };
      // Kept as first recorded when opened again.
      await this.environment.durably(() => {
        if (!this.environment.info(name)) this.environment.catalog.putSync(['generation', name], recorded);
      });
    }
    return new LmdbViewGeneration(name, databases, this.environment);
  }

  async generations(): Promise<GenerationInfo[]> {
    return this.environment.infos();
  }

  async markCaughtUp(name: string, at: string): Promise<void> {
    const info = this.existing(name);
    await this.environment.durably(() =>
      this.environment.catalog.putSync(['generation', name], { ...info, caughtUpAt: at }),
    );
  }

  async activeGeneration(): Promise<string | undefined> {
    return this.environment.catalog.get(['active']) as string | undefined;
  }

  async activate(name: string): Promise<void> {
    this.existing(name);
    await this.environment.durably(() => this.environment.catalog.putSync(['active'], name));
  }

  async dropGeneration(name: string): Promise<void> {
    checkGenerationName(name);
    if ((await this.activeGeneration()) === name) throw new ActiveGenerationDropError(name);
    if (!this.environment.info(name)) return;
    await this.environment.dropDatabasesOf(name);
    // Last, so that a drop cut short still lists the generation and can be done again.
    await this.environment.durably(() => this.environment.forgetGeneration(name));
  }

  async holdings(): Promise<StoreHoldings> {
    const name = await this.activeGeneration();
    const active =
      name === undefined
        ? null
        : await generationHoldings(new LmdbViewGeneration(name, this.environment.databasesOf(name), this.environment));
    return { kind: 'lmdb', active, bytesOnDisk: await this.environment.bytesOnDisk() };
  }

  close(): Promise<void> {
    return this.environment.close();
  }

  private existing(name: string): GenerationInfo {
    checkGenerationName(name);
    const info = this.environment.info(name);
    if (!info) throw new UnknownGenerationError(name);
    return info;
  }
}
