import { createHmac, pbkdf2Sync } from 'node:crypto'
import secp256k1 from 'secp256k1'
import { getAddress } from 'viem'
import { keccak256 } from './native-keccak.js'

/** anvil's default mnemonic: its first accounts are pre-funded on the L1 and the devnet funds 0–29 on L2. Dev only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

/** secp256k1's group order */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const HARDENED = 0x80000000

type ExtendedKey = { key: Buffer; chainCode: Buffer; publicKey?: Buffer }

const toBigInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex')}`)

function publicKey(privateKey: Buffer, format: 'compressed' | 'uncompressed'): Buffer {
  return Buffer.from(secp256k1.publicKeyCreate(privateKey, format === 'compressed'))
}

/** BIP-32 CKDpriv. */
function deriveChild(parent: ExtendedKey, index: number): ExtendedKey {
  const data = Buffer.alloc(37)
  if (index >= HARDENED) parent.key.copy(data, 1)
  else {
    // the shared parent's, computed once
    parent.publicKey ??= publicKey(parent.key, 'compressed')
    parent.publicKey.copy(data)
  }
  data.writeUInt32BE(index, 33)
  const i = createHmac('sha512', parent.chainCode).update(data).digest()
  const tweak = toBigInt(i.subarray(0, 32))
  const key = (tweak + toBigInt(parent.key)) % N
  // BIP-32: skip to the next index; with 2^-127 odds it never happens for the fixed dev keys
  if (tweak >= N || key === 0n) throw new Error(`BIP-32: invalid child key at index ${index}`)
  return { key: Buffer.from(key.toString(16).padStart(64, '0'), 'hex'), chainCode: i.subarray(32) }
}

let parent: ExtendedKey | undefined

/**
 * The private key of the dev mnemonic's account `index` on m/44'/60'/0'/0/index, with Node's native PBKDF2 and HMAC
 * and libsecp256k1 (the `secp256k1` addon): the JS ones (@scure/bip39, viem's HDKey, which computes every key's public key by JS EC multiplication)
 * took ~0.3 s of a devnet start for its 30 funded accounts and ~0.1 s of each service that needed one key.
 */
export function devPrivateKey(index: number): `0x${string}` {
  if (!parent) {
    const seed = pbkdf2Sync(DEV_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512')
    const i = createHmac('sha512', 'Bitcoin seed').update(seed).digest()
    let key: ExtendedKey = { key: i.subarray(0, 32), chainCode: i.subarray(32) }
    for (const step of [44 + HARDENED, 60 + HARDENED, HARDENED, 0]) key = deriveChild(key, step)
    parent = key
  }
  return `0x${deriveChild(parent, index).key.toString('hex')}`
}

const addresses = new Map<number, `0x${string}`>()

/** The checksummed address of the dev mnemonic's account `index`. */
export function devAddress(index: number): `0x${string}` {
  let address = addresses.get(index)
  if (!address) {
    const uncompressed = publicKey(Buffer.from(devPrivateKey(index).slice(2), 'hex'), 'uncompressed')
    const hash = Buffer.from(keccak256(uncompressed.subarray(1)))
    address = getAddress(`0x${hash.subarray(12).toString('hex')}`)
    addresses.set(index, address)
  }
  return address
}

/**
 * The devnet attestor: mnemonic account 20. The devnet funds accounts 0–29 with L2 ETH at genesis and uses 0–8
 * for its roles and users; a key of its own keeps the attestor's nonces apart from every other sender. Here, not in
 * the attribution engine, so the devnet CLI (which funds it) does not load the engine.
 */
export const DEVNET_ATTESTOR_INDEX = 20

export function devnetAttestorKey(): `0x${string}` {
  return devPrivateKey(DEVNET_ATTESTOR_INDEX)
}
