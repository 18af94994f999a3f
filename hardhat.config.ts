import { createRequire } from 'node:module'
import hardhatToolboxViem from '@nomicfoundation/hardhat-toolbox-viem'
import { defineConfig } from 'hardhat/config'

const require = createRequire(import.meta.url)

// solc is pinned exactly in package.json: Hardhat does not check the version label against the
// soljson it loads, and a floating solc would silently compile with another compiler.
const SOLC_VERSION = '0.8.28'

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve('solc/soljson.js'),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // Granite's EVM is Cancun; our contracts run on the L2 and (OPEN) on L1.
      evmVersion: 'cancun',
    },
  },
  paths: {
    sources: 'contracts',
    tests: { solidity: 'contracts', nodejs: 'test/hardhat' },
  },
  test: {
    solidity: {
      // Property fuzz tests of the contracts ask for >= 1,000 runs inline (`/// hardhat-config: fuzz.runs = ...`).
      fuzz: { runs: 256 },
      // 64 random call sequences of 64 calls per invariant_* function (11 of them): the whole Solidity suite stays
      // under a minute and a half on 2 shared cores (bench/results/contracts-gas.md has the measurement).
      invariant: { runs: 64, depth: 64 },
    },
  },
  networks: {
    hardhatOp: { type: 'edr-simulated', chainType: 'op' },
  },
})
