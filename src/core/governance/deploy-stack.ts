import { getAddress } from "ethers";

import { deployMissing, readCodes, SINGLETON_FACTORY } from "../chain/deploy-create2.js";
import { firstBlockWithCode } from "../chain/first-block-with-code.js";
import { settleJournal } from "../chain/settle-journal.js";
import type { TxContext } from "../chain/tx-context.js";
import type { ReleaseNetworkConfig, SafeConfig } from "../config/release-config.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { lockRecords } from "../records/lock-records.js";
import {
  SCHEMA_VERSION,
  type Address,
  type SafeRecord,
  type StackDraft,
  type StackRecord,
} from "../records/stack-record.js";
import { checkSafe, planSafe, readSafe, type SafeRole } from "../safe/ensure-safe.js";
import {
  ensureSingletonFactory,
  refuseForeignSafeCode,
  safeContractAddresses,
  safeContractDeployments,
} from "../safe/ensure-safe-contracts.js";
import type { ArtifactSource, ContractArtifact, ImplementationValidator } from "./artifacts.js";
import { encodeInitializer, planProxy, type ProxyPlan } from "./ensure-proxy.js";
import { planTimelock, TIMELOCK_CONTRACT } from "./ensure-timelock.js";
import { inspectStack, type StackStatus } from "./inspect-stack.js";

export interface DeployStackParameters {
  network: string;
  config: ReleaseNetworkConfig;
  ctx: TxContext;
  artifacts: ArtifactSource;
  validateImplementation: ImplementationValidator;
}

export interface DeployStackResult {
  stack: StackRecord;
  status: StackStatus;
  /** Transactions this run sent (0 when the stack was complete). */
  transactions: number;
  gasUsed: bigint;
  recordsDir: string;
}

/**
 * Builds (or completes) the governed stack of one network: Safe contracts, the owners and guardian
 * Safes, the timelock and every configured proxy, then checks the result on chain.
 *
 * Order matters for safety: everything that can be checked without the chain (config against
 * records, artifacts, OpenZeppelin validation, initializer arguments) is checked before the first
 * transaction, so bad input sends nothing. Every deployment is CREATE2 and preceded by a journal
 * entry, and records are written after each step, so a run killed anywhere is repaired by running
 * it again, without duplicates. The stack is returned only when {@link inspectStack} finds nothing
 * wrong (RS2006 otherwise).
 */
