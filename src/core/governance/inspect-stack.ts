import { Contract, getAddress, id, keccak256, ZeroAddress, type Provider } from "ethers";

import { predictCreate2Address } from "../chain/deploy-create2.js";
import type { InitializerArg } from "../config/release-config.js";
import type { ArtifactSource } from "./artifacts.js";
import { encodeInitializer, proxyInitCode, proxySalt } from "./ensure-proxy.js";
import { readStackHistory, type EventPlace, type StackHistory } from "../history/read-stack-history.js";
import { holdsTogether } from "../proposals/expected-safe-tx.js";
import { findKind } from "../proposals/kinds/registry.js";
import type { ProposalRecord } from "../proposals/proposal-record.js";
import { TIMELOCK_ABI } from "../proposals/timelock-operation.js";
import { decodeCalls, type DecodedCall } from "../review/decode-calls.js";
import { knownContracts } from "../review/known-contracts.js";
import { callLine } from "../review/summarize-calls.js";
import type { StackRecord } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS } from "../safe/safe-artifacts.js";
import type { Address, Hex } from "../types.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import { matchBytecode } from "../verify/match-bytecode.js";
import type { ServiceQueue } from "../service/read-service-queue.js";
import { GOVERNED_ABI, IMPLEMENTATION_SLOT, ROLES, roleName } from "./roles.js";

export interface SafeStatus {
  role: "owners" | "guardian";
  address: Address;
  owners: Address[];
  threshold: number;
  nonce: number;
  version: string;
  origin: "deployed" | "adopted";
  /** Enabled modules: each can move anything without signatures. */
  modules: Address[];
  /** The transaction guard; null when none is set. */
  guard: Address | null;
  fallbackHandler: Address | null;
}

export interface ProxyStatus {
  name: string;
  address: Address;
  contract: string;
  implementation: Address;
  /** False when the code behind the proxy does not answer the governed base contract's calls. */
  governed: boolean;
  paused: boolean;
  rollbackTarget: Address | null;
  /** Unix seconds; null when there is no target. */
  rollbackDeadline: number | null;
  rollbackWindow: number;
}

/** Who holds a role on a contract of the stack, from its events, against who should. */
export interface RoleStatus {
  /** "timelock" or the proxy's name. */
  contract: string;
  address: Address;
  /** DEFAULT_ADMIN, UPGRADER, ... or the role id when it is no role the toolkit knows. */
  role: string;
  holders: Address[];
  intended: Address[];
}

/** A timelock operation scheduled and neither executed nor cancelled. */
export interface PendingOperation {
  id: Hex;
  /** Unix seconds from which it can execute. */
  eta: number | null;
  scheduled: EventPlace;
  calls: DecodedCall[];
  /** The proposal file that explains it; null when none does (then it is a danger finding). */
  explainedBy: string | null;
}

/** One way in which the chain differs from what the records and the security model require. */
export interface Finding {
  subject: string;
  expected: string;
  actual: string;
  /** "danger": someone can act outside the governance the stack promises. */
  severity: "danger" | "warning";
}

export interface StackStatus {
  network: string;
  chainId: number;
  block: number;
  safes: SafeStatus[];
  timelock: { address: Address; minDelay: number; codeMatches: boolean };
  proxies: ProxyStatus[];
  roles: RoleStatus[];
  operations: PendingOperation[];
  findings: Finding[];
  ok: boolean;
  /** The Safes' queue in the Transaction Service, checked (when one is configured). */
  queue?: ServiceQueue;
}

export interface InspectStackParameters {
  provider: Provider;
  stack: StackRecord;
  /** The stack's history; read from the chain when not given. */
  history?: StackHistory;
  /** The network's proposals: pending timelock operations none of them explains are findings. */
  proposals?: ProposalRecord[];
  /** To decode pending operations with the project's ABIs. */
  artifacts?: ArtifactSource;
  /** When given, code drift against the compiled artifacts is a finding too. */
  compiled?: CompiledCodeSource;
  /** The stack's contracts as read from chain (see readStackState); read now when not given. */
  state?: StackState;
}

/** A read that may fail (foreign code answers nothing): its value, or why not. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What a Safe address holds, read all at once; the calls count only once its code is checked. */
export interface SafeState {
  code: string;
  singletonSlot: string;
  guardSlot: string;
  handlerSlot: string;
  calls: Settled<[owners: string[], threshold: bigint, version: string, nonce: bigint, modules: [string[]]]>;
}

