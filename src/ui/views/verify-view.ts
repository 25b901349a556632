import type { CodeCheckRow } from "../../core/verify/check-contracts-code.js";
import type { CheckStackCodeResult } from "../../core/verify/check-stack-code.js";
import type { VerifyStackResult } from "../../core/verify/verify-stack.js";
import { paint, table } from "../format.js";
import type { View } from "../output.js";

export const VERIFY_OUTCOMES: Record<VerifyStackResult["rows"][number]["outcome"], string> = {
  verified: "verified",
  "already-verified": "already verified",
  "previously-verified": "verified (earlier run)",
  "not-indexed": "not indexed yet",
  failed: "FAILED",
};

const CODE_MATCHES: Record<CodeCheckRow["status"], string> = {
  exact: "exact",
  "metadata-differs": "matches except metadata",
  mismatch: "MISMATCH",
  "no-code": "NO CODE",
};

function codeOk(row: CodeCheckRow): boolean {
  return row.status === "exact" || row.status === "metadata-differs";
}

/** `release verify`: one row per contract and explorer, and what is left to retry. */
export const verifyView: View<VerifyStackResult> = {
  ok: (result) => result.ok,
  text(result, ctx) {
    const { color } = ctx;
    const lines = [
      "",
      `Network ${result.network} (chainId ${result.chainId}), explorers: ${result.explorers.join(", ")}`,
      table(
        ["contract", "address", "explorer", "status", "url"],
        result.rows.map((r) => [r.subject, r.address, r.explorer, VERIFY_OUTCOMES[r.outcome], r.url]),
      ),
    ];
    const safes = result.code.filter((c) => c.kind === "safe-contract" || c.kind === "safe");
    if (safes.length > 0) {
      const bad = safes.filter((c) => !codeOk(c));
      lines.push(
        bad.length === 0
          ? `\n${safes.length} Safe contracts have their canonical Safe v1.4.1 code (checked locally, not submitted).`
          : paint(
              color,
              "red",
              `\n${bad.length} Safe contract(s) do not have the canonical code: ${bad.map((c) => `${c.subject} ${c.address}`).join(", ")}`,
            ),
      );
    }
    const failed = result.rows.filter(
      (r) => !["verified", "already-verified", "previously-verified"].includes(r.outcome),
    );
    if (result.ok) {
      lines.push(paint(color, "green", "Everything is verified."));
    } else if (failed.length > 0) {
      lines.push(
        paint(
          color,
          "red",
          `${failed.length} verification(s) not done; retry them with ${ctx.command("release verify")}:`,
        ),
      );
      for (const r of failed)
        lines.push(`  - ${r.subject} on ${r.explorer}: ${r.message ?? VERIFY_OUTCOMES[r.outcome]}`);
    }
    return lines.join("\n");
  },
};

/** `release verify --local`: the local bytecode match of every recorded address. */
export const codeCheckView: View<CheckStackCodeResult> = {
  ok: (result) => result.ok,
  text(result, { color }) {
    const bad = result.rows.filter((r) => !codeOk(r));
    return [
      "",
      `Network ${result.network} (chainId ${result.chainId}): on-chain code against the compiled artifacts`,
      table(
        ["contract", "address", "compiled", "match"],
        result.rows.map((r) => [
          r.subject,
          r.address,
          r.contract,
          `${CODE_MATCHES[r.status]}${r.immutables > 0 ? ` (${r.immutables} immutable slot(s) from chain)` : ""}${r.detail === undefined ? "" : `: ${r.detail}`}`,
        ]),
      ),
      bad.length === 0
        ? paint(color, "green", "\nEvery recorded address holds its compiled code.")
        : paint(color, "red", `\n${bad.length} address(es) do not hold their compiled code: do not trust them.`),
    ].join("\n");
  },
};
