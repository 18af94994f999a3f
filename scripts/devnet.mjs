// `pnpm devnet`: runs the devnet CLI on the Node 22 that the workspace installs (node_modules/.bin/node).
import { spawn } from 'node:child_process'

const child = spawn('tsx', ['packages/devnet/src/cli.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
