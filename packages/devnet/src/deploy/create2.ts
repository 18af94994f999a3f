import { type Address, concat, encodeAbiParameters, getContractAddress, type Hex, keccak256 } from 'viem'

/**
 * Arachnid's deterministic-deployment proxy: `CREATE2`s the calldata's tail with its first 32 bytes as salt. It
 * sits at this address on Ethereum, its testnets and anvil, and is what forge scripts (the reference deploy) use for
 * `new C{salt: …}()`.
 */
export const CREATE2_FACTORY: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C'

/** Salt for one contract: the deployer and the configured salt are mixed in, so each pair gets its own addresses. */
export function create2Salt(deployer: Address, salt: string, label: string): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'address' }, { type: 'string' }, { type: 'string' }], [deployer, salt, label]),
  )
}

export function create2Address(salt: Hex, initCode: Hex): Address {
  return getContractAddress({ opcode: 'CREATE2', from: CREATE2_FACTORY, salt, bytecode: initCode })
}

/** Calldata for the factory: salt ‖ init code. */
export function create2Calldata(salt: Hex, initCode: Hex): Hex {
  return concat([salt, initCode])
}
