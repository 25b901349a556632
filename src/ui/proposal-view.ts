import type { ExecuteProposalResult } from "../core/proposals/execute-proposal.js";
import type { ProposalRecord } from "../core/proposals/proposal-record.js";
import type { SignProposalResult } from "../core/proposals/sign-proposal.js";
import { formatGas, formatTime, paint } from "./format.js";

/** A drafted proposal: what it does, the hashes to compare, and the next command to run. */
export function proposalView(proposal: ProposalRecord, color: boolean): string {
  const phase = proposal.phases.find((p) => p.executed === null);
  const lines = [
    `${paint(color, "bold", proposal.id)}  ${proposal.description}`,
    `  Safe       ${proposal.safe.role} ${proposal.safe.address}`,
    ...proposal.actions.map(
      (a) => `  call       ${a.contract}.${a.method.split("(")[0]}(${a.args.join(", ")}) at ${a.target}`,
    ),
  ];
  if (proposal.timelock !== undefined) {
    lines.push(`  timelock   operation ${proposal.timelock.id}, delay ${proposal.timelock.operation.delay}s`);
  }
  if (proposal.implementation !== undefined) {
    const impl = proposal.implementation;
    lines.push(`  code       ${impl.from} -> ${impl.to} (${impl.contract})`);
    if (impl.retainedOnRollback.length > 0) {
      const storage = impl.retainedOnRollback.join(", ");
      lines.push(
        proposal.kind === "upgrade"
          ? `  storage    added by ${impl.contract}, keeps its values if the proxy later returns to ${impl.from}: ${storage}`
          : `  storage    added by the code being replaced, left untouched (and unread) by ${impl.contract}: ${storage}`,
      );
    }
    if (impl.clearsRollbackTarget)
      lines.push("  rollback   cleared in the same operation: the guardian cannot return to the old code");
  }
  if (phase?.safeTx != null && phase.hashes !== null) {
    lines.push(
      `  ${phase.name} phase, Safe nonce ${phase.safeTx.nonce}:`,
      `    domain hash   ${phase.hashes.domainHash}`,
      `    message hash  ${phase.hashes.messageHash}`,
      `    safeTxHash    ${phase.hashes.safeTxHash}`,
    );
  }
  lines.push(
    paint(
      color,
      "dim",
      `Next: npx hardhat release review ${proposal.id}, then release sign ${proposal.id} --signer <owner>`,
    ),
  );
  return lines.join("\n");
}

export function signView(result: SignProposalResult, color: boolean): string {
  const ready = result.signatures >= result.threshold;
  return [
    `${paint(color, "green", "✓")} ${result.signer} signed the ${result.phase} phase of ${result.proposal.id} (safeTxHash ${result.safeTxHash})`,
    `  signatures ${result.signatures} of ${result.threshold}${ready ? `: ready, run npx hardhat release execute ${result.proposal.id}` : ""}`,
  ].join("\n");
}

export function executeView(result: ExecuteProposalResult, color: boolean): string {
  const lines = [
    result.followed
      ? `${paint(color, "green", "✓")} ${result.proposal.id}: the ${result.phase} phase was already executed on chain in ${result.txHash}; the records now say so`
      : `${paint(color, "green", "✓")} ${result.proposal.id}: ${result.phase} phase executed in ${result.txHash}, gas ${formatGas(result.gasUsed ?? undefined)}`,
  ];
  if (result.eta !== null) {
    const next = result.proposal.phases[1];
    lines.push(
      `  scheduled: ready at ${formatTime(result.eta)}`,
      `  the execute phase needs signatures of its own (Safe nonce ${next?.safeTx?.nonce}, safeTxHash ${next?.hashes?.safeTxHash})`,
    );
  } else {
    lines.push(`  ${result.proposal.kind} done; \`npx hardhat release status\` shows the result`);
  }
  return lines.join("\n");
}