export interface ProxyState {
  implementationSlot: string;
  /** The code at the implementation the records name (read with the slot; used when the slot agrees). */
  recordedImplementation: { address: Address; code: string };
  governed: Settled<[paused: boolean, rollback: [string, bigint], window: bigint]>;
}

/** Every contract of the stack as the chain has it, by address: what inspectStack judges. */
export interface StackState {
  safes: Record<Address, SafeState>;
  timelock: { code: string; minDelay: Settled<bigint> };
  proxies: Record<Address, ProxyState>;
}

const SENTINEL = "0x0000000000000000000000000000000000000001";
/** Safe's storage slots for its guard and its fallback handler (GuardManager, FallbackManager). */
const GUARD_SLOT = id("guard_manager.guard.address");
const FALLBACK_HANDLER_SLOT = id("fallback_manager.handler.address");
const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;
const SAFE_PROXY_CODE_HASH = keccak256(loadSafeArtifact("SafeProxy").deployedBytecode);
const CANONICAL_SINGLETONS = new Set<string>([
  getAddress(SAFE_CONTRACTS.safeSingletonAddress.address),
  getAddress(SAFE_CONTRACTS.safeSingletonL2Address.address),
]);

/**
 * Reads the whole stack from chain and checks it against the records and the security model:
 * Safe owners, threshold, modules, guard and fallback handler; the timelock's code and delay; each
 * proxy's implementation and state; the holders of every role on the timelock and the proxies,
 * enumerated from their events (an extra holder granted by anyone, anyhow, is a finding); and
 * every pending timelock operation, of which those no proposal file explains are findings. The
 * same checks guard `release deploy` (which refuses a stack with findings) and drive `release
 * status`. Code that does not answer the governed calls is a finding, never a crash.
 *
 * JSON-RPC: those of readStackHistory and readStackState (each only when not given, both at once);
 * eth_getCode of an implementation other than the recorded one; eth_call getTimestamp per pending
 * operation.
 */
export async function inspectStack(params: InspectStackParameters): Promise<StackStatus> {
  const { provider, stack } = params;
  const findings: Finding[] = [];
  const danger = (subject: string, expected: unknown, actual: unknown) =>
    findings.push({ subject, expected: String(expected), actual: String(actual), severity: "danger" });
  const expect = (subject: string, expected: unknown, actual: unknown) => {
    if (String(expected).toLowerCase() !== String(actual).toLowerCase()) danger(subject, expected, actual);
  };
  const [history, state] = await Promise.all([
    params.history ?? readStackHistory({ provider, stack }),
    params.state ?? readStackState(provider, stack),
  ]);
  const label = addressLabels(stack);

  const safes = (["owners", "guardian"] as const).map((role) => inspectSafe(stack, state, role, expect, danger));
  const [timelock, proxies] = await Promise.all([
    inspectTimelock(stack, state, params.compiled, expect, danger),
    Promise.all(
      Object.entries(stack.proxies).map(([name]) =>
        inspectProxy(provider, stack, state, name, params.compiled, expect, danger),
      ),
    ),
  ]);

  if (params.artifacts !== undefined) {
    for (const name of Object.keys(stack.proxies)) {
      const anchored = await anchoredProxyAddress(stack, name, params.artifacts);
      if (anchored !== undefined && anchored !== stack.proxies[name]!.address) {
        danger(
          `${name} address`,
          `${anchored} (from its name, first implementation and initializer)`,
          stack.proxies[name]!.address,
        );
      }
    }
  }

  const roles = roleStatuses(stack, history);
  for (const r of roles) {
    const extra = r.holders.filter((h) => !r.intended.includes(h));
    const missing = r.intended.filter((h) => !r.holders.includes(h));
    if (extra.length > 0 || missing.length > 0) {
      danger(`${r.contract}: holders of ${r.role}`, names(r.intended, label), names(r.holders, label));
    }
  }

  for (const event of unexplainedPowerEvents(stack, history, params.proposals ?? [])) {
    danger(
      `${label(event.address)}: ${event.name}`,
      "changes of power only through a proposal whose kind declares them",
      `${event.name}(${Object.values(event.args).join(", ")}) in block ${event.blockNumber}, transaction ${event.transactionHash}`,
    );
  }

  const operations = await listPendingOperations({ ...params, history });
  for (const op of operations.filter((o) => o.explainedBy === null)) {
    danger(
      `timelock operation ${op.id}`,
      "only operations that a proposal file explains",
      `pending, scheduled in block ${op.scheduled.block} (${op.scheduled.txHash}), executable ${op.eta === null ? "?" : new Date(op.eta * 1000).toISOString()}: ${op.calls.map(callLine).join("; ")}`,
    );
  }

  return {
    network: stack.network,
    chainId: stack.chainId,
    block: history.toBlock,
    safes,
    timelock,
    proxies,
    roles,
    operations,
    findings,
    ok: findings.length === 0,
  };
}

