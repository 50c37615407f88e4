import type { SignedCheckpoint } from '@prov/integrity';
import type { AuditLogEvidence, LoggedEvent, PublicKeyRecord } from './audit-evidence';

export const EXPORT_FORMAT = 'provenance-audit-export/v1';

/**
 * One line of an audit export (JSON lines): a header first, then the keys,
 * each log's events in log order, and the signed checkpoints.
 */
export type ExportLine =
  | { kind: 'header'; format: typeof EXPORT_FORMAT; exportedAt: string }
  | { kind: 'key'; key: PublicKeyRecord }
  | ({ kind: 'event' } & LoggedEvent)
  | { kind: 'checkpoint'; checkpoint: SignedCheckpoint };

export interface AuditExport extends AuditLogEvidence {
  keys: PublicKeyRecord[];
}

export class InvalidExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidExportError';
  }
}

export function exportLines(exported: AuditExport, exportedAt: string): string[] {
  const lines: ExportLine[] = [
    { kind: 'header', format: EXPORT_FORMAT, exportedAt },
    ...exported.keys.map((key) => ({ kind: 'key' as const, key })),
    ...exported.events.map((event) => ({ kind: 'event' as const, ...event })),
    ...exported.checkpoints.map((checkpoint) => ({ kind: 'checkpoint' as const, checkpoint })),
  ];
  return lines.map((line) => JSON.stringify(line));
}

/** Reads an export back; the line order of events is the log order claimed. Refuses what is not one, by line. */
export function parseExport(text: string): AuditExport {
  const exported: AuditExport = { keys: [], events: [], checkpoints: [] };
  const lines = text.split('\n');
  lines.forEach((raw, at) => {
    if (raw.trim() === '') return;
    let line: ExportLine;
    try {
      line = JSON.parse(raw) as ExportLine;
    } catch (error) {
      throw new InvalidExportError(`line ${at + 1} is not JSON: ${(error as Error).message}`);
    }
    if (at === 0 && !(line.kind === 'header' && line.format === EXPORT_FORMAT))
      throw new InvalidExportError(`line 1 must be the header of ${EXPORT_FORMAT}`);
    switch (line.kind) {
      case 'header':
        if (at !== 0) throw new InvalidExportError(`line ${at + 1}: a second header`);
        return;
      case 'key':
        exported.keys.push(line.key);
        return;
      case 'event': {
        const { kind: _kind, ...event } = line;
        if (typeof event.logId !== 'string') throw new InvalidExportError(`line ${at + 1}: an event without its logId`);
        exported.events.push(event);
        return;
      }
      case 'checkpoint':
        exported.checkpoints.push(line.checkpoint);
        return;
      default:
        throw new InvalidExportError(
          `line ${at + 1}: unknown kind ${JSON.stringify((line as { kind?: unknown }).kind)}`,
        );
    }
  });
  if (lines.every((l) => l.trim() === '')) throw new InvalidExportError('the export is empty');
  return exported;
}
