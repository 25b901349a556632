import { Contract } from "ethers";

import { GOVERNED_ABI } from "../governance/roles.js";
import type { ProposalContext } from "../proposals/proposal-context.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import type { Alert } from "./alert.js";

export interface PrepareResponseParameters {
  ctx: ProposalContext;
  alert: Alert;
  /** Drafts a proposal as `release propose <kind>` does. */
  propose: (kind: string, options: Record<string, string>) => Promise<ProposalRecord>;
}

/**
 * The guardian's answer to a critical alert, drafted and never signed: a cancel of a timelock
 * operation no proposal explains, a pause of a proxy something unexplained happened to. Nothing
 * is drafted twice (an open proposal already answering it is enough) or needlessly (a paused
 * proxy). Returns what was drafted and how to finish it, or null.
 *
 * JSON-RPC: eth_call (paused) for a pause; those of `release propose` when drafting.
 */
export async function prepareResponse({ ctx, alert, propose }: PrepareResponseParameters): Promise<string | null> {
  const open = (await ctx.records.listProposals()).filter((p) => p.status === "drafted" || p.status === "scheduled");
  const command = (...words: string[]) => `npx hardhat ${words.join(" ")} --network ${ctx.network}`;
  const finish = (p: ProposalRecord) =>
    `drafted ${p.id} (${p.description}): review it (${command("release review", p.id)}), then a guardian owner signs (${command("release sign", p.id, "--signer", "<guardian owner>")}) and anyone executes (${command("release execute", p.id, "--urgent")})`;
  const operation = alert.subject?.operation;
  if (operation !== undefined) {
    if (open.some((p) => p.cancels?.operationId.toLowerCase() === operation.toLowerCase())) return null;
    return finish(await propose("cancel", { target: operation }));
  }
  const proxy = alert.subject?.proxy;
  if (proxy !== undefined) {
    if (open.some((p) => p.kind === "pause" && p.proxy?.name === proxy)) return null;
    const stack = await ctx.records.readStack();
    const address = stack?.proxies[proxy]?.address;
    if (address === undefined) return null;
    if ((await new Contract(address, GOVERNED_ABI, ctx.provider).paused!()) === true) return null;
    return finish(await propose("pause", { proxy }));
  }
  return null;
}