type Check = (subject: string, expected: unknown, actual: unknown) => void;

/**
 * Reads every contract of the stack at once, in one round trip (calls included, before their code
 * is checked: inspectStack uses what code it does not trust says for nothing). The records give
 * only the addresses.
 *
 * JSON-RPC: eth_getCode, eth_getStorageAt and eth_call per Safe, the timelock and each proxy.
 */
export async function readStackState(provider: Provider, stack: StackRecord): Promise<StackState> {
  const settle = <T>(promise: Promise<unknown>): Promise<Settled<T>> =>
    promise.then(
      (value) => ({ ok: true as const, value: value as T }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const readSafeState = async (address: Address): Promise<SafeState> => {
    const safe = new Contract(address, SAFE_ABI as never, provider);
    const [code, singletonSlot, guardSlot, handlerSlot, calls] = await Promise.all([
      provider.getCode(address),
      provider.getStorage(address, 0),
      provider.getStorage(address, GUARD_SLOT),
      provider.getStorage(address, FALLBACK_HANDLER_SLOT),
      settle<SafeState["calls"] extends Settled<infer T> ? T : never>(
        Promise.all([
          safe.getOwners!(),
          safe.getThreshold!(),
          safe.VERSION!(),
          safe.nonce!(),
          safe.getModulesPaginated!(SENTINEL, 10),
        ]),
      ),
    ]);
    return { code, singletonSlot, guardSlot, handlerSlot, calls };
  };
  const readProxyState = async (address: Address, recorded: Address): Promise<ProxyState> => {
    const proxy = new Contract(address, GOVERNED_ABI, provider);
    const [implementationSlot, code, governed] = await Promise.all([
      provider.getStorage(address, IMPLEMENTATION_SLOT),
      provider.getCode(recorded),
      settle<ProxyState["governed"] extends Settled<infer T> ? T : never>(
        Promise.all([proxy.paused!(), proxy.rollbackTarget!(), proxy.rollbackWindow!()]),
      ),
    ]);
    return { implementationSlot, recordedImplementation: { address: recorded, code }, governed };
  };
  const safeAddresses = [...new Set([stack.safes.owners.address, stack.safes.guardian.address])];
  const proxies = Object.values(stack.proxies);
  const timelock = new Contract(stack.timelock.address, GOVERNED_ABI, provider);
  const [safes, timelockCode, minDelay, proxyStates] = await Promise.all([
    Promise.all(safeAddresses.map(readSafeState)),
    provider.getCode(stack.timelock.address),
    settle<bigint>(timelock.getMinDelay!()),
    Promise.all(proxies.map((p) => readProxyState(p.address, p.implementation))),
  ]);
  return {
    safes: Object.fromEntries(safeAddresses.map((a, i) => [a, safes[i]!])),
    timelock: { code: timelockCode, minDelay },
    proxies: Object.fromEntries(proxies.map((p, i) => [p.address, proxyStates[i]!])),
  };
}

function inspectSafe(
  stack: StackRecord,
  state: StackState,
  role: "owners" | "guardian",
  expect: Check,
  danger: Check,
): SafeStatus {
  const recorded = stack.safes[role];
  const empty = {
    role,
    address: recorded.address,
    owners: [],
    threshold: 0,
    nonce: 0,
    version: "",
    origin: recorded.origin,
  };
  const { code, singletonSlot, guardSlot, handlerSlot, calls } = state.safes[recorded.address]!;
  if (code === "0x") {
    danger(`${role} Safe ${recorded.address}`, "a Safe", "no code");
    return { ...empty, modules: [], guard: null, fallbackHandler: null };
  }
  // The Safe's own view functions are only as honest as the code behind them: check that code first.
  const singleton = slotAddress(singletonSlot);
  const proxyOk = keccak256(code) === SAFE_PROXY_CODE_HASH;
  const singletonOk = singleton !== null && CANONICAL_SINGLETONS.has(singleton);
  if (!proxyOk) danger(`${role} Safe proxy code`, "Safe v1.4.1's SafeProxy", `other code at ${recorded.address}`);
  if (!singletonOk) {
    danger(`${role} Safe singleton`, "the canonical Safe v1.4.1 (or SafeL2) singleton", singleton ?? "none");
  }
  // Foreign code answers whatever it likes (or nothing): nothing it says is used.
  if (!proxyOk || !singletonOk) return { ...empty, modules: [], guard: null, fallbackHandler: null };
  if (!calls.ok) throw calls.error;
  const [owners, threshold, version, nonce, [modules]] = calls.value;
  const onChain = {
    address: recorded.address,
    owners: owners.map((o) => getAddress(o) as Address),
    threshold: Number(threshold),
    version,
    origin: recorded.origin,
  };
  expect(`${role} Safe owners`, [...recorded.owners].sort().join(","), [...onChain.owners].sort().join(","));
  expect(`${role} Safe threshold`, recorded.threshold, onChain.threshold);
  const moduleList = modules.map((m) => getAddress(m) as Address);
  const guard = slotAddress(guardSlot);
  const fallbackHandler = slotAddress(handlerSlot);
  if (moduleList.length > 0) danger(`${role} Safe modules`, "none", moduleList.join(", "));
  if (guard !== null) danger(`${role} Safe guard`, "none", guard);
  const canonicalHandler = getAddress(SAFE_CONTRACTS.fallbackHandlerAddress.address);
  if (fallbackHandler !== null && fallbackHandler !== canonicalHandler) {
    danger(
      `${role} Safe fallback handler`,
      `${canonicalHandler} (CompatibilityFallbackHandler) or none`,
      fallbackHandler,
    );
  }
  return { role, ...onChain, nonce: Number(nonce), modules: moduleList, guard, fallbackHandler };
}

async function inspectTimelock(
  stack: StackRecord,
  state: StackState,
  compiled: CompiledCodeSource | undefined,
  expect: Check,
  danger: Check,
): Promise<StackStatus["timelock"]> {
  const code = state.timelock.code as Hex;
  if (code === "0x") {
    danger(`timelock ${stack.timelock.address}`, "a timelock", "no code");
    return { address: stack.timelock.address, minDelay: 0, codeMatches: false };
  }
  const codeMatches = keccak256(code) === stack.timelock.bytecodeHash;
  if (!codeMatches) danger("timelock code", stack.timelock.bytecodeHash, keccak256(code));
  if (compiled !== undefined) {
    await expectCompiledCode(
      compiled,
      danger,
      "timelock compiled code",
      stack.timelock.address,
      stack.timelock.contract,
      code,
    );
  }
  if (!state.timelock.minDelay.ok) throw state.timelock.minDelay.error;
  const minDelay = Number(state.timelock.minDelay.value);
  expect("timelock min delay", stack.timelock.minDelay, minDelay);
  return { address: stack.timelock.address, minDelay, codeMatches };
}

async function inspectProxy(
  provider: Provider,
  stack: StackRecord,
  state: StackState,
  name: string,
  compiled: CompiledCodeSource | undefined,
  expect: Check,
  danger: Check,
): Promise<ProxyStatus> {
  const recorded = stack.proxies[name]!;
  const read = state.proxies[recorded.address]!;
  const implementation = getAddress(`0x${read.implementationSlot.slice(-40)}`) as Address;
  expect(`${name} implementation`, recorded.implementation, implementation);
  if (compiled !== undefined) {
    // The code read with the slot is of the implementation the records named then: only the same address counts.
    const code = (
      read.recordedImplementation.address === implementation
        ? read.recordedImplementation.code
        : await provider.getCode(implementation)
    ) as Hex;
    await expectCompiledCode(
      compiled,
      danger,
      `${name} implementation compiled code`,
      implementation,
      recorded.contract,
      code,
    );
  }
  const base = { name, address: recorded.address, contract: recorded.contract, implementation };
  if (!read.governed.ok) {
    // Foreign code behind the proxy: report it, never crash on it.
    danger(
      `${name} governance`,
      "the governed base contract's pause and rollback functions",
      `code at ${implementation} that does not answer them`,
    );
    return { ...base, governed: false, paused: false, rollbackTarget: null, rollbackDeadline: null, rollbackWindow: 0 };
  }
  const [paused, [target, deadline], window] = read.governed.value;
  const hasTarget = BigInt(target) !== 0n;
  return {
    ...base,
    governed: true,
    paused,
    rollbackTarget: hasTarget ? (getAddress(target) as Address) : null,
    rollbackDeadline: hasTarget ? Number(deadline) : null,
    rollbackWindow: Number(window),
  };
}

/**
 * Where the toolkit deployed the proxy of that name: its CREATE2 address follows from the name
 * (the salt), the proxy code and its constructor arguments (first implementation, initializer
 * call), so records that swap two proxies' addresses cannot pass for the truth. Undefined when the
 * artifacts to recompute it are missing.
 */
async function anchoredProxyAddress(
  stack: StackRecord,
  name: string,
  artifacts: ArtifactSource,
): Promise<Address | undefined> {
  const record = stack.proxies[name]!;
  const first = record.history[0];
  const [proxyArtifact, implArtifact] = await Promise.all([
    artifacts.read("ERC1967Proxy"),
    first === undefined ? undefined : artifacts.read(first.contract),
  ]);
  if (first === undefined || proxyArtifact === undefined || implArtifact === undefined) return undefined;
  try {
    const initData = encodeInitializer(
      {
        name,
        config: {
          contract: first.contract,
          initializer: record.initializer,
          args: record.initializerArgs as InitializerArg[],
        },
        implementation: implArtifact,
        proxy: proxyArtifact,
        rollbackWindow: record.rollbackWindow,
      },
      stack.timelock.address,
      stack.safes.guardian.address,
    );
    return predictCreate2Address(proxySalt(name), proxyInitCode(proxyArtifact, first.address, initData));
  } catch {
    return undefined;
  }
}

/** Events that change who controls the Safes, the timelock or the proxies (role holders aside). */
const POWER_EVENTS = new Set([
  "AddedOwner",
  "RemovedOwner",
  "ChangedThreshold",
  "EnabledModule",
  "DisabledModule",
  "ChangedGuard",
  "ChangedFallbackHandler",
  "MinDelayChange",
  "RoleAdminChanged",
  "RollbackWindowChanged",
  "AdminChanged",
  "BeaconUpgraded",
]);

/**
 * Every change of power in the stack's history that no executed proposal explains: the chain's
 * own record, so a stack.json edited to match an owner added in the Safe app hides nothing. The
 * deploy's own setting of the delay and the rollback window (from zero) are not changes. An event
 * is explained only by the transaction that executed a proposal whose file holds together and
 * whose kind declares changes of power (delay, signers).
 */
export function unexplainedPowerEvents(stack: StackRecord, history: StackHistory, proposals: ProposalRecord[]) {
  const explained = new Set<string>();
  for (const p of proposals) {
    if (findKind(p.kind)?.powerChanges === undefined || !holdsTogether(p, stack)) continue;
    for (const phase of p.phases) if (phase.executed !== null) explained.add(phase.executed.txHash.toLowerCase());
  }
  return history.events.filter((e) => {
    if (e.name === null || !POWER_EVENTS.has(e.name)) return false;
    if (
      (e.name === "MinDelayChange" && e.args.oldDuration === "0") ||
      (e.name === "RollbackWindowChanged" && e.args.previous === "0")
    ) {
      return false;
    }
    return !explained.has(e.transactionHash.toLowerCase());
  });
}

/** Who should hold what: the security model of DESIGN.md, per contract. */
export function intendedRoles(
  stack: StackRecord,
): Array<{ contract: string; address: Address; roles: Record<string, Address[]> }> {
  const { owners, guardian } = stack.safes;
  const t = stack.timelock.address;
  const unique = (...a: Address[]) => [...new Set(a)];
  return [
    {
      contract: "timelock",
      address: t,
      roles: {
        DEFAULT_ADMIN: [t],
        PROPOSER: [owners.address],
        EXECUTOR: [owners.address],
        CANCELLER: unique(owners.address, guardian.address),
      },
    },
    ...Object.entries(stack.proxies).map(([name, proxy]) => ({
      contract: name,
      address: proxy.address,
      roles: { DEFAULT_ADMIN: [t], UPGRADER: [t], PAUSER: [guardian.address], GUARDIAN: [guardian.address] },
    })),
  ];
}

function roleStatuses(stack: StackRecord, history: StackHistory): RoleStatus[] {
  const out: RoleStatus[] = [];
  for (const { contract, address, roles } of intendedRoles(stack)) {
    const held = history.roles[address] ?? {};
    const ids = new Set<string>([
      ...Object.keys(roles).map((r) => ROLES[r as keyof typeof ROLES]),
      ...Object.keys(held),
    ]);
    for (const roleId of ids) {
      const name = roleName(roleId as Hex);
      const holders = held[roleId as Hex] ?? [];
      const intended = roles[name] ?? [];
      if (holders.length === 0 && intended.length === 0) continue;
      out.push({ contract, address, role: name, holders, intended });
    }
  }
  return out;
}

/**
 * Every timelock operation pending now, decoded, with the proposal that explains it (if any).
 *
 * JSON-RPC: eth_call getTimestamp per pending operation.
 */
export async function listPendingOperations(
  params: Pick<InspectStackParameters, "provider" | "stack" | "proposals" | "artifacts"> & { history: StackHistory },
): Promise<PendingOperation[]> {
  const { history } = params;
  const pending = history.operations.filter((op) => op.state === "pending");
  if (pending.length === 0) return [];
  // Only a live proposal whose file holds together explains an operation: not a cancelled one
  // (the same operation can be scheduled again), not a decoy file that merely claims the id.
  const explained = new Map<string, string>();
  for (const p of params.proposals ?? []) {
    if (p.timelock === undefined || p.status === "cancelled" || p.status === "executed") continue;
    if (holdsTogether(p, params.stack)) explained.set(p.timelock.id.toLowerCase(), p.id);
  }
  const { known, implementations } = await knownContracts(
    params.stack,
    params.artifacts ?? { read: async () => undefined },
  );
  const timelock = new Contract(params.stack.timelock.address, TIMELOCK_ABI, params.provider);
  return Promise.all(
    pending.map(async (op): Promise<PendingOperation> => {
      const timestamp = Number((await timelock.getTimestamp!(op.id)) as bigint);
      return {
        id: op.id,
        eta: timestamp > 1 ? timestamp : null,
        scheduled: op.scheduled,
        calls: op.calls.map((c) =>
          decodeCalls({
            to: c.target,
            value: c.value,
            data: c.data,
            operation: 0,
            known,
            implementations,
            via: "timelock",
          }),
        ),
        explainedBy: explained.get(op.id.toLowerCase()) ?? null,
      };
    }),
  );
}

async function expectCompiledCode(
  compiled: CompiledCodeSource,
  danger: Check,
  subject: string,
  address: Address,
  contract: string,
  code: Hex,
): Promise<void> {
  const artifact = await compiled.read(contract);
  if (artifact === undefined) return danger(subject, `${contract} as compiled`, "the project no longer compiles it");
  const match = matchBytecode(code, artifact);
  if (match.status === "mismatch" || match.status === "no-code") {
    danger(
      subject,
      `${contract} as compiled`,
      match.status === "no-code" ? `no code at ${address}` : `other code at ${address} (${match.detail})`,
    );
  }
}

function slotAddress(slot: string): Address | null {
  const address = getAddress(`0x${slot.slice(-40)}`);
  return address === ZeroAddress ? null : (address as Address);
}

/** "owners Safe 0x…", "timelock 0x…": findings name accounts by their part in the stack. */
export function addressLabels(stack: StackRecord): (address: Address) => string {
  const names = new Map<string, string>([
    [stack.safes.owners.address, "owners Safe"],
    [
      stack.safes.guardian.address,
      stack.safes.owners.address === stack.safes.guardian.address ? "owners and guardian Safe" : "guardian Safe",
    ],
    [stack.timelock.address, "timelock"],
    [stack.deployer, "the deployer"],
    ...Object.entries(stack.proxies).map(([name, p]) => [p.address, `proxy ${name}`] as [string, string]),
  ]);
  return (address) => `${names.get(address) ?? "account"} ${address}`;
}

function names(addresses: Address[], label: (a: Address) => string): string {
  return addresses.length === 0 ? "nobody" : addresses.map(label).join(", ");
}