export async function deployStack(params: DeployStackParameters): Promise<DeployStackResult> {
  const { ctx, config, network } = params;
  const release = await lockRecords(ctx.records.dir, ctx.now);
  try {
    const chainId = Number((await ctx.provider.getNetwork()).chainId);
    const existing = await ctx.records.readStack();
    if (existing !== undefined && existing.chainId !== chainId) {
      throw new ReleaseError(ERRORS.RPC.CHAIN_ID_MISMATCH, { network, actual: chainId, expected: existing.chainId });
    }
    if (existing !== undefined) assertConfigUnchanged(existing, config);

    // Pre-flight: nothing has been sent yet.
    const timelockArtifact = await readArtifact(params.artifacts, TIMELOCK_CONTRACT);
    const proxyArtifact = await readArtifact(params.artifacts, "ERC1967Proxy");
    const plans: ProxyPlan[] = [];
    for (const [name, proxyConfig] of Object.entries(config.proxies)) {
      if (existing?.proxies[name] !== undefined) continue;
      const plan: ProxyPlan = {
        name,
        config: proxyConfig,
        implementation: await readArtifact(params.artifacts, proxyConfig.contract),
        proxy: proxyArtifact,
        rollbackWindow: config.rollbackWindow,
      };
      try {
        await params.validateImplementation(proxyConfig.contract);
      } catch (error) {
        throw new ReleaseError(
          ERRORS.DEPLOY.IMPLEMENTATION_REFUSED,
          { contract: proxyConfig.contract, reason: (error as Error).message },
          error as Error,
        );
      }
      // Placeholder addresses: only the shape of the initializer call is checked here.
      encodeInitializer(
        plan,
        getAddress(`0x${"11".repeat(20)}`) as Address,
        getAddress(`0x${"22".repeat(20)}`) as Address,
      );
      plans.push(plan);
    }

    const journalBefore = (await ctx.records.readJournal()).length;
    await settleJournal(ctx);
    const deployer = existing?.deployer ?? ((await ctx.signer.getAddress()) as Address);
    const draft: StackDraft = existing ?? {
      schemaVersion: SCHEMA_VERSION,
      network,
      chainId,
      deployer: getAddress(deployer) as Address,
      deployBlock: await historyStart(ctx),
      safeContracts: {},
      safes: {},
      proxies: {},
    };
    const save = () => ctx.records.writeStack(draft);

    // Every address is known before anything is sent (CREATE2 and the Safe factory's own
    // derivation), so the whole stack's code is read at once and everything found is checked first.
    const safes = {
      owners: planSafe("owners", config.owners, chainId),
      guardian: planSafe("guardian", config.guardian, chainId),
    };
    if (safes.owners.address === safes.guardian.address) {
      ctx.onEvent({
        type: "warning",
        message: "The owners Safe is also the guardian Safe: one set of keys can both upgrade and roll back.",
      });
    }
    const timelock = planTimelock({
      artifact: timelockArtifact,
      minDelay: config.timelock.minDelay,
      ownersSafe: safes.owners.address,
      guardianSafe: safes.guardian.address,
    });
    const proxies = plans.map((plan) => ({
      name: plan.name,
      ...planProxy(plan, timelock.record.address, safes.guardian.address),
    }));
    const safeDeployments = Object.values(safes).flatMap((safe) =>
      safe.deployment === undefined ? [] : [safe.deployment],
    );
    // First the contracts that need nothing but the factory, then those whose constructors call them.
    const independent = [...safeContractDeployments(), timelock.deployment, ...proxies.map((p) => p.implementation)];
    const dependent = [...safeDeployments, ...proxies.map((p) => p.proxy)];
    // The Safes are read along with the code (a read where there is no code fails, unused).
    const roles = ["owners", "guardian"] as const;
    const reads = roles.map((role) => {
      const read = readSafe(ctx, safes[role].address, safes[role].deployment === undefined ? "adopted" : "deployed");
      read.catch(() => undefined);
      return read;
    });
    const codes = await readCodes(ctx, [
      SINGLETON_FACTORY,
      safes.owners.address,
      safes.guardian.address,
      ...[...independent, ...dependent].map((d) => d.address),
    ]);
    refuseForeignSafeCode(codes);
    const found = new Map<SafeRole, SafeRecord>();
    await Promise.all(
      roles.map(async (role, index) => {
        const code = codes.get(safes[role].address.toLowerCase()) ?? "0x";
        if (safes[role].deployment === undefined || code !== "0x") {
          found.set(role, await checkSafe(ctx, safes[role], config[role], code, reads[index]!));
        }
      }),
    );

    await ensureSingletonFactory(ctx, chainId, codes.get(SINGLETON_FACTORY.toLowerCase()) ?? "0x");
    await deployMissing(ctx, independent, codes);
    draft.safeContracts = safeContractAddresses();
    draft.timelock = timelock.record;
    await save();
    await deployMissing(ctx, dependent, codes);
    for (const role of roles) {
      draft.safes[role] = found.get(role) ?? (await readSafe(ctx, safes[role].address, "deployed"));
    }
    for (const proxy of proxies) draft.proxies[proxy.name] = proxy.record;
    await save();

    const stack = draft as StackRecord;
    if (existing === undefined) {
      stack.deployBlock = await adoptedHistoryStart(ctx, stack);
      await save();
    }
    const status = await inspectStack({ provider: ctx.provider, stack });
    if (!status.ok) {
      throw new ReleaseError(ERRORS.DEPLOY.ASSERTION_FAILED, {
        findings: status.findings.map((f) => `  - ${f.subject}: expected ${f.expected}, found ${f.actual}`).join("\n"),
      });
    }
    const mined = (await ctx.records.readJournal()).slice(journalBefore).filter((e) => e.type === "mined");
    return {
      stack,
      status,
      transactions: mined.length,
      gasUsed: mined.reduce((sum, e) => sum + (e.type === "mined" ? BigInt(e.gasUsed) : 0n), 0n),
      recordsDir: ctx.records.dir,
    };
  } finally {
    await release();
  }
}

