import { AbiCoder, Contract, getAddress, Interface, keccak256, type Provider } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { ArtifactSource, ContractArtifact } from "../governance/artifacts.js";
import { inspectStack, readStackState, type StackState, type StackStatus } from "../governance/inspect-stack.js";
import type { StackHistory } from "../history/read-stack-history.js";
import { revertDataOf } from "../chain/revert-data.js";
import { diffSafeTx, expectedSafeTx, holdsTogether } from "../proposals/expected-safe-tx.js";
import { findKind } from "../proposals/kinds/registry.js";
import type { ProposalContext } from "../proposals/proposal-context.js";
import { withProposals } from "../proposals/with-proposals.js";
import type { UpgradeChecker } from "../proposals/upgrade-checker.js";
import { readRecordedStack } from "../records/read-recorded-stack.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import type { ProposalPhase, ProposalRecord } from "../proposals/proposal-record.js";
import { TIMELOCK_ABI } from "../proposals/timelock-operation.js";
import type { RecordsStore } from "../records/records-store.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS } from "../safe/safe-artifacts.js";
import {
  hashSafeTx,
  isValidContractSignature,
  recoverSafeSignature,
  safeTxArguments,
  type SafeTx,
  type SafeTxHashes,
} from "../safe/safe-tx.js";
import { matchBytecode } from "../verify/match-bytecode.js";
import { queueRedFlags } from "../service/queue-findings.js";
import { readServiceQueue, type ServiceQueue } from "../service/read-service-queue.js";
import type { TransactionService } from "../service/transaction-service.js";
import { decodeCalls, type DecodedCall, type KnownImplementation } from "./decode-calls.js";
import { knownContracts } from "./known-contracts.js";
import { summarizeCalls } from "./summarize-calls.js";
import { decodeRevert } from "./decode-revert.js";
import {
  findRedFlags,
  type ImplementationCheck,
  type RedFlag,
  type SignatureCheck,
  type TimelockCheck,
} from "./find-red-flags.js";

export interface ReviewProposalParameters {
  provider: Provider;
  /** The network the command runs on; a proposal made for another one is a red flag. */
  network: string;
  records: Pick<RecordsStore, "dir" | "readStack" | "readProposal" | "listProposals">;
  artifacts: ArtifactSource;
  /** The proposal id (its file name without `.json`). */
  proposal: string;
  /** The stack's history, when the caller has read it already. */
  history?: StackHistory;
  /**
   * The recorded stack, when the caller has loaded it and checked the provider's chain against it
   * (withProposals does): not read again.
   */
  stack?: StackRecord;
  /** The stack's contracts as read from chain (see readStackState), when the caller has read them. */
  state?: StackState;
  /** Compiled code: the stack's code is checked against it (a relabelled proxy is code drift). */
  compiled?: CompiledCodeSource;
  /** OpenZeppelin's storage comparison: every implementation switch is re-checked (RF-023). */
  checkUpgrade?: UpgradeChecker;
}

export interface ReviewReport {
  proposal: Pick<ProposalRecord, "id" | "kind" | "network" | "chainId" | "description" | "status" | "safe">;
  /** What the transaction does, one line per effect, from the decoded calls (not the file's description). */
  summary: string[];
  network: { name: string; chainId: number };
  /** The phase under review: the first one not yet executed, else the last one. */
  phase: { name: ProposalPhase["name"]; index: number; count: number; executed: boolean };
  safeTx: SafeTx;
  /** Recomputed from the fields above; a hardware wallet signing blind shows domainHash and messageHash. */
  hashes: SafeTxHashes;
  /** The Safe contract's own domainSeparator() and getTransactionHash(...) for the same fields. */
  onChainHashes: { domainHash: Hex; safeTxHash: Hex } | null;
  safe: { address: Address; owners: Address[]; threshold: number; nonce: number } | null;
  calls: DecodedCall;
  signatures: SignatureCheck[];
  /** Signatures that count: valid, one per owner. */
  validSignatures: number;
  timelock: (TimelockCheck & { address: Address; delay: number | null; timestamp: number; eta: number | null }) | null;
  implementation:
    | (ImplementationCheck & { onChainCodeHash: Hex | null; artifactCodeHash: Hex | null; method: "match-bytecode" })
    | null;
  simulation: {
    success: boolean;
    /** Gas the inner call used, as SimulateTxAccessor measured it (decimal). */
    gasEstimate: string;
    returnData: Hex;
    revertReason: string | null;
  } | null;
  /** The stack as the chain has it now (release status): its findings are the stack-scope red flags. */
  stack: Pick<StackStatus, "block" | "findings" | "operations">;
  redFlags: RedFlag[];
  /** False when any red flag is a danger: do not sign. */
  ok: boolean;
  /** The Transaction Service's queue for the stack's Safes, checked (when a service is configured). */
  queue?: ServiceQueue;
}

