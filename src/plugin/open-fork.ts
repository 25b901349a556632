import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { openRecords, type RecordsStore } from "../core/records/records-store.js";
import type { ForkHandle } from "../core/rehearsal/fork-handle.js";
import { probeForkSource } from "../core/rehearsal/probe-fork-source.js";
import { serveForkCache } from "../core/rehearsal/serve-fork-cache.js";

export interface OpenedFork {
  handle: ForkHandle;
  /** A scratch records folder: a rehearsal never writes into deployments/. */
  records: RecordsStore;
  connection: NetworkConnection;
  close(): Promise<void>;
}

/** Funds impersonated owners with enough ETH for an approveHash, on the fork only. */
const IMPERSONATION_BALANCE = 10n ** 19n;

/**
 * Forks `url` at `block` (default: its head, pinned) on Hardhat's in-process EVM, with the
 * upstream chainId: Safe signatures commit to the chainId, so only then do the signatures
 * collected for the live chain verify on the fork exactly as they will on the chain.
 */
export async function openFork(hre: HardhatRuntimeEnvironment, url: string, block?: number): Promise<OpenedFork> {
  const source = await probeForkSource({ url, block });
  const cache = await serveForkCache(url);
  const connection = await hre.network.create({
    network: "default",
    override: { forking: { url: cache.url, blockNumber: source.blockNumber }, chainId: source.chainId } as never,
  });
  const helpers = connection.networkHelpers;
  const [executor] = await connection.ethers.getSigners();
  const handle: ForkHandle = {
    provider: connection.ethers.provider,
    executor: executor!,
    async sendAs(from, to, data) {
      await helpers.impersonateAccount(from);
      await helpers.setBalance(from, IMPERSONATION_BALANCE);
      const signer = await connection.ethers.getSigner(from);
      const receipt = await (await signer.sendTransaction({ to, data })).wait();
      await helpers.stopImpersonatingAccount(from);
      return receipt!;
    },
    async timeTravel(timestamp) {
      await helpers.time.increaseTo(timestamp);
    },
    blockNumber: source.blockNumber,
    chainId: source.chainId,
    source: source.redacted,
  };
  const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-rehearsal-")));
  return {
    handle,
    records,
    connection,
    close: async () => {
      await connection.close();
      await cache.close();
    },
  };
}
