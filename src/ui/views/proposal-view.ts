import type { ExecuteProposalResult } from "../../core/proposals/execute-proposal.js";
import type { ProposalRecord } from "../../core/proposals/proposal-record.js";
import type { SignProposalResult } from "../../core/proposals/sign-proposal.js";
import { formatGas, formatTime, paint } from "../format.js";
import type { View } from "../output.js";

/** A drafted proposal: what it does, the hashes to compare, and the next command to run. */
export const proposalView: View<ProposalRecord> = {
  text(proposal, ctx) {
    const { color } = ctx;
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
        `Next: ${ctx.command("release review", proposal.id)}, then each signer: ${ctx.command("release sign", proposal.id, "--signer", "<owner address>")}`,
      ),
    );
    return lines.join("\n");
  },
};

/** A signature added, the count against the threshold, and when the phase can run. */
export const signView: View<SignProposalResult> = {
  text(result, ctx) {
    const { color } = ctx;
    const enough = result.signatures >= result.threshold;
    const waiting = result.eta !== null && result.eta > result.now;
    const next = !enough
      ? `another owner signs: ${ctx.command("release sign", result.proposal.id, "--signer", "<owner address>")}`
      : waiting
        ? `the timelock allows it from ${formatTime(result.eta)}; then ${ctx.command("release execute", result.proposal.id)}`
        : ctx.command("release execute", result.proposal.id);
    return [
      `${paint(color, "green", "✓")} ${result.signer} signed the ${result.phase} phase of ${result.proposal.id} (safeTxHash ${result.safeTxHash})`,
      `  signatures ${result.signatures} of ${result.threshold}${enough ? (waiting ? ": enough, but not ready yet" : ": ready") : ""}`,
      ...(result.acknowledged.length > 0 ? [`  acknowledged: ${result.acknowledged.join(", ")}`] : []),
      paint(color, "dim", `Next: ${next}`),
    ].join("\n");
  },
};

/** A phase executed (or found executed), and what comes next. */
export const executeView: View<ExecuteProposalResult> = {
  text(result, ctx) {
    const { color } = ctx;
    const id = result.proposal.id;
    const lines = [
      result.followed
        ? `${paint(color, "green", "✓")} ${id}: the ${result.phase} phase was already executed on chain in ${result.txHash}; the records now say so`
        : `${paint(color, "green", "✓")} ${id}: ${result.phase} phase executed in ${result.txHash}, gas ${formatGas(result.gasUsed ?? undefined)}`,
    ];
    if (result.acknowledged.length > 0)
      lines.push(`  acknowledged: ${result.acknowledged.map((a) => a.code).join(", ")}`);
    if (result.proposal.status === "scheduled") {
      const next = result.proposal.phases[1];
      lines.push(
        `  scheduled: ready at ${formatTime(result.eta)}`,
        `  the execute phase needs signatures of its own (Safe nonce ${next?.safeTx?.nonce}, safeTxHash ${next?.hashes?.safeTxHash})`,
        paint(
          color,
          "dim",
          `Next: ${ctx.command("release review", id)}, then ${ctx.command("release sign", id, "--signer", "<owner address>")}`,
        ),
      );
    } else {
      lines.push(paint(color, "dim", `  ${result.proposal.kind} done. Next: ${ctx.command("release status")}`));
    }
    return lines.join("\n");
  },
};
