import { getAddress, Interface, type ParamType, type Result } from "ethers";

import type { TimelockOperation } from "../proposals/timelock-operation.js";
import { timelockOperationId } from "../proposals/timelock-operation.js";
import type { Address, Hex } from "../records/stack-record.js";
import { decodeMultiSend } from "../safe/multi-send.js";

/** What an address is in the stack; anything not listed is an unknown target. */
export interface KnownContract {
  /** For people: "Vault", "timelock", "owners Safe", "MultiSendCallOnly". */
  name: string;
  role: "proxy" | "timelock" | "safe" | "multisend";
  /** The artifact whose ABI decodes calls to it ("VaultV1", "TimelockController", "Safe"). */
  contract: string;
  abi: readonly unknown[];
}

/** A compiled implementation, to decode the `data` of `upgradeToAndCall(newImplementation, data)`. */
export interface KnownImplementation {
  contract: string;
  abi: readonly unknown[];
}

export interface DecodedArg {
  name: string;
  type: string;
  /** Addresses checksummed, integers in decimal, bytes as hex, arrays and tuples as JSON. */
  value: string;
}

/**
 * How a call is made: by the Safe itself, by MultiSendCallOnly on the Safe's behalf, by the
 * timelock (now for execute, later for schedule), or by the proxy delegating to its new
 * implementation inside `upgradeToAndCall`.
 */
export type CallVia = "safe" | "multisend" | "timelock" | "upgrade-init";

export interface DecodedCall {
  via: CallVia;
  to: Address;
  /** Name of the target from the stack records; null when the address is unknown. */
  toName: string | null;
  value: string;
  /** 0 = CALL, 1 = DELEGATECALL. */
  operation: number;
  data: Hex;
  /** The ABI the call was decoded with; null when nothing could decode it. */
  contract: string | null;
  /** `name(type,...)`; null for a plain value transfer or undecodable data. */
  method: string | null;
  /** The first four bytes of `data` (or null when there are none), so undecoded calls stay visible. */
  selector: Hex | null;
  args: DecodedArg[];
  /** The layer below: multisend calls, timelock operation calls, the upgrade's initializer call. */
  inner: DecodedCall[];
  /** Set on timelock schedule/execute/cancel calls, with the id recomputed from the decoded arguments. */
  timelock?: { action: "schedule" | "execute" | "cancel"; id: Hex; operation?: TimelockOperation };
  /** Set on `upgradeToAndCall`: the implementation it switches to, and its contract when compiled here. */
  upgrade?: { implementation: Address; contract: string | null };
}

export interface DecodeCallsParameters {
  to: Address;
  value: string;
  data: Hex;
  operation: number;
  /** Keyed by checksummed address. */
  known: Record<string, KnownContract>;
  /** Keyed by checksummed implementation address. */
  implementations: Record<string, KnownImplementation>;
  /** Who makes the outermost call: the Safe (a Safe transaction) unless told otherwise. */
  via?: CallVia;
}

/** Deeper than any honest proposal nests (Safe -> multisend -> timelock -> proxy -> initializer). */
const MAX_DEPTH = 8;

/**
 * Decodes a Safe transaction through every layer: Safe -> MultiSendCallOnly -> timelock
 * schedule/scheduleBatch/execute/executeBatch/cancel -> proxy function -> the initializer that
 * `upgradeToAndCall` runs, naming each target from the stack records and decoding with the
 * project's ABIs. Pure: the same bytes always give the same tree, whatever a proposal file claims.
 *
 * JSON-RPC: none.
 */
export function decodeCalls(params: DecodeCallsParameters): DecodedCall {
  return decodeOne(params, params.via ?? "safe", params.to, params.value, params.data, params.operation, 0);
}

