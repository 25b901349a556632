import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { getAddress, Transaction } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import type { TxContext } from "../core/chain/tx-context.js";
import type { ReleaseNetworkConfig } from "../core/config/release-config.js";
import { ERRORS, ReleaseError } from "../core/errors.js";
import type { EventSink } from "../core/events.js";
import type { ProposalContext } from "../core/proposals/proposal-context.js";
import type { UpgradeChecker } from "../core/proposals/upgrade-checker.js";
import type { ArtifactSource, ContractArtifact, ImplementationValidator } from "../core/governance/artifacts.js";
import { openRecords, type RecordsStore } from "../core/records/records-store.js";
import { createFeeStrategy } from "../core/gas/create-fee-strategy.js";
import { resolveFeePolicy, type FeeOverride } from "../core/gas/resolve-fee-policy.js";
import { failoverEndpoint, onBroadcast } from "./hooks/network.js";
import type { CompiledCodeSource } from "../core/verify/compiled-code.js";
import type { Address } from "../core/types.js";
import { createCompiledCodeSource } from "./compiled-code.js";
import { readInitializers } from "./initializers.js";
import { createUpgradeChecker } from "./proposal-deps.js";
import type { TransactionService } from "../core/service/transaction-service.js";

/** Everything a task needs to call the core, built from `hre` and ONE network connection. */
export interface ReleaseRuntime {
  network: string;
  connection: NetworkConnection;
  records: RecordsStore;
  artifacts: ArtifactSource;
  /** Compiled code with immutable references, for the local bytecode match. */
  compiledCode: CompiledCodeSource;
  validateImplementation: ImplementationValidator;
  /** The network's release config; RS1001 when it has none. */
  networkConfig(): ReleaseNetworkConfig;
  /**
   * Signer, provider, records and the network's fee policy for commands that send. `fees` is the
   * policy override for this run: `{ urgent: true }` for emergency pause and instant rollback (never
   * refused for fees), `{ maxFeePerGas }` for --max-fee (wei).
   */
  txContext(onEvent: EventSink, fees?: FeeOverride): Promise<TxContext>;
  /** What proposal commands read: chain, records, artifacts. */
  proposalContext(onEvent: EventSink): ProposalContext;
  /** OpenZeppelin's storage and upgrade-safety comparison of two contracts. */
  checkUpgrade: UpgradeChecker;
  /** The network's Safe Transaction Service; RS8001 when it has none. */
  transactionService(): Promise<TransactionService>;
  /** The network's Safe Transaction Service, or undefined when none is configured. */
  optionalTransactionService(): Promise<TransactionService | undefined>;
}

const tempRecordDirs = new WeakMap<NetworkConnection, Promise<string>>();
const caches = new WeakMap<HardhatRuntimeEnvironment, Map<string, Promise<unknown>>>();

/**
 * What only depends on the build (artifacts, initializers, compiled code, OpenZeppelin's storage
 * comparisons), read once per process: the review reads them at every sign and execute. Commands
 * build before they open the runtime, so nothing read here can be stale.
 */
