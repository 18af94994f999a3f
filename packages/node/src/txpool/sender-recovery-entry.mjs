// Worker threads start without the TypeScript loader the parent may use; register tsx for this thread only.
// A bundled deployment replaces this entry with the compiled sender-recovery-worker.
import { tsImport } from 'tsx/esm/api'

await tsImport('./sender-recovery-worker.ts', import.meta.url)
