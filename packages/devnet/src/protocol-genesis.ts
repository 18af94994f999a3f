// The genesis builder lives in @opl/protocol (src/genesis), whose package index does not export it yet; this one
// file reaches it by path so every other devnet file imports from here. Switch to '@opl/protocol' once it does.
export * from '../../protocol/src/genesis/index.js'
