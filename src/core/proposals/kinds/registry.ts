import { ERRORS, ReleaseError } from "../../errors.js";
import { cancel } from "./cancel.js";
import { delay } from "./delay.js";
import type { ProposalKindModule } from "./kind.js";
import { pause, unpause } from "./pause.js";
import { instantRollback, rollback } from "./rollback.js";
import { signers } from "./signers.js";
import { upgrade } from "./upgrade.js";

/**
 * Every kind of proposal the toolkit knows. A new kind is one module added here: the propose
 * command, review, sign, execute, export, the queue and the rehearsal all take it from this list.
 */
export const PROPOSAL_KINDS: readonly ProposalKindModule[] = [
  upgrade,
  pause,
  unpause,
  rollback,
  instantRollback,
  cancel,
  delay,
  signers,
];

/** The kind of that name; undefined for a name no module declares (a file from elsewhere). */
export function findKind(name: string): ProposalKindModule | undefined {
  return PROPOSAL_KINDS.find((k) => k.name === name);
}

/** The kind of that name; RS3013-worthy files are refused by the caller, unknown names here (RS1010). */
export function kindNamed(name: string): ProposalKindModule {
  const kind = findKind(name);
  if (kind === undefined) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "kind",
      value: JSON.stringify(name),
      reason: `known kinds: ${PROPOSAL_KINDS.map((k) => k.name).join(", ")}`,
      task: "release propose",
    });
  }
  return kind;
}
