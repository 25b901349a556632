import { Contract, Interface } from "ethers";

import { ERRORS, ReleaseError } from "../../errors.js";
import type { Hex } from "../../types.js";
import { TIMELOCK_ABI } from "../timelock-operation.js";
import type { ProposalKindModule } from "./kind.js";
import { call, DESCRIPTION_OPTION, optional, required } from "./shared.js";

const UPDATE_DELAY = new Interface(["function updateDelay(uint256 newDelay)"]);

/**
 * Changes the timelock's minimum delay, through the timelock itself (only the timelock may call
 * updateDelay). A change of power its kind declares: review shows it plainly and sign and execute
 * ask for its acknowledgement (RF-018); a lower delay is a warning of its own (RF-021), no delay
 * at all a danger.
 */
export const delay: ProposalKindModule = {
  name: "delay",
  summary: "Draft a change of the timelock's minimum delay, through the timelock itself (owners Safe)",
  safes: ["owners"],
  viaTimelock: true,
  emergency: false,
  options: [
    {
      name: "delay",
      description: 'The new minimum delay: seconds, or with a unit, e.g. "7200", "90m", "2h", "2d"',
      type: "string",
      required: true,
    },
    DESCRIPTION_OPTION,
  ],

  validate: (options) => void parseDuration(required(options, "delay")),

  async draft({ ctx, stack, options }) {
    const seconds = parseDuration(required(options, "delay"));
    const timelock = new Contract(stack.timelock.address, TIMELOCK_ABI, ctx.provider);
    const current = Number((await timelock.getMinDelay!()) as bigint);
    if (seconds === current) {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--delay",
        value: String(seconds),
        reason: "it is the timelock's delay already",
        task: "release propose delay",
      });
    }
    return {
      subject: `${seconds}s`,
      description:
        optional(options, "description") ?? `Change the timelock's minimum delay from ${current}s to ${seconds}s`,
      role: "owners",
      calls: [call(stack.timelock.address, stack.timelock.contract, TIMELOCK_ABI, encodeDelay(seconds))],
      extra: { params: { delay: seconds, previous: current } },
    };
  },

  calls(proposal, stack) {
    const seconds = proposal.params?.delay;
    if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds < 0) return "it names no valid delay";
    return [{ to: stack.timelock.address, data: encodeDelay(seconds) }];
  },

  powerChanges: (_proposal, stack) => [{ method: "updateDelay", to: stack.timelock.address }],

  async redFlags(proposal, stack, provider) {
    const seconds = proposal.params?.delay as number;
    const current = Number(
      (await new Contract(stack.timelock.address, TIMELOCK_ABI, provider).getMinDelay!()) as bigint,
    );
    if (seconds === 0) {
      return [
        {
          code: "RF-021",
          severity: "danger",
          scope: "proposal",
          message:
            "It removes the timelock delay altogether: upgrades would run with no time for the guardian to cancel.",
        },
      ];
    }
    if (seconds < current) {
      return [
        {
          code: "RF-021",
          severity: "warning",
          scope: "proposal",
          message: `It lowers the timelock delay from ${current}s to ${seconds}s: the guardian gets less time to see and cancel an operation.`,
        },
      ];
    }
    return [];
  },

  apply(proposal, stack) {
    stack.timelock.minDelay = proposal.params!.delay as number;
  },
};

function encodeDelay(seconds: number): Hex {
  return UPDATE_DELAY.encodeFunctionData("updateDelay", [seconds]) as Hex;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "7200", "90m", "2h", "2d" to seconds; RS1010 for anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(text.trim());
  if (match === null) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--delay",
      value: JSON.stringify(text),
      reason: 'expected seconds, or a number with s, m, h or d, e.g. "2h"',
      task: "release propose delay",
    });
  }
  const seconds = Number(match[1]) * UNITS[(match[2] || "s").toLowerCase()]!;
  if (!Number.isSafeInteger(seconds)) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--delay",
      value: text,
      reason: "it is too large",
      task: "release propose delay",
    });
  }
  return seconds;
}