const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;
const ACCESSOR = new Interface(loadSafeArtifact("simulateTxAccessorAddress").abi as never);
const SIMULATE_TX_ACCESSOR = SAFE_CONTRACTS.simulateTxAccessorAddress.address;
/** TimelockController marks an executed operation with timestamp 1. */
const DONE_TIMESTAMP = 1n;

/**
 * What a signer must see before signing, computed afresh from the proposal's raw Safe transaction
 * fields and the chain, never from what the file says about itself: every call decoded through all
 * layers, the three EIP-712 hashes (and the Safe's own opinion of them), the timelock operation id
 * recomputed from the decoded calldata with its state, the new implementation's code compared with
 * the compiled artifact, a simulation on current chain state and the red flags. The stored hashes,
 * ids and actions are only ever compared against, so a tampered file shows as red flags.
 *
 * The implementation code check uses `matchBytecode` (src/core/verify): immutables masked,
 * metadata differences told apart.
 *
 * JSON-RPC: eth_chainId (without `stack`); eth_getCode, eth_call (Safe nonce, getOwners, getThreshold,
 * domainSeparator, getTransactionHash, simulateAndRevert; timelock getTimestamp, isOperationReady)
 * and those of inspectStack, all at once; then eth_call approvedHashes or isValidSignature per
 * signature that needs one (only an owner's).
 *
 * @example
 * const report = await reviewProposal({ provider, network, records, artifacts, proposal: "001-pause-Vault" });
 * if (!report.ok) refuseToSign(report.redFlags);
 */
