/**
 * The toolkit's public core API (`hardhat-release-safety/core`): Hardhat-free functions that take a
 * provider, records and contexts as parameters, their result types, the error codes, and the
 * vocabulary of records and proposals. Everything the CLI does goes through these.
 */
export type { Address, Hex } from "./types.js";
export { ERRORS, ReleaseError, type ErrorDescriptor } from "./errors.js";
export type { ReleaseEvent, EventSink } from "./events.js";
export type { ReleaseConfig, ReleaseNetworkConfig, ReleaseUserConfig } from "./config/release-config.js";

// Records
export { openRecords, type RecordsStore } from "./records/records-store.js";
export type { StackRecord, ProxyRecord, SafeRecord, ImplementationRecord } from "./records/stack-record.js";
export type { ProposalRecord, ProposalPhase, ProposalAction, Acknowledgement } from "./proposals/proposal-record.js";

// Deploy and inspect the governed stack
export { deployStack, type DeployStackParameters, type DeployStackResult } from "./governance/deploy-stack.js";
export { readStackStatus, type ReadStackStatusParameters } from "./governance/read-stack-status.js";
export { inspectStack, type StackStatus, type Finding, type PendingOperation } from "./governance/inspect-stack.js";
export {
  readStackHistory,
  stackAddresses,
  type StackHistory,
  type OperationHistory,
} from "./history/read-stack-history.js";
export { readLogs } from "./history/read-logs.js";
export { ROLES } from "./governance/roles.js";

// Proposals
export type { ProposalContext } from "./proposals/proposal-context.js";
export { propose, type ProposeParameters } from "./proposals/propose.js";
export { signProposal, type SignProposalParameters, type SignProposalResult } from "./proposals/sign-proposal.js";
export {
  executeProposal,
  type ExecuteProposalParameters,
  type ExecuteProposalResult,
} from "./proposals/execute-proposal.js";
export { listProposals, type ListProposalsResult, type QueueEntry } from "./proposals/list-proposals.js";
export { exportProposal, exportTxBuilder, type TxBuilderBatch } from "./proposals/export-tx-builder.js";
export { PROPOSAL_KINDS, findKind } from "./proposals/kinds/registry.js";
export type { ProposalKindModule, KindOption, KindDraft, DraftInput } from "./proposals/kinds/kind.js";

// Review
export { reviewProposal, reviewFollowingChain, type ReviewReport } from "./review/review-proposal.js";
export { gateReview } from "./review/gate-review.js";
export type { RedFlag } from "./review/find-red-flags.js";
export { RED_FLAG_CATALOG } from "./review/red-flag-catalog.js";

// The Safe Transaction Service (Safe{Wallet}'s queue)
export { TransactionService } from "./service/transaction-service.js";
export { pushProposal, type PushProposalParameters, type PushProposalResult } from "./service/push-proposal.js";
export {
  pullConfirmations,
  type PullConfirmationsParameters,
  type PullConfirmationsResult,
} from "./service/pull-confirmations.js";
export { readServiceQueue, type ServiceQueue, type QueuedTransaction } from "./service/read-service-queue.js";

// Watching the stack after release
export { watchStack, type WatchStackParameters, type WatchResult } from "./watch/watch-stack.js";
export type { Alert, AlertKind, Severity } from "./watch/alert.js";
export { fileSink, webhookSink, type AlertSink } from "./watch/alert-sinks.js";
export { WatchMetrics } from "./watch/watch-metrics.js";

// Rehearsal: a project's post-upgrade checks are `(context: PostUpgradeCheckContext) => Promise<void>`.
export {
  rehearseProposals,
  type PostUpgradeCheck,
  type PostUpgradeCheckContext,
  type RehearsalReport,
} from "./rehearsal/rehearse-proposals.js";

// RPC and gas
export {
  createFailoverTransport,
  DEFAULT_FAILOVER_SETTINGS,
  type FailoverTransport,
} from "./rpc/create-failover-transport.js";
export { estimateTransactionCost, type TransactionCostEstimate } from "./gas/estimate-transaction-cost.js";
export { resolveFeePolicy } from "./gas/resolve-fee-policy.js";
