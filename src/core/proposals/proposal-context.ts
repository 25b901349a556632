import { Contract, keccak256, toUtf8Bytes, type Provider } from "ethers";

import type { EventSink } from "../events.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import type { UpgradeChecker } from "./upgrade-checker.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { readRecordedStack } from "../records/read-recorded-stack.js";
import type { ArtifactSource } from "../governance/artifacts.js";
import type { RecordsStore } from "../records/records-store.js";
import type { Address, Hex, ProxyRecord, StackRecord } from "../records/stack-record.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";
import type { ProposalKind, ProposalRecord } from "./proposal-record.js";

/** What every proposal command reads: the chain, the records and the compiled contracts. */
export interface ProposalContext {
  network: string;
  provider: Provider;
  records: RecordsStore;
  artifacts: ArtifactSource;
  onEvent: EventSink;
  now: () => Date;
  /** Compiled code with immutable references: the review checks the stack's code against it. */
  compiled?: CompiledCodeSource;
  /** OpenZeppelin's storage-layout comparison: the review re-checks every implementation switch. */
  checkUpgrade?: UpgradeChecker;
}

/** The network's stack and chainId; RS7003 without records, RS5001 on another chain. */
export async function loadStack(ctx: ProposalContext): Promise<{ stack: StackRecord; chainId: number }> {
  const stack = await readRecordedStack(ctx.provider, ctx.records, ctx.network);
  return { stack, chainId: stack.chainId };
}

export function findProxy(stack: StackRecord, name: string, network: string): ProxyRecord {
  const proxy = stack.proxies[name];
  if (proxy === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROXY, {
      network,
      proxy: name,
      known: Object.keys(stack.proxies).join(", "),
    });
  }
  return proxy;
}

export function safeContract(address: Address, provider: Provider): Contract {
  return new Contract(address, loadSafeArtifact("safeSingletonAddress").abi as never, provider);
}

/**
 * The nonce a new Safe transaction gets: after the on-chain nonce and after every nonce that a
 * pending proposal of the same Safe already holds, so two drafts never compete for one nonce.
 *
 * JSON-RPC: eth_call (nonce).
 */
export async function nextSafeNonce(ctx: ProposalContext, safe: Address): Promise<number> {
  const onChain = Number((await safeContract(safe, ctx.provider).nonce!()) as bigint);
  let next = onChain;
  for (const proposal of await ctx.records.listProposals()) {
    if (proposal.safe.address !== safe || proposal.status === "cancelled") continue;
    for (const phase of proposal.phases) {
      if (phase.safeTx !== null && phase.executed === null && phase.safeTx.nonce >= next) next = phase.safeTx.nonce + 1;
    }
  }
  return next;
}

/** `003-upgrade-Vault`: a sequence number keeps `ls` and the queue in creation order. */
export async function newProposalId(ctx: ProposalContext, kind: ProposalKind, subject: string): Promise<string> {
  const existing = await ctx.records.listProposals();
  const last = existing.reduce((max, p) => Math.max(max, Number.parseInt(p.id, 10) || 0), 0);
  return `${String(last + 1).padStart(3, "0")}-${kind}-${subject}`;
}

/** A unique timelock salt per proposal, so two identical operations never share an id. */
export function proposalSalt(network: string, id: string): Hex {
  return keccak256(toUtf8Bytes(`release-safety/${network}/${id}`)) as Hex;
}

/** The fields every proposal shares. */
export function proposalBase(
  ctx: ProposalContext,
  fields: Pick<ProposalRecord, "id" | "kind" | "chainId" | "description" | "safe" | "actions" | "phases"> &
    Partial<ProposalRecord>,
): ProposalRecord {
  const at = ctx.now().toISOString();
  return {
    schemaVersion: 1,
    network: ctx.network,
    createdAt: at,
    status: "drafted",
    history: [{ status: "drafted", at }],
    ...fields,
  };
}