function cached<T>(hre: HardhatRuntimeEnvironment, key: string, load: () => Promise<T>): Promise<T> {
  let cache = caches.get(hre);
  if (cache === undefined) {
    cache = new Map();
    caches.set(hre, cache);
  }
  let value = cache.get(key) as Promise<T> | undefined;
  if (value === undefined) {
    value = load();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

/**
 * Where a connection's records live: `deployments/<network>/` for real chains; a fresh temporary
 * folder for in-process (and forked) chains, which vanish with the process and must never leave
 * records that look like a real deployment.
 */
function recordsDir(hre: HardhatRuntimeEnvironment, connection: NetworkConnection): Promise<string> {
  const config = connection.networkConfig;
  if (config.type !== "edr-simulated")
    return Promise.resolve(path.join(hre.config.release.recordsDir, connection.networkName));
  let dir = tempRecordDirs.get(connection);
  if (dir === undefined) {
    dir = mkdtemp(path.join(tmpdir(), `release-safety-${connection.networkName}-`));
    tempRecordDirs.set(connection, dir);
  }
  return dir;
}

export async function openRuntime(
  hre: HardhatRuntimeEnvironment,
  connection?: NetworkConnection,
): Promise<ReleaseRuntime> {
  const conn = connection ?? (await hre.network.getOrCreate());
  const network = conn.networkName;
  const records = openRecords(await recordsDir(hre, conn));

  const artifacts: ArtifactSource = {
    read: (name) =>
      cached(hre, `artifact:${name}`, async () =>
        (await hre.artifacts.artifactExists(name))
          ? ((await hre.artifacts.readArtifact(name)) as unknown as ContractArtifact)
          : undefined,
      ),
    initializers: (name) => cached(hre, `initializers:${name}`, () => readInitializers(hre, name)),
  };
  const validateImplementation: ImplementationValidator = async (contractName) => {
    const oz = await upgrades(hre, conn);
    const factory = await conn.ethers.getContractFactory(contractName);
    await oz.validateImplementation(factory, { kind: "uups" });
  };

  const compiledCode: CompiledCodeSource = {
    read: (name) => cached(hre, `compiled:${name}`, () => createCompiledCodeSource(hre).read(name)),
  };
  const check = createUpgradeChecker(hre, conn);
  const checkUpgrade: UpgradeChecker = (from, to) => cached(hre, `upgrade:${from}->${to}`, () => check(from, to));
  const openService = async () => {
    const chainId = Number(await conn.provider.request({ method: "eth_chainId" }));
    // api-kit is loaded only on networks with a service (it costs a command ~0.5 s to load).
    const { TransactionService } = await import("../core/service/transaction-service.js");
    return TransactionService.open(network, chainId, hre.config.release.networks[network]?.transactionService);
  };
  return {
    network,
    connection: conn,
    records,
    artifacts,
    compiledCode,
    validateImplementation,
    networkConfig() {
      const config = hre.config.release.networks[network];
      if (config === undefined) throw new ReleaseError(ERRORS.CONFIG.NETWORK_NOT_CONFIGURED, { network });
      return config;
    },
    async txContext(onEvent, override) {
      const [signer] = await conn.ethers.getSigners();
      if (signer === undefined) throw new ReleaseError(ERRORS.CONFIG.NO_ACCOUNT, { network });
      onBroadcast(conn, async ({ raw, hash }) => {
        const tx = Transaction.from(raw);
        await records.appendJournal({
          type: "broadcast",
          from: getAddress(tx.from!) as Address,
          nonce: tx.nonce,
          hash,
          raw,
          at: new Date().toISOString(),
        });
      });
      const fees = createFeeStrategy({
        network,
        rpc: conn.provider,
        policy: resolveFeePolicy(hre.config.release.networks[network]?.fees),
        override,
        answeredBy: () => failoverEndpoint(conn),
      });
      const confirmations = hre.config.release.networks[network]?.confirmations;
      return { provider: conn.ethers.provider, signer, records, onEvent, now: () => new Date(), fees, confirmations };
    },
    proposalContext(onEvent) {
      return {
        network,
        provider: conn.ethers.provider,
        records,
        artifacts,
        onEvent,
        now: () => new Date(),
        compiled: compiledCode,
        checkUpgrade,
      };
    },
    checkUpgrade,
    transactionService: openService,
    async optionalTransactionService() {
      return hre.config.release.networks[network]?.transactionService === undefined ? undefined : openService();
    },
  };
}

// For scripts (`hardhat-release-safety/runtime`): what the tasks build from hre, to call the core.
export { createTypedDataSigner, listAccounts } from "./proposal-deps.js";
export { openFork } from "./open-fork.js";
export { loadChecks } from "./load-checks.js";
