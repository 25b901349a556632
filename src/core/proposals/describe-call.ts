import { Interface } from "ethers";

import type { Address, Hex } from "../records/stack-record.js";
import type { ProposalAction } from "./proposal-record.js";

/** Decodes `data` with `abi` into a readable action; raw selector and data when the ABI lacks it. */
export function describeCall(
  target: Address,
  contract: string,
  abi: readonly unknown[],
  data: Hex,
  value = "0",
): ProposalAction {
  try {
    const parsed = new Interface(abi as never).parseTransaction({ data, value });
    if (parsed !== null) {
      return { target, contract, method: parsed.signature, args: parsed.args.map((a) => String(a)), value };
    }
  } catch {
    // fall through: undecodable calls are shown raw, and review flags unknown ones
  }
  return { target, contract, method: data.slice(0, 10), args: [data], value };
}