export async function reviewProposal(params: ReviewProposalParameters): Promise<ReviewReport> {
  const { provider, records, network } = params;
  const full = params.stack ?? (await readRecordedStack(provider, records, network));
  const proposal = await records.readProposal(params.proposal);
  if (proposal === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network });
  }
  const chainId = full.chainId;
  const all = await records.listProposals();

  const withTx = proposal.phases.map((p, index) => ({ p, index })).filter(({ p }) => p.safeTx !== null);
  const current = withTx.find(({ p }) => p.executed === null) ?? withTx[withTx.length - 1];
  if (current === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.TAMPERED, {
      proposal: proposal.id,
      reason: "no phase has a Safe transaction",
    });
  }
  const phase = current.p;
  const tx = phase.safeTx!;
  const safeAddress = getAddress(proposal.safe.address) as Address;
  // Hashed with the proposal's own chainId: that is what a signer's wallet would sign.
  const hashes = hashSafeTx(proposal.chainId, safeAddress, tx);

  const introduced =
    proposal.implementation === undefined
      ? []
      : [{ address: proposal.implementation.to, contract: proposal.implementation.contract }];
  const { known, implementations, abis } = await knownContracts(full, params.artifacts, introduced);
  const decoded = decodeCalls({ ...tx, known, implementations });

  const expected = expectedSafeTx(proposal, full, phase.name, tx.nonce);
  const inconsistency = typeof expected === "string" ? expected : (diffSafeTx(tx, expected) ?? null);
  const kind = findKind(proposal.kind);
  // Everything that needs only the file and the records is read at once: one round trip.
  const [safe, timelock, implementation, stack, initializers, simulated, kindFlags] = await Promise.all([
    readSafe(provider, safeAddress, tx),
    readTimelock(provider, full, proposal, decoded),
    checkImplementation(provider, proposal, decoded, params.artifacts),
    inspectStack({
      provider,
      stack: full,
      history: params.history,
      state: params.state,
      proposals: all,
      artifacts: params.artifacts,
      compiled: params.compiled,
    }),
    upgradeInitializers(decoded, implementations, params.artifacts),
    // Used only when the Safe has code (a call to an empty account "succeeds").
    simulate(provider, safeAddress, tx, abis),
    inconsistency === null
      ? Promise.all([
          kind?.redFlags?.(proposal, full, provider) ?? [],
          kind?.switchesImplementation === true ? checkStorage(params.checkUpgrade, proposal, full) : [],
        ]).then((flags) => flags.flat())
      : [],
  ]);
  const simulation = safe === null ? null : simulated;
  // Only after the owners are known: a file must not make the toolkit call any contract it names.
  const signatures = await checkSignatures(
    provider,
    safeAddress,
    phase,
    proposal.chainId,
    hashes.safeTxHash,
    safe?.owners ?? [],
  );

  // Only proposals that hold together compete for a nonce: a decoy file must not block a pause.
  const otherNonces = all.flatMap((other) =>
    other.status === "cancelled" || getAddress(other.safe.address) !== safeAddress || !holdsTogether(other, full)
      ? []
      : other.phases
          .filter(
            (p) => p.safeTx !== null && p.executed === null && !(other.id === proposal.id && p.name === phase.name),
          )
          .map((p) => ({ proposal: other.id, phase: p.name, nonce: p.safeTx!.nonce })),
  );

  const redFlags = findRedFlags({
    proposal,
    phase: { name: phase.name, executed: phase.executed !== null, storedHashes: phase.hashes },
    tx,
    decoded,
    hashes,
    chain: {
      network,
      chainId,
      safeNonce: safe?.nonce ?? null,
      safeDomainHash: safe?.domainHash ?? null,
      safeTxHash: safe?.safeTxHash ?? null,
    },
    safes: { owners: full.safes.owners.address, guardian: full.safes.guardian.address },
    otherNonces,
    signatures,
    timelock,
    implementation,
    simulation,
    inconsistency,
    initializers,
    stackFindings: stack.findings,
    switchesImplementation: kind?.switchesImplementation === true,
    declaredPowerChanges: inconsistency === null ? (kind?.powerChanges?.(proposal, full) ?? []) : [],
    kindFlags,
  });

  return {
    proposal: {
      id: proposal.id,
      kind: proposal.kind,
      network: proposal.network,
      chainId: proposal.chainId,
      description: proposal.description,
      status: proposal.status,
      safe: proposal.safe,
    },
    summary: summarizeCalls(decoded),
    network: { name: network, chainId },
    phase: { name: phase.name, index: current.index, count: proposal.phases.length, executed: phase.executed !== null },
    safeTx: tx,
    hashes,
    onChainHashes: safe === null ? null : { domainHash: safe.domainHash, safeTxHash: safe.safeTxHash },
    safe:
      safe === null
        ? null
        : { address: safeAddress, owners: safe.owners, threshold: safe.threshold, nonce: safe.nonce },
    calls: decoded,
    signatures,
    validSignatures: new Set(signatures.filter((s) => s.valid).map((s) => s.signer)).size,
    timelock,
    implementation,
    simulation,
    stack: { block: stack.block, findings: stack.findings, operations: stack.operations },
    redFlags,
    ok: redFlags.every((f) => f.severity !== "danger"),
  };
}

