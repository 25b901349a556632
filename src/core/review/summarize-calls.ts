import type { DecodedCall } from "./decode-calls.js";

/** `Vault.grantRole(0x…, 0x…)` for one decoded call, naming the target as the stack knows it. */
export function callLine(call: DecodedCall): string {
  const target = call.toName ?? call.to;
  const method = call.method?.split("(")[0] ?? call.selector ?? "(no data)";
  return `${target}.${method}(${call.args.map((a) => a.value).join(", ")})`;
}

/**
 * What a Safe transaction does, in one line per effect, from its decoded calls alone: the headline
 * of a review. A proposal's own description is the proposer's claim; this is what the bytes say.
 */
export function summarizeCalls(call: DecodedCall): string[] {
  if (call.timelock !== undefined) {
    if (call.timelock.action === "cancel") return [`cancel timelock operation ${call.timelock.id}`];
    const delay = call.timelock.operation?.delay;
    const how =
      call.timelock.action === "schedule"
        ? `schedule on the timelock (delay ${delay ?? "?"}s)`
        : "execute on the timelock";
    return call.inner.flatMap(summarizeCalls).map((line) => `${how}: ${line}`);
  }
  if (call.toName === "MultiSendCallOnly" && call.inner.length > 0) return call.inner.flatMap(summarizeCalls);
  const value = call.value === "0" ? "" : ` sending ${call.value} wei`;
  if (call.upgrade !== undefined) {
    const code = call.upgrade.contract ?? "code not compiled here";
    const init = call.inner[0];
    return [
      `${call.toName ?? call.to}: switch to ${code} at ${call.upgrade.implementation}${init === undefined ? "" : `, then run ${callLine(init).replace(/^[^.]*\./, "")}`}${value}`,
    ];
  }
  return [`${callLine(call)}${value}`];
}
