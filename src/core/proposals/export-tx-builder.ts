import { getAddress, keccak256, toUtf8Bytes } from "ethers";

import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import { decodeMultiSend, MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import { hashSafeTx } from "../safe/safe-tx.js";
import { gateReview } from "../review/gate-review.js";
import { reviewProposal } from "../review/review-proposal.js";
import { checkProposal } from "./check-proposal.js";
import type { ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";
import { withProposals } from "./with-proposals.js";

/** One call of a Transaction Builder batch; raw calldata, so the app needs no ABI to rebuild it. */
export interface TxBuilderTransaction {
  to: Address;
  /** Wei, decimal. */
  value: string;
  data: Hex;
}

/** The Safe{Wallet} Transaction Builder batch file, version 1.0. */
export interface TxBuilderBatch {
  version: "1.0";
  chainId: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  meta: {
    name: string;
    description: string;
    txBuilderVersion: string;
    createdFromSafeAddress: Address;
    createdFromOwnerAddress: string;
    checksum?: Hex;
  };
  transactions: TxBuilderTransaction[];
}

export interface ExportTxBuilderParameters {
  proposal: ProposalRecord;
  /** The network the command runs on and its chainId: a file for another chain is refused (RS3014). */
  network: string;
  chainId: number;
  /** When the file is made (ms); a parameter so the output is reproducible in tests. */
  createdAt: number;
  /** What the transaction does, from its decoded calls: the batch's description (never the file's claim). */
  summary?: string[];
}

export interface ExportTxBuilderResult {
  batch: TxBuilderBatch;
  phase: string;
  nonce: number;
  /** Of the proposal's own Safe transaction; the app's matches only with the same nonce and batching. */
  safeTxHash: Hex;
}

/** The Transaction Builder version whose file format this writes. */
const TX_BUILDER_VERSION = "1.18.0";

/**
 * Writes the current phase's Safe transaction as a Transaction Builder batch, for owners who sign
 * in the Safe{Wallet} app: a MultiSendCallOnly batch becomes its inner calls (the app batches
 * them again), anything else one call. The meta carries a valid checksum so the app imports it
 * without a warning, and the description names the nonce and safeTxHash to compare with the app's:
 * they match when the app proposes it at the same nonce and batches with MultiSendCallOnly 1.4.1.
 *
 * Refuses another network (RS3014), a cancelled (RS3010) or finished (RS3011) proposal, a phase
 * not built yet (RS3051), and a delegatecall the app cannot express (RS3052).
 *
 * JSON-RPC: none.
 */
export function exportTxBuilder(params: ExportTxBuilderParameters): ExportTxBuilderResult {
  const { proposal } = params;
  if (proposal.chainId !== params.chainId || proposal.network !== params.network) {
    throw new ReleaseError(ERRORS.PROPOSAL.WRONG_NETWORK, {
      proposal: proposal.id,
      proposalNetwork: proposal.network,
      proposalChainId: proposal.chainId,
      network: params.network,
      chainId: params.chainId,
    });
  }
  if (proposal.status === "cancelled")
    throw new ReleaseError(ERRORS.PROPOSAL.CANCELLED, { proposal: proposal.id, how: "" });
  const phase = proposal.phases.find((p) => p.executed === null);
  if (phase === undefined) throw new ReleaseError(ERRORS.PROPOSAL.ALREADY_EXECUTED, { proposal: proposal.id, how: "" });
  if (phase.safeTx === null) {
    throw new ReleaseError(ERRORS.PROPOSAL.PHASE_NOT_BUILT, { proposal: proposal.id, phase: phase.name });
  }
  const tx = phase.safeTx;
  let transactions: TxBuilderTransaction[];
  if (tx.operation === 0) {
    transactions = [{ to: getAddress(tx.to) as Address, value: tx.value, data: tx.data }];
  } else {
    const calls = getAddress(tx.to) === MULTI_SEND_CALL_ONLY ? decodeMultiSend(tx.data) : undefined;
    if (calls === undefined || calls.some((c) => c.operation !== 0)) {
      throw new ReleaseError(ERRORS.PROPOSAL.NOT_EXPORTABLE, { proposal: proposal.id, to: tx.to });
    }
    transactions = calls.map((c) => ({ to: c.to, value: c.value, data: c.data }));
  }
  const { safeTxHash } = hashSafeTx(proposal.chainId, proposal.safe.address, tx);
  const batch: TxBuilderBatch = {
    version: "1.0",
    chainId: String(proposal.chainId),
    createdAt: params.createdAt,
    meta: {
      name: `${proposal.id} (${phase.name})`,
      description: `${(params.summary ?? [`${proposal.kind} ${proposal.id}`]).join("; ")}. Safe nonce ${tx.nonce}, safeTxHash ${safeTxHash}.`,
      txBuilderVersion: TX_BUILDER_VERSION,
      createdFromSafeAddress: getAddress(proposal.safe.address) as Address,
      createdFromOwnerAddress: "",
    },
    transactions,
  };
  // The app validates by deleting `checksum` and hashing the rest, so hash before adding it.
  batch.meta.checksum = txBuilderChecksum(batch);
  return { batch, phase: phase.name, nonce: tx.nonce, safeTxHash };
}

/**
 * The Transaction Builder's checksum of a batch, as the app computes it: keccak256 of a canonical
 * serialization with `meta.name` set to null (renaming a batch keeps it valid). The serialization:
 * arrays as `[a,b]`; objects as `{` + the JSON of their sorted keys + each value (in key order)
 * followed by `,` + `}`; anything else as JSON, undefined as null.
 */
export function txBuilderChecksum(batch: object): Hex {
  const meta = (batch as { meta?: object }).meta;
  return keccak256(toUtf8Bytes(serialize({ ...batch, meta: { ...meta, name: null } }))) as Hex;
}

function serialize(json: unknown): string {
  if (Array.isArray(json)) return `[${json.map((element) => serialize(element)).join(",")}]`;
  if (typeof json === "object" && json !== null) {
    const keys = Object.keys(json).sort();
    let out = `{${JSON.stringify(keys, nullForUndefined)}`;
    for (const key of keys) out += `${serialize((json as Record<string, unknown>)[key])},`;
    return `${out}}`;
  }
  return `${JSON.stringify(json, nullForUndefined)}`;
}

function nullForUndefined(_key: string, value: unknown): unknown {
  return value === undefined ? null : value;
}

export interface ExportProposalParameters {
  ctx: ProposalContext;
  proposal: string;
  createdAt: number;
  /** Warning codes the person exporting accepts; dangers are never exportable. */
  acknowledge: string[];
}

/**
 * `release export`: the batch that owners sign in the Safe{Wallet} app, behind the same gate as
 * signing here: the file must hold together (see checkProposal) and the review must show no danger
 * (RS3026), warnings acknowledged (RS3027). Nothing a signer approves in the app is weaker than
 * what review showed.
 *
 * JSON-RPC: those of withProposals, checkProposal and reviewProposal.
 */
export async function exportProposal(params: ExportProposalParameters): Promise<ExportTxBuilderResult> {
  const { ctx } = params;
  return withProposals(ctx, async ({ stack, chainId, history }) => {
    const proposal = await ctx.records.readProposal(params.proposal);
    if (proposal === undefined) {
      throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: params.proposal, network: ctx.network });
    }
    const result = () => exportTxBuilder({ proposal, network: ctx.network, chainId, createdAt: params.createdAt });
    result(); // network, status and phase first: their own codes
    await checkProposal(ctx, proposal, stack, chainId);
    const report = await reviewProposal({ ...ctx, proposal: proposal.id, history });
    gateReview({ report, command: "export", acknowledge: params.acknowledge, by: "export", now: ctx.now() });
    return exportTxBuilder({
      proposal,
      network: ctx.network,
      chainId,
      createdAt: params.createdAt,
      summary: report.summary,
    });
  });
}