/**
 * OpenZeppelin's storage comparison of the code the proxy runs (per the records) with the code the
 * proposal switches to, done again at every review: a forged file naming code with another layout
 * is a danger even when that code is compiled here. Going forward nothing may be deleted; an
 * upgrade that keeps the guardian's instant rollback must also be safe to return from.
 */
async function checkStorage(
  checkUpgrade: UpgradeChecker | undefined,
  proposal: ProposalRecord,
  stack: StackRecord,
): Promise<RedFlag[]> {
  const impl = proposal.implementation;
  const current = proposal.proxy === undefined ? undefined : stack.proxies[proposal.proxy.name]?.contract;
  if (checkUpgrade === undefined || impl === undefined || current === undefined || current === impl.contract) return [];
  const danger = (message: string): RedFlag => ({ code: "RF-023", severity: "danger", scope: "proposal", message });
  const upgrade = proposal.kind === "upgrade";
  try {
    const forward = await checkUpgrade(current, impl.contract);
    const problems = [...forward.problems, ...(upgrade ? forward.deleted : [])];
    if (problems.length > 0) {
      return [danger(`${impl.contract} cannot safely replace ${current} behind the proxy: ${problems.join("; ")}.`)];
    }
    if (upgrade && !impl.clearsRollbackTarget) {
      const back = await checkUpgrade(impl.contract, current);
      if (!back.compatible) {
        return [
          danger(
            `The guardian's instant rollback would return to ${current}, which misreads ${impl.contract}'s storage: ${back.problems.join("; ")}.`,
          ),
        ];
      }
    }
    return [];
  } catch (error) {
    return [
      danger(
        `The storage layouts of ${current} and ${impl.contract} cannot be compared: ${(error as Error).message.split("\n")[0]}.`,
      ),
    ];
  }
}

/** The initializers of every implementation an `upgradeToAndCall` in the tree switches to. */
async function upgradeInitializers(
  decoded: DecodedCall,
  implementations: Record<string, KnownImplementation>,
  artifacts: ArtifactSource,
): Promise<Record<string, Hex[] | undefined>> {
  const out: Record<string, Hex[] | undefined> = {};
  const visit = async (call: DecodedCall): Promise<void> => {
    if (call.upgrade !== undefined) {
      const contract = implementations[call.upgrade.implementation]?.contract;
      out[call.upgrade.implementation] = contract === undefined ? undefined : await artifacts.initializers?.(contract);
    }
    for (const inner of call.inner) await visit(inner);
  };
  await visit(decoded);
  return out;
}

/**
 * The Safe's state and its own hashes of the transaction: a Safe that hashes differently from us
 * (another version, another chain) must never be signed for.
 */
