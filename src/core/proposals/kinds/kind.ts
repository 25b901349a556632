import type { Provider } from "ethers";

import type { TxContext } from "../../chain/tx-context.js";
import type { StackHistory } from "../../history/read-stack-history.js";
import type { StackRecord } from "../../records/stack-record.js";
import type { DeclaredPowerChange, RedFlag } from "../../review/find-red-flags.js";
import type { Address, Hex } from "../../types.js";
import type { DraftCall } from "../draft-proposal.js";
import type { ProposalContext } from "../proposal-context.js";
import type { ProposalRecord } from "../proposal-record.js";
import type { UpgradeChecker } from "../upgrade-checker.js";

export type SafeRole = "owners" | "guardian";

/** One command-line option of `release propose <kind>` (the CLI name is its kebab case). */
export interface KindOption {
  name: string;
  description: string;
  type: "string" | "flag" | "positional";
  required?: boolean;
}

export type KindOptions = Record<string, string | boolean | undefined>;

/** What drafting a proposal may use besides the chain and the records. */
export interface DraftInput {
  ctx: ProposalContext;
  stack: StackRecord;
  chainId: number;
  history: StackHistory;
  options: KindOptions;
  /** Sends transactions a draft needs (an upgrade deploys its implementation); opened on first use. */
  tx?: () => Promise<TxContext>;
  /** OpenZeppelin's storage-layout comparison (upgrades and rollbacks). */
  checkUpgrade?: UpgradeChecker;
}

/** What a kind drafts: everything a proposal file holds besides its Safe transactions. */
export interface KindDraft {
  /** Set when the draft is of another kind than the one asked (`rollback --instant`). */
  kind?: string;
  /** Short name in the proposal id: 003-<kind>-<subject>. */
  subject: string;
  description: string;
  role: SafeRole;
  calls: DraftCall[];
  extra?: Pick<Partial<ProposalRecord>, "proxy" | "implementation" | "cancels" | "params">;
}

/** A call a proposal must make, rebuilt from its readable fields. */
export interface KindCall {
  to: Address;
  data: Hex;
}

/** What must hold on a proxy after a proposal ran (rehearsal); absent fields stay as they were. */
export interface ProxyExpectation {
  implementation?: Address;
  paused?: boolean;
  /** null: no rollback target. */
  rollbackTarget?: Address | null;
}

/**
 * One kind of proposal, declared in one module: its options, how it is drafted and checked, the
 * calls it must make, the changes of power that are its purpose, its own red flags, what the
 * rehearsal expects of it and what it changes in the records. The lifecycle code (propose, review,
 * sign, execute, export, list, rehearse) asks the registry and never switches on a kind's name.
 */
export interface ProposalKindModule {
  name: string;
  /** The propose task's description. */
  summary: string;
  /** The Safes that may run it (the first is the default). */
  safes: SafeRole[];
  viaTimelock: boolean;
  /** Stops damage (pause, instant rollback, cancel): what is wrong with the stack never holds it back. */
  emergency: boolean;
  /** False for a kind reached through another's command (`rollback --instant`). */
  command?: boolean;
  options: KindOption[];
  /** Checks options that depend on each other, before anything is read (RS1009, RS1010). */
  validate?(options: KindOptions): void;
  draft(input: DraftInput): Promise<KindDraft>;
  /** The calls it must make, from its readable fields and the recorded stack; a reason when it may not. */
  calls(proposal: ProposalRecord, stack: StackRecord): KindCall[] | string;
  /** True when its purpose is to switch its proxy's implementation (checked by RF-013). */
  switchesImplementation?: boolean;
  /** Changes of power that are its purpose: shown as warnings to acknowledge, never hidden. */
  powerChanges?(proposal: ProposalRecord, stack: StackRecord): DeclaredPowerChange[];
  /** Red flags of its own, from the chain now. */
  redFlags?(proposal: ProposalRecord, stack: StackRecord, provider: Provider): Promise<RedFlag[]>;
  /** What the rehearsal asserts on each proxy it touches, from the state before. */
  expect?(
    proposal: ProposalRecord,
    before: { implementation: Address; rollbackTarget: Address | null; rollbackWindow: number },
  ): ProxyExpectation;
  /** Records its effect in the stack records once executed (the chain has already been read back). */
  apply?(proposal: ProposalRecord, stack: StackRecord): void;
}
