import { Contract, Interface } from "ethers";

import { ERRORS, ReleaseError } from "../../errors.js";
import { parseAddressOption } from "../../parse-address.js";
import type { ProposalRecord } from "../proposal-record.js";
import { loadSafeArtifact } from "../../safe/safe-artifacts.js";
import type { Address, Hex } from "../../types.js";
import type { ProposalKindModule, SafeRole } from "./kind.js";
import { call, DESCRIPTION_OPTION, optional, required } from "./shared.js";

const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;
const SAFE = new Interface(SAFE_ABI as never);
const SENTINEL = "0x0000000000000000000000000000000000000001" as Address;
const TASK = "release propose signers";

/** What a rotation changes, as the proposal file records it (readable fields, checked by review). */
interface Rotation {
  safe: SafeRole;
  /** The owners in the Safe's own (linked-list) order when drafted: prevOwner arguments follow it. */
  ownersBefore: Address[];
  thresholdBefore: number;
  swap: Array<[Address, Address]>;
  remove: Address[];
  add: Address[];
  threshold: number;
}

/**
 * Rotates a Safe's signers: swap, remove or add owners and set the threshold, in one transaction
 * of that Safe to itself (only the Safe may change its owners; several changes go through
 * MultiSendCallOnly). A change of power its kind declares: review shows each change plainly and
 * sign and execute ask for its acknowledgement (RF-018); a lower threshold is a warning of its own
 * (RF-022).
 *
 * JSON-RPC: eth_call (getOwners, getThreshold).
 */
export const signers: ProposalKindModule = {
  name: "signers",
  summary:
    "Draft a rotation of a Safe's signers (swap, add or remove owners, change the threshold): a transaction of that Safe to itself",
  safes: ["owners", "guardian"],
  viaTimelock: false,
  emergency: false,
  options: [
    { name: "safe", description: 'Whose signers change: "owners" or "guardian"', type: "string", required: true },
    { name: "swap", description: "Replace owners, as old:new pairs, comma-separated", type: "string" },
    { name: "remove", description: "Owners to remove, comma-separated", type: "string" },
    { name: "add", description: "Owners to add, comma-separated", type: "string" },
    {
      name: "threshold",
      description: "The new threshold (default: the current one, lowered if owners are removed)",
      type: "string",
    },
    DESCRIPTION_OPTION,
  ],

  async draft({ ctx, stack, options }) {
    const role = required(options, "safe");
    if (role !== "owners" && role !== "guardian") {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--safe",
        value: JSON.stringify(role),
        reason: 'expected "owners" or "guardian"',
        task: TASK,
      });
    }
    const address = stack.safes[role].address;
    const safe = new Contract(address, SAFE_ABI as never, ctx.provider);
    const [owners, threshold] = (await Promise.all([safe.getOwners!(), safe.getThreshold!()])) as [string[], bigint];
    const rotation = planRotation(
      role,
      owners.map((o) => parseAddressOption("owner", o, TASK)),
      Number(threshold),
      options,
    );
    const calls = rotationCalls(rotation).map((data) => call(address, "Safe", SAFE_ABI, data));
    const changes = [
      ...rotation.swap.map(([a, b]) => `swap ${a} for ${b}`),
      ...rotation.remove.map((o) => `remove ${o}`),
      ...rotation.add.map((o) => `add ${o}`),
      ...(rotation.threshold === rotation.thresholdBefore
        ? []
        : [`threshold ${rotation.thresholdBefore} -> ${rotation.threshold}`]),
    ];
    return {
      subject: `${role}-safe`,
      description: optional(options, "description") ?? `Rotate the ${role} Safe's signers: ${changes.join(", ")}`,
      role,
      calls,
      extra: { params: { ...rotation } },
    };
  },

  calls(proposal, stack) {
    const rotation = readRotation(proposal);
    if (typeof rotation === "string") return rotation;
    if (rotation.safe !== proposal.safe.role) return "it rotates another Safe than the one that runs it";
    const address = stack.safes[rotation.safe].address;
    return rotationCalls(rotation).map((data) => ({ to: address, data }));
  },

  powerChanges(proposal, stack) {
    const rotation = readRotation(proposal);
    if (typeof rotation === "string") return [];
    const to = stack.safes[rotation.safe].address;
    return rotationCalls(rotation).map((data) => ({ method: SAFE.parseTransaction({ data })!.name, to }));
  },

  async redFlags(proposal) {
    const rotation = readRotation(proposal);
    if (typeof rotation === "string" || rotation.threshold >= rotation.thresholdBefore) return [];
    return [
      {
        code: "RF-022",
        severity: "warning",
        scope: "proposal",
        message: `It lowers the ${rotation.safe} Safe's threshold from ${rotation.thresholdBefore} to ${rotation.threshold}: fewer keys can act for it.`,
      },
    ];
  },

  apply(proposal, stack) {
    const rotation = readRotation(proposal);
    if (typeof rotation === "string") return;
    const after = ownersAfter(rotation);
    for (const role of ["owners", "guardian"] as const) {
      if (stack.safes[role].address !== stack.safes[rotation.safe].address) continue;
      stack.safes[role].owners = after;
      stack.safes[role].threshold = rotation.threshold;
    }
  },
};