async function readSafe(provider: Provider, address: Address, tx: SafeTx) {
  const safe = new Contract(address, SAFE_ABI as never, provider);
  // Asked together with the code; the calls' answers (or failures) count only where there is code.
  const calls = Promise.all([
    safe.nonce!(),
    safe.getOwners!(),
    safe.getThreshold!(),
    safe.domainSeparator!(),
    safe.getTransactionHash!(...safeTxArguments(tx), tx.nonce),
  ]);
  const [code, settled] = await Promise.all([
    provider.getCode(address),
    calls.then(
      (values) => ({ values }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if (code === "0x") return null;
  if ("error" in settled) throw settled.error;
  const [nonce, owners, threshold, domainHash, onChainTxHash] = settled.values as [
    bigint,
    string[],
    bigint,
    string,
    string,
  ];
  return {
    nonce: Number(nonce),
    owners: owners.map((o) => getAddress(o) as Address),
    threshold: Number(threshold),
    domainHash: domainHash as Hex,
    safeTxHash: onChainTxHash as Hex,
  };
}

async function checkSignatures(
  provider: Provider,
  safeAddress: Address,
  phase: ProposalPhase,
  chainId: number,
  safeTxHash: Hex,
  owners: Address[],
): Promise<SignatureCheck[]> {
  const ownerSet = new Set<string>(owners);
  const safe = new Contract(safeAddress, SAFE_ABI as never, provider);
  return Promise.all(
    phase.signatures.map(async (stored): Promise<SignatureCheck> => {
      const signer = getAddress(stored.signer) as Address;
      const result = (recovered: Address | null, problem: string | null): SignatureCheck => ({
        signer,
        recovered,
        kind: stored.kind,
        valid: problem === null,
        problem,
      });
      if (stored.kind === "approved-hash") {
        // Approved on chain with approveHash: only the Safe's own record counts.
        const approved = owners.length === 0 ? 0n : ((await safe.approvedHashes!(signer, safeTxHash)) as bigint);
        if (!ownerSet.has(signer)) return result(signer, `${signer} is not an owner of the Safe`);
        return result(signer, approved === 0n ? "the Safe has no on-chain approval of this safeTxHash" : null);
      }
      if (stored.kind === "contract") {
        // A nested Safe (EIP-1271): only its own isValidSignature, at its current owners, counts.
        // Recovered stays null for a non-owner (a danger), set for a Safe that refuses it (does not count).
        if (!ownerSet.has(signer)) return result(null, `${signer} is not an owner of the Safe`);
        const valid = await isValidContractSignature(provider, chainId, safeAddress, phase.safeTx!, stored);
        return result(signer, valid ? null : `the Safe ${signer} does not accept it (isValidSignature)`);
      }
      let recovered: Address;
      try {
        recovered = recoverSafeSignature(safeTxHash, stored.data).signer;
      } catch (error) {
        return result(null, (error as Error).message.split("\n")[0] ?? "malformed");
      }
      if (recovered !== signer) {
        return result(
          recovered,
          `it recovers to ${recovered}: it signs another transaction (the file was edited after signing?)`,
        );
      }
      if (!ownerSet.has(recovered)) return result(recovered, `${recovered} is not an owner of the Safe`);
      return result(recovered, null);
    }),
  );
}

function findCall(call: DecodedCall, predicate: (c: DecodedCall) => boolean): DecodedCall | undefined {
  if (predicate(call)) return call;
  for (const inner of call.inner) {
    const found = findCall(inner, predicate);
    if (found !== undefined) return found;
  }
  return undefined;
}

async function readTimelock(
  provider: Provider,
  stack: StackRecord,
  proposal: ProposalRecord,
  decoded: DecodedCall,
): Promise<ReviewReport["timelock"]> {
  const call = findCall(decoded, (c) => c.timelock !== undefined && c.to === getAddress(stack.timelock.address));
  if (call?.timelock === undefined) return null;
  const { id, action, operation } = call.timelock;
  const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, provider);
  const [timestamp, ready] = (await Promise.all([timelock.getTimestamp!(id), timelock.isOperationReady!(id)])) as [
    bigint,
    boolean,
  ];
  const state: TimelockCheck["state"] =
    timestamp === 0n ? "unset" : timestamp === DONE_TIMESTAMP ? "done" : ready ? "ready" : "waiting";
  const storedId = action === "cancel" ? (proposal.cancels?.operationId ?? null) : (proposal.timelock?.id ?? null);
  return {
    address: getAddress(stack.timelock.address) as Address,
    id,
    action,
    storedId,
    state,
    delay: operation === undefined || action !== "schedule" ? null : operation.delay,
    timestamp: Number(timestamp),
    eta: timestamp > DONE_TIMESTAMP ? Number(timestamp) : null,
  };
}

async function checkImplementation(
  provider: Provider,
  proposal: ProposalRecord,
  decoded: DecodedCall,
  artifacts: ArtifactSource,
): Promise<ReviewReport["implementation"]> {
  if (proposal.implementation === undefined) return null;
  const { to, contract } = proposal.implementation;
  const address = getAddress(to) as Address;
  const upgrade = findCall(decoded, (c) => c.upgrade !== undefined)?.upgrade;
  const [code, artifact] = await Promise.all([provider.getCode(address), artifacts.read(contract)]);
  const base = {
    address,
    contract,
    decodedAddress: upgrade?.implementation ?? null,
    onChainCodeHash: code === "0x" ? null : (keccak256(code) as Hex),
    artifactCodeHash: artifact === undefined ? null : (keccak256(artifact.deployedBytecode) as Hex),
    method: "match-bytecode" as const,
  };
  if (artifact === undefined) return { ...base, codeMatch: "not-compiled" };
  const immutableReferences =
    (artifact as ContractArtifact & { immutableReferences?: Record<string, Array<{ start: number; length: number }>> })
      .immutableReferences ?? {};
  const match = matchBytecode(code as Hex, { deployedBytecode: artifact.deployedBytecode, immutableReferences });
  return { ...base, codeMatch: match.status };
}

/**
 * Runs the Safe transaction's inner call on current chain state without signatures:
 * Safe.simulateAndRevert delegatecalls SimulateTxAccessor.simulate, which executes the call as the
 * Safe and reverts with [success][length][abi.encode(estimate, success, returnData)].
 */
async function simulate(
  provider: Provider,
  safe: Address,
  tx: SafeTx,
  abis: Array<readonly unknown[]>,
): Promise<NonNullable<ReviewReport["simulation"]>> {
  const payload = ACCESSOR.encodeFunctionData("simulate", [tx.to, tx.value, tx.data, tx.operation]);
  const data = new Interface(SAFE_ABI as never).encodeFunctionData("simulateAndRevert", [
    SIMULATE_TX_ACCESSOR,
    payload,
  ]);
  let raw: string | undefined;
  try {
    await provider.call({ to: safe, data });
  } catch (error) {
    raw = revertDataOf(error);
  }
  const failed = (reason: string) => ({
    success: false,
    gasEstimate: "0",
    returnData: "0x" as Hex,
    revertReason: reason,
  });
  if (raw === undefined || raw.length < 2 + 64 * 2) return failed("the Safe did not answer simulateAndRevert");
  const coder = AbiCoder.defaultAbiCoder();
  const [accessorOk] = coder.decode(["bool"], raw.slice(0, 66));
  if (accessorOk !== true) return failed("SimulateTxAccessor is missing or failed on this chain");
  const [estimate, success, returnData] = coder.decode(
    ["uint256", "bool", "bytes"],
    `0x${raw.slice(2 + 128)}`,
  ) as unknown as [bigint, boolean, string];
  return {
    success,
    gasEstimate: estimate.toString(),
    returnData: returnData as Hex,
    revertReason: success ? null : decodeRevert(returnData as Hex, abis),
  };
}

/**
 * `release review`: the records follow the chain first (see withProposals), then the review, so a
 * proposal executed in the Safe app is reviewed as executed, not flagged as stale.
 */
export async function reviewFollowingChain(
  ctx: ProposalContext,
  proposal: string,
  service?: TransactionService,
): Promise<ReviewReport> {
  const prefetch = (recorded: StackRecord) => readStackState(ctx.provider, recorded);
  return withProposals(
    ctx,
    async ({ history, stack, chainId, prefetched }) => {
      const report = await reviewProposal({ ...ctx, proposal, history, stack, state: await prefetched });
      if (service === undefined) return report;
      // The Safe{Wallet} queue, checked: what signers there are shown next to this proposal.
      const queue = await readServiceQueue({
        provider: ctx.provider,
        service,
        stack,
        chainId,
        proposals: await ctx.records.listProposals(),
        artifacts: ctx.artifacts,
      });
      const redFlags = [
        ...report.redFlags,
        ...queueRedFlags(queue, {
          safe: report.proposal.safe.address,
          nonce: report.safeTx.nonce,
          safeTxHash: report.hashes.safeTxHash,
        }),
      ];
      return { ...report, queue, redFlags, ok: redFlags.every((f) => f.severity !== "danger") };
    },
    prefetch,
  );
}
