import { keccak256 as keccak256Native } from '@opl/service-kit'
import {
  type Address,
  bytesToHex,
  concat,
  encodeAbiParameters,
  getContractAddress,
  type Hex,
  hexToBytes,
  keccak256,
} from 'viem'

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
  // init code is up to ~50 KB: the native hash (viem's JS keccak of 18 contracts' init code was ~0.15 s of a deploy)
  const bytecodeHash = bytesToHex(keccak256Native(hexToBytes(initCode)))
  return getContractAddress({ opcode: 'CREATE2', from: CREATE2_FACTORY, salt, bytecodeHash })
}

/** Calldata for the factory: salt ‖ init code. */
export function create2Calldata(salt: Hex, initCode: Hex): Hex {
  return concat([salt, initCode])
}
