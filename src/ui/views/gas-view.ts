import { formatEther, formatUnits } from "ethers";

import type { TransactionCostEstimate } from "../../core/gas/estimate-transaction-cost.js";
import type { RpcHealthResult } from "../../core/rpc/check-rpc-health.js";
import { formatGas, paint, table } from "../format.js";
import type { View } from "../output.js";

export const gwei = (wei: bigint): string => `${formatUnits(wei, "gwei")} gwei`;

const VERDICTS: Record<TransactionCostEstimate["policy"]["verdict"], string> = {
  ok: "within the fee cap",
  capped: "max fee lowered to the cap",
  refused: "REFUSED: the chain is congested (wait, or pass --max-fee)",
  urgent: "urgent: no fee cap applied",
};

/** The one line printed before a transaction is sent: its gas limit, fees and worst-case cost. */
export function txFeesLine(estimate: TransactionCostEstimate): string {
  const { fees } = estimate;
  const price =
    fees.type === "eip1559"
      ? `max fee ${gwei(fees.maxFeePerGas)} (tip ${gwei(fees.maxPriorityFeePerGas)})`
      : `gas price ${gwei(fees.gasPrice)}`;
  const via = estimate.endpoint === null ? "" : ` via ${estimate.endpoint}`;
  const policy = estimate.policy.verdict === "ok" ? "" : ` (${VERDICTS[estimate.policy.verdict]})`;
  return `gas limit ${formatGas(estimate.gasLimit)}, ${price}, up to ${formatEther(estimate.maxCost)} ETH${via}${policy}`;
}

/** `release gas`: the estimate as a table. */
export const gasEstimateView: View<TransactionCostEstimate & { network: string }> = {
  text(estimate, { color }) {
    const { fees, network } = estimate;
    const rows: string[][] = [
      ["gas estimate", formatGas(estimate.gasEstimate)],
      ["gas limit", `${formatGas(estimate.gasLimit)} (estimate + buffer)`],
      ...(fees.type === "eip1559"
        ? [
            ["next base fee", gwei(fees.nextBaseFee)],
            ["priority fee (tip)", gwei(fees.maxPriorityFeePerGas)],
            ["max fee per gas", gwei(fees.maxFeePerGas)],
          ]
        : [["gas price", gwei(fees.gasPrice)]]),
      ...(estimate.l1DataFee === null ? [] : [["L1 data fee", `${formatEther(estimate.l1DataFee)} ETH`]]),
      ["expected cost", `${formatEther(estimate.expectedCost)} ETH`],
      ["maximum cost", `${formatEther(estimate.maxCost)} ETH`],
      ["fee cap", estimate.policy.cap === null ? "none" : gwei(estimate.policy.cap)],
      ["policy", VERDICTS[estimate.policy.verdict]],
      ["answered by", estimate.endpoint ?? "the network's url"],
      ["JSON-RPC requests", String(estimate.requests)],
    ];
    const verdict =
      estimate.policy.verdict === "refused" ? paint(color, "red", "refused") : paint(color, "green", "ok");
    return `\nGas estimate on ${network} (${verdict})\n${table(["", "value"], rows)}`;
  },
};

/** `release rpc-health`: one row per endpoint. */
export const rpcHealthView: View<RpcHealthResult> = {
  ok: (health) => health.ok,
  text(health, { color }) {
    const rows = health.endpoints.map((e) => [
      `#${e.index + 1}`,
      e.url,
      e.state === "ok" ? paint(color, "green", e.state) : paint(color, "red", e.state),
      e.chainId === null ? "-" : String(e.chainId),
      e.head === null ? "-" : e.head.toString(),
      e.lag === null ? "-" : String(e.lag),
      `${e.latencyMs} ms`,
      e.detail ?? "",
    ]);
    const summary = health.ok
      ? `${health.healthy} of ${health.endpoints.length} endpoint(s) healthy.`
      : paint(color, "red", "No healthy endpoint: every request on this network would fail (RS5002).");
    return [
      `\nRPC endpoints of ${health.network} (chainId ${health.chainId ?? "unknown: endpoints disagree"})`,
      table(["", "url", "state", "chainId", "head", "lag", "latency", "detail"], rows),
      summary,
    ].join("\n");
  },
};
