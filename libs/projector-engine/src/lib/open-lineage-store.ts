import { InMemoryLineageStore, LineageStore, LmdbLineageStore, MongoLineageStore } from '@prov/lineage-store';
import { join, resolve } from 'node:path';
import type { ProjectorConfig } from './projector.config';

/** The store PROV_STORE names: the views on disk under `<data dir>/views`, in process memory, or MongoDB. */
export function openLineageStore(config: ProjectorConfig): Promise<LineageStore> {
  if (config.PROV_STORE === 'lmdb') return LmdbLineageStore.open(join(resolve(config.PROV_DATA_DIR), 'views'));
  if (config.PROV_STORE === 'memory') return Promise.resolve(new InMemoryLineageStore());
  if (!config.MONGODB_URI) throw new Error('PROV_STORE=mongodb needs MONGODB_URI (mongodb://host:27017/...)');
  return MongoLineageStore.connect({ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE });
}
