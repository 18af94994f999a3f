import type { L2GenesisConfig } from './config.js'

/**
 * op-geth's `params.ChainConfig` for the L2, in genesis.json spelling: every L1 fork up to London at block 0, the
 * merge passed, Shanghai with Canyon and Cancun with Ecotone (op-chain-ops `NewL2Genesis`). A `null` fork time is
 * left out, which op-geth reads as "not scheduled".
 */
export function l2ChainConfig(config: L2GenesisConfig) {
  const { forks } = config
  const time = (t: number | null) => (t === null ? undefined : t)
  return {
    chainId: config.l2ChainId,
    homesteadBlock: 0,
    eip150Block: 0,
    eip155Block: 0,
    eip158Block: 0,
    byzantiumBlock: 0,
    constantinopleBlock: 0,
    petersburgBlock: 0,
    istanbulBlock: 0,
    muirGlacierBlock: 0,
    berlinBlock: 0,
    londonBlock: 0,
    arrowGlacierBlock: 0,
    grayGlacierBlock: 0,
    mergeNetsplitBlock: 0,
    shanghaiTime: time(forks.canyon),
    cancunTime: time(forks.ecotone),
    bedrockBlock: 0,
    regolithTime: time(forks.regolith),
    canyonTime: time(forks.canyon),
    deltaTime: time(forks.delta),
    ecotoneTime: time(forks.ecotone),
    fjordTime: time(forks.fjord),
    graniteTime: time(forks.granite),
    terminalTotalDifficulty: 0,
    terminalTotalDifficultyPassed: true,
    optimism: {
      eip1559Elasticity: config.eip1559.elasticity,
      eip1559Denominator: config.eip1559.denominator,
      eip1559DenominatorCanyon: config.eip1559.denominatorCanyon,
    },
  }
}

export type L2ChainConfig = ReturnType<typeof l2ChainConfig>
