// Worker threads start without the TypeScript loader the parent may use; register tsx for this thread only.
// A bundled deployment replaces this entry with the compiled shard-worker.
import { tsImport } from 'tsx/esm/api'

await tsImport('./shard-worker.ts', import.meta.url)
