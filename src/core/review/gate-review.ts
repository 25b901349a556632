import { ERRORS, ReleaseError } from "../errors.js";
import { findKind } from "../proposals/kinds/registry.js";
import type { Acknowledgement } from "../proposals/proposal-record.js";
import type { RedFlag } from "./find-red-flags.js";
import type { ReviewReport } from "./review-proposal.js";

export interface GateReviewParameters {
  report: ReviewReport;
  command: "sign" | "execute" | "export" | "push";
  /** Codes of warnings the person accepts (`--acknowledge RF-003,RF-013`). */
  acknowledge: string[];
  /** Who signs or executes, for the record. */
  by: string;
  now: Date;
}

/**
 * The gate in front of every signature and execution: the same review a signer reads, applied.
 * Any danger refuses (RS3026), whatever is acknowledged; warnings refuse until each is
 * acknowledged by its code (RS3027). Returns the acknowledgements to record in the proposal file.
 */
export function gateReview(params: GateReviewParameters): Acknowledgement[] {
  const { report, command } = params;
  const values = { proposal: report.proposal.id, network: report.network.name, command };
  // Kinds that stop damage (the guardian's pause and instant rollback, a cancel) are never held
  // back by what is wrong with the stack itself: they are the answer to it. Their own flags still are.
  const emergency = findKind(report.proposal.kind)?.emergency === true;
  const dangers = report.redFlags.filter((f) => f.severity === "danger" && (f.scope === "proposal" || !emergency));
  if (dangers.length > 0) {
    throw new ReleaseError(ERRORS.PROPOSAL.REVIEW_DANGER, {
      ...values,
      count: dangers.length,
      findings: lines(dangers),
    });
  }
  const warnings = report.redFlags.filter((f) => f.severity === "warning");
  const missing = warnings.filter((f) => !params.acknowledge.includes(f.code));
  if (missing.length > 0) {
    throw new ReleaseError(ERRORS.PROPOSAL.NEEDS_ACKNOWLEDGEMENT, {
      ...values,
      count: missing.length,
      findings: lines(missing),
      codes: [...new Set(warnings.map((f) => f.code))].join(","),
    });
  }
  return warnings.map((f) => ({
    code: f.code,
    message: f.message,
    by: params.by,
    command,
    at: params.now.toISOString(),
  }));
}

function lines(flags: RedFlag[]): string {
  return flags.map((f) => `  - ${f.code} ${f.message}`).join("\n");
}