function decodeOne(
  ctx: DecodeCallsParameters,
  via: CallVia,
  rawTo: string,
  value: string,
  data: Hex,
  operation: number,
  depth: number,
): DecodedCall {
  const to = getAddress(rawTo) as Address;
  const known = ctx.known[to];
  const call: DecodedCall = {
    via,
    to,
    toName: known?.name ?? null,
    value,
    operation,
    data,
    contract: null,
    method: null,
    selector: data.length >= 10 ? (data.slice(0, 10).toLowerCase() as Hex) : null,
    args: [],
    inner: [],
  };
  if (known === undefined || call.selector === null || depth >= MAX_DEPTH) return call;

  if (known.role === "multisend") {
    const calls = decodeMultiSend(data);
    if (calls === undefined) return call;
    call.contract = known.contract;
    call.method = "multiSend(bytes)";
    call.args = [{ name: "transactions", type: "bytes", value: `${calls.length} packed call(s)` }];
    call.inner = calls.map((c) => decodeOne(ctx, "multisend", c.to, c.value, c.data, c.operation, depth + 1));
    return call;
  }

  const parsed = parse(known.abi, data, value);
  if (parsed === null) return call;
  call.contract = known.contract;
  call.method = parsed.signature;
  call.args = formatArgs(parsed.fragment.inputs, parsed.args);

  if (known.role === "timelock") decodeTimelock(ctx, call, parsed.name, parsed.args, depth);
  if (known.role === "proxy" && parsed.name === "upgradeToAndCall") {
    const implementation = getAddress(parsed.args[0] as string) as Address;
    const initData = parsed.args[1] as Hex;
    const compiled = ctx.implementations[implementation];
    call.upgrade = { implementation, contract: compiled?.contract ?? null };
    if (initData !== "0x") {
      // The initializer runs in the proxy's storage with the NEW code: decode with the new ABI.
      const init = decodeOne(ctx, "upgrade-init", to, "0", initData, 0, MAX_DEPTH);
      init.toName = known.name;
      const parsedInit = compiled === undefined ? null : parse(compiled.abi, initData, "0");
      if (compiled !== undefined && parsedInit !== null) {
        init.contract = compiled.contract;
        init.method = parsedInit.signature;
        init.args = formatArgs(parsedInit.fragment.inputs, parsedInit.args);
      }
      call.inner = [init];
    }
  }
  return call;
}

function decodeTimelock(ctx: DecodeCallsParameters, call: DecodedCall, name: string, args: Result, depth: number) {
  const single = name === "schedule" || name === "execute";
  const batch = name === "scheduleBatch" || name === "executeBatch";
  if (name === "cancel") {
    call.timelock = { action: "cancel", id: args[0] as Hex };
    return;
  }
  if (!single && !batch) return;
  const list = <T>(i: number): T[] => (single ? [args[i] as T] : [...(args[i] as Result)].map((x) => x as T));
  const operation: TimelockOperation = {
    targets: list<string>(0).map((a) => getAddress(a) as Address),
    values: list<bigint>(1).map((v) => v.toString()),
    payloads: list<Hex>(2),
    predecessor: args[3] as Hex,
    salt: args[4] as Hex,
    delay: name.startsWith("schedule") ? Number(args[5] as bigint) : 0,
  };
  call.timelock = {
    action: name.startsWith("schedule") ? "schedule" : "execute",
    id: timelockOperationId(operation),
    operation,
  };
  call.inner = operation.targets.map((target, i) =>
    decodeOne(ctx, "timelock", target, operation.values[i] ?? "0", operation.payloads[i] ?? "0x", 0, depth + 1),
  );
}

function parse(abi: readonly unknown[], data: Hex, value: string) {
  try {
    return new Interface(abi as never).parseTransaction({ data, value });
  } catch {
    return null;
  }
}

function formatArgs(inputs: readonly ParamType[], values: Result): DecodedArg[] {
  return inputs.map((input, i) => ({
    name: input.name,
    type: input.type,
    value: stringify(formatValue(input, values[i])),
  }));
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function formatValue(param: ParamType, value: unknown): unknown {
  if (param.isArray()) {
    return [...(value as Result)].map((v) => formatValue(param.arrayChildren, v));
  }
  if (param.isTuple()) {
    return param.components.map((c, i) => formatValue(c, (value as Result)[i]));
  }
  if (param.type === "address") return getAddress(value as string);
  if (typeof value === "bigint") return value.toString();
  return String(value);
}
