import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import type { ReleaseNetworkConfig } from "../../src/core/config/release-config.js";
import type { ReleaseEvent } from "../../src/core/events.js";
import { deployStack, type DeployStackResult } from "../../src/core/governance/deploy-stack.js";
import { openRecords, type RecordsStore } from "../../src/core/records/records-store.js";
import type { TxContext } from "../../src/core/chain/tx-context.js";
import type { ProposalContext } from "../../src/core/proposals/proposal-context.js";
import { openRuntime, type ReleaseRuntime } from "../../src/plugin/runtime.js";

/** A fresh in-process chain with its own temporary records folder. */
export interface TestChain {
  connection: NetworkConnection;
  records: RecordsStore;
  config: ReleaseNetworkConfig;
  events: ReleaseEvent[];
  deploy(options?: {
    config?: ReleaseNetworkConfig;
    records?: RecordsStore;
    onEvent?: (e: ReleaseEvent) => void;
  }): Promise<DeployStackResult>;
  /** How many transactions the deployer account has sent so far. */
  deployerNonce(): Promise<number>;
  runtime: ReleaseRuntime;
  /** Core dependencies bound to this chain and its temporary records. */
  proposalContext(): ProposalContext;
  txContext(): Promise<TxContext>;
}

export async function newTestChain(override?: { chainId: number }): Promise<TestChain> {
  const connection = await hre.network.create(override === undefined ? undefined : { override });
  const runtime = await openRuntime(hre, connection);
  const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-test-")));
  const events: ReleaseEvent[] = [];
  const config = runtime.networkConfig();
  const [deployer] = await connection.ethers.getSigners();
  return {
    connection,
    records,
    config,
    events,
    async deploy(options = {}) {
      const ctx = await runtime.txContext((event) => {
        events.push(event);
        options.onEvent?.(event);
      });
      return deployStack({
        network: runtime.network,
        config: options.config ?? config,
        ctx: { ...ctx, records: options.records ?? records },
        artifacts: runtime.artifacts,
        validateImplementation: runtime.validateImplementation,
      });
    },
    deployerNonce: () => connection.ethers.provider.getTransactionCount(deployer!.address, "latest"),
    runtime,
    proposalContext: () => ({ ...runtime.proposalContext((e) => events.push(e)), records }),
    txContext: async () => ({ ...(await runtime.txContext((e) => events.push(e))), records }),
  };
}

/** An error thrown from an event handler: stands in for a process dying at that moment. */
export class SimulatedCrash extends Error {}