function planRotation(
  role: SafeRole,
  ownersBefore: Address[],
  thresholdBefore: number,
  options: Record<string, unknown>,
): Rotation {
  const list = (name: string) =>
    (optional(options as never, name) ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== "");
  const address = (name: string, value: string) => parseAddressOption(`--${name}`, value, TASK);
  const swap = list("swap").map((pair): [Address, Address] => {
    const [old, next] = pair.split(":");
    if (old === undefined || next === undefined) {
      throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
        option: "--swap",
        value: JSON.stringify(pair),
        reason: "expected old:new",
        task: TASK,
      });
    }
    return [address("swap", old), address("swap", next)];
  });
  const remove = list("remove").map((a) => address("remove", a));
  const add = list("add").map((a) => address("add", a));
  const invalid = (reason: string) =>
    new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--swap/--remove/--add",
      value: "the given owners",
      reason,
      task: TASK,
    });
  const current = new Set(ownersBefore);
  for (const o of [...swap.map(([old]) => old), ...remove])
    if (!current.has(o)) throw invalid(`${o} is not an owner of the ${role} Safe`);
  for (const o of [...swap.map(([, next]) => next), ...add])
    if (current.has(o)) throw invalid(`${o} is an owner of the ${role} Safe already`);
  const touched = [...swap.flat(), ...remove, ...add];
  if (new Set(touched).size !== touched.length) throw invalid("an address appears twice");
  const count = ownersBefore.length - remove.length + add.length;
  const thresholdText = optional(options as never, "threshold");
  const threshold = thresholdText === undefined ? Math.min(thresholdBefore, count) : Number(thresholdText);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > count) {
    throw new ReleaseError(ERRORS.CONFIG.INVALID_OPTION, {
      option: "--threshold",
      value: String(thresholdText ?? threshold),
      reason: `expected a whole number from 1 to ${count} (the owners after the rotation)`,
      task: TASK,
    });
  }
  if (touched.length === 0 && threshold === thresholdBefore)
    throw invalid("nothing would change: give --swap, --remove, --add or --threshold");
  return { safe: role, ownersBefore, thresholdBefore, swap, remove, add, threshold };
}

/**
 * The Safe's own calls, in order, with prevOwner arguments from its linked list as it changes:
 * swaps, then removals (lowering the threshold only as far as the shrinking list requires), then
 * additions, then the final threshold.
 */
function rotationCalls(rotation: Rotation): Hex[] {
  const owners = [...rotation.ownersBefore];
  const prev = (owner: Address) => {
    const i = owners.indexOf(owner);
    return i <= 0 ? SENTINEL : owners[i - 1]!;
  };
  let threshold = rotation.thresholdBefore;
  const calls: Hex[] = [];
  for (const [old, next] of rotation.swap) {
    calls.push(SAFE.encodeFunctionData("swapOwner", [prev(old), old, next]) as Hex);
    owners[owners.indexOf(old)] = next;
  }
  for (const owner of rotation.remove) {
    threshold = Math.min(threshold, owners.length - 1);
    calls.push(SAFE.encodeFunctionData("removeOwner", [prev(owner), owner, threshold]) as Hex);
    owners.splice(owners.indexOf(owner), 1);
  }
  for (const owner of rotation.add) {
    calls.push(SAFE.encodeFunctionData("addOwnerWithThreshold", [owner, threshold]) as Hex);
    owners.unshift(owner);
  }
  if (threshold !== rotation.threshold)
    calls.push(SAFE.encodeFunctionData("changeThreshold", [rotation.threshold]) as Hex);
  return calls;
}

function ownersAfter(rotation: Rotation): Address[] {
  const owners = new Set(rotation.ownersBefore);
  for (const [old, next] of rotation.swap) {
    owners.delete(old);
    owners.add(next);
  }
  for (const o of rotation.remove) owners.delete(o);
  for (const o of rotation.add) owners.add(o);
  return [...owners];
}

/** The rotation in a proposal file, type-checked (the file is input like any other). */
function readRotation(proposal: ProposalRecord): Rotation | string {
  const p = proposal.params as Partial<Rotation> | undefined;
  const isAddress = (a: unknown) => typeof a === "string" && /^0x[0-9a-fA-F]{40}$/.test(a);
  if (
    p === undefined ||
    (p.safe !== "owners" && p.safe !== "guardian") ||
    !Array.isArray(p.ownersBefore) ||
    !p.ownersBefore.every(isAddress) ||
    !Array.isArray(p.remove) ||
    !p.remove.every(isAddress) ||
    !Array.isArray(p.add) ||
    !p.add.every(isAddress) ||
    !Array.isArray(p.swap) ||
    !p.swap.every((s) => Array.isArray(s) && s.length === 2 && s.every(isAddress)) ||
    !Number.isInteger(p.threshold) ||
    !Number.isInteger(p.thresholdBefore)
  ) {
    return "its rotation parameters are missing or malformed";
  }
  return p as Rotation;
}
