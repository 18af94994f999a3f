// Preloaded (`node --import`) into every service the devnet spawns. The services run in their own process group, so a
// terminal's Ctrl-C reaches only the devnet, which stops them in dependency order (the batcher drains to L1 before
// anvil stops). If the devnet dies without stopping them (SIGKILL, crash), its end of the IPC channel closes: the
// service then stops as on SIGTERM instead of running on as an orphan.
if (process.channel) {
  process.channel.unref()
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'))
}
