import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import { draftProposal } from "./draft-proposal.js";
import type { KindOptions } from "./kinds/kind.js";
import { kindNamed } from "./kinds/registry.js";
import { kebab, optional } from "./kinds/shared.js";
import type { ProposalContext } from "./proposal-context.js";
import type { ProposalRecord } from "./proposal-record.js";
import type { UpgradeChecker } from "./upgrade-checker.js";
import { withProposals } from "./with-proposals.js";

export interface ProposeParameters {
  ctx: ProposalContext;
  /** A kind from the registry: upgrade, pause, unpause, rollback, cancel, delay, signers... */
  kind: string;
  /** The kind's options, by their camelCase names (see the kind's `options`). */
  options: KindOptions;
  /** For kinds that send while drafting (an upgrade deploys its implementation); opened on first use. */
  tx?: () => Promise<TxContext>;
  /** OpenZeppelin's storage comparison, for kinds that switch implementations. */
  checkUpgrade?: UpgradeChecker;
}

/**
 * Drafts a proposal of any kind and writes its file: the kind checks the options against the chain
 * and the records and says which calls to make; the calls become the Safe transaction(s), through
 * the timelock when the kind goes through it. Nothing is signed.
 *
 * JSON-RPC: those of withProposals and of the kind's draft; eth_call (Safe nonce, getMinDelay).
 */
export async function propose(params: ProposeParameters): Promise<ProposalRecord> {
  const { ctx } = params;
  const asked = kindNamed(params.kind);
  // Options are checked before anything is read: a typo costs no round trip.
  for (const option of asked.options) {
    if (option.required === true && optional(params.options, option.name) === undefined) {
      const name = option.type === "positional" ? `<${option.name}>` : `--${kebab(option.name)}`;
      throw new ReleaseError(ERRORS.CONFIG.MISSING_OPTION, { option: name });
    }
  }
  asked.validate?.(params.options);
  return withProposals(ctx, async ({ stack, chainId, history }) => {
    const draft = await asked.draft({ ...params, stack, chainId, history });
    const kind = draft.kind === undefined ? asked : kindNamed(draft.kind);
    return draftProposal({ ctx, stack, chainId, kind, draft });
  });
}