/**
 * The block before this deploy's first transaction (an earlier, crashed run's included): the
 * stack's history (roles, operations) is read from there on.
 */
async function historyStart(ctx: TxContext): Promise<number> {
  const mined = (await ctx.records.readJournal()).flatMap((e) => (e.type === "mined" ? [e.block] : []));
  return mined.length > 0 ? Math.min(...mined) - 1 : await ctx.provider.getBlockNumber();
}

/**
 * Contracts found already deployed (the same CREATE2 addresses, new records) have history from
 * before this deploy: start where the oldest of them appeared.
 */
async function adoptedHistoryStart(ctx: TxContext, stack: StackRecord): Promise<number> {
  let start = stack.deployBlock ?? 0;
  for (const address of [stack.timelock.address, ...Object.values(stack.proxies).map((p) => p.address)]) {
    if ((await ctx.provider.getCode(address, start)) !== "0x") {
      start = Math.min(start, await firstBlockWithCode(ctx.provider, address, start));
    }
  }
  return start;
}

async function readArtifact(artifacts: ArtifactSource, name: string): Promise<ContractArtifact> {
  const artifact = await artifacts.read(name);
  if (artifact === undefined) throw new ReleaseError(ERRORS.DEPLOY.UNKNOWN_CONTRACT, { contract: name });
  return artifact;
}

/**
 * Deploy creates a stack; it never changes the governance of one. A config that now describes
 * other Safes, another delay or another window would otherwise silently deploy a second stack
 * beside the first, or leave the team believing in settings the chain does not have.
 */
function assertConfigUnchanged(existing: StackDraft, config: ReleaseNetworkConfig): void {
  const differences: string[] = [];
  for (const role of ["owners", "guardian"] as const) {
    const recorded = existing.safes[role];
    if (recorded !== undefined) differences.push(...safeDifferences(role, recorded, config[role]));
  }
  if (existing.timelock !== undefined && existing.timelock.minDelay !== config.timelock.minDelay) {
    differences.push(
      `timelock.minDelay is ${config.timelock.minDelay}, the deployed timelock has ${existing.timelock.minDelay}`,
    );
  }
  for (const [name, proxy] of Object.entries(existing.proxies)) {
    if (name in config.proxies && proxy.rollbackWindow !== config.rollbackWindow) {
      differences.push(
        `rollbackWindow is ${config.rollbackWindow}, proxy ${name} was deployed with ${proxy.rollbackWindow}`,
      );
    }
  }
  if (differences.length > 0) {
    throw new ReleaseError(ERRORS.DEPLOY.CONFIG_CHANGED, { difference: differences.join("; ") });
  }
}

function safeDifferences(role: string, recorded: SafeRecord, config: SafeConfig): string[] {
  if (config.address !== undefined) {
    return config.address.toLowerCase() === recorded.address.toLowerCase()
      ? []
      : [`${role}.address is ${config.address}, the stack uses ${recorded.address}`];
  }
  const differences: string[] = [];
  const want = (config.owners ?? [])
    .map((o) => o.toLowerCase())
    .sort()
    .join(",");
  const have = recorded.owners
    .map((o) => o.toLowerCase())
    .sort()
    .join(",");
  if (want !== have) differences.push(`${role}.owners differ from the deployed Safe ${recorded.address}`);
  if (config.threshold !== recorded.threshold) {
    differences.push(`${role}.threshold is ${config.threshold}, the deployed Safe has ${recorded.threshold}`);
  }
  return differences;
}
