// `pnpm devnet`: runs the devnet CLI on the Node 22 that the workspace installs (node_modules/.bin/node), from its
// cached esbuild bundle (built first when the sources changed; Node strips the bundler module's types itself).
import { spawn } from 'node:child_process'
import { serviceCommand } from '../packages/devnet/src/service-bundle.ts'

const { args, env } = await serviceCommand('packages/devnet/src/cli.ts')
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...env },
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
