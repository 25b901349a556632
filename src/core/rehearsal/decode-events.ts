import { Interface, type Log } from "ethers";

import type { ArtifactSource } from "../governance/artifacts.js";
import { TIMELOCK_ABI } from "../proposals/timelock-operation.js";
import type { StackRecord } from "../records/stack-record.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";

/** Names logs by the ABIs of the stack's contracts: Safe, timelock, and each proxy's code. */
export async function eventDecoder(
  artifacts: ArtifactSource,
  stack: StackRecord,
): Promise<(logs: readonly Log[]) => string[]> {
  const contracts = new Set(Object.values(stack.proxies).flatMap((p) => p.history.map((h) => h.contract)));
  const abis: Array<[string, Interface]> = [
    ["Safe", new Interface(loadSafeArtifact("safeSingletonL2Address").abi as never)],
    ["Timelock", new Interface(((await artifacts.read(stack.timelock.contract))?.abi as never) ?? TIMELOCK_ABI)],
  ];
  for (const name of contracts) {
    const artifact = await artifacts.read(name);
    if (artifact !== undefined) abis.push([name, new Interface(artifact.abi as never)]);
  }
  return (logs) =>
    logs.map((log) => {
      for (const [name, iface] of abis) {
        try {
          const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
          if (parsed !== null) return `${name}.${parsed.name}(${parsed.args.map((a) => brief(String(a))).join(", ")})`;
        } catch {
          // not this ABI
        }
      }
      return `${log.address} ${log.topics[0] ?? ""} (undecoded)`;
    });
}

/** Long byte strings (calldata, packed signatures) shortened for a readable report. */
function brief(value: string): string {
  return value.length > 66 && value.startsWith("0x")
    ? `${value.slice(0, 10)}…(${(value.length - 2) / 2} bytes)`
    : value;
}
