import { getAddress, Interface } from "ethers";

import type { ProposalRecord } from "../proposals/proposal-record.js";
import type { Address, Hex } from "../records/stack-record.js";
import { MULTI_SEND_CALL_ONLY } from "../safe/multi-send.js";
import type { SafeTx, SafeTxHashes } from "../safe/safe-tx.js";
import type { DecodedCall } from "./decode-calls.js";

export interface RedFlag {
  code: `RF-${string}`;
  /**
   * "danger": do not sign; sign and execute refuse. "warning": sign only if you know why it is so;
   * sign and execute ask for `--acknowledge <code>`. "info": worth knowing, nothing to decide.
   */
  severity: "danger" | "warning" | "info";
  /** "proposal": about this proposal. "stack": about the stack as the chain has it right now. */
  scope: "proposal" | "stack";
  message: string;
}

/** A change of power a proposal's kind declares as its purpose: shown plainly, acknowledged, never hidden. */
export interface DeclaredPowerChange {
  /** Function name, e.g. "updateDelay". */
  method: string;
  to: Address;
}

/** One stored signature, checked against the recomputed safeTxHash and the on-chain owners. */
export interface SignatureCheck {
  /** Who the file says signed. */
  signer: Address;
  /** Who the signature actually recovers to; null when it is malformed. */
  recovered: Address | null;
  kind: string;
  /** Recovers to the stated signer, who is an owner of the Safe now. */
  valid: boolean;
  problem: string | null;
}

export interface TimelockCheck {
  /** Recomputed from the decoded calldata. */
  id: Hex;
  action: "schedule" | "execute" | "cancel";
  /** What the file says (timelock.id, or cancels.operationId for a cancel). */
  storedId: Hex | null;
  state: "unset" | "waiting" | "ready" | "done";
}

export interface ImplementationCheck {
  address: Address;
  contract: string;
  /** The implementation the decoded `upgradeToAndCall` switches to; null when no call does. */
  decodedAddress: Address | null;
  /** "not-compiled" when the project has no artifact of that name. */
  codeMatch: "exact" | "metadata-differs" | "mismatch" | "no-code" | "not-compiled";
}

export interface SimulationCheck {
  success: boolean;
  revertReason: string | null;
}

export interface FindRedFlagsParameters {
  proposal: ProposalRecord;
  /** Name of the phase under review and whether it has run already (no nonce checks then). */
  phase: { name: string; executed: boolean; storedHashes: SafeTxHashes | null };
  tx: SafeTx;
  decoded: DecodedCall;
  hashes: SafeTxHashes;
  chain: {
    network: string;
    chainId: number;
    /** The Safe's on-chain nonce; null when the Safe has no code. */
    safeNonce: number | null;
    /** The Safe's own domainSeparator() and getTransactionHash(...); null when not readable. */
    safeDomainHash: Hex | null;
    safeTxHash: Hex | null;
  };
  /** The Safes of the stack, by role. */
  safes: { owners: Address; guardian: Address };
  /** Nonces held by other pending (not executed, not cancelled) phases of the same Safe. */
  otherNonces: Array<{ proposal: string; phase: string; nonce: number }>;
  signatures: SignatureCheck[];
  timelock: TimelockCheck | null;
  implementation: ImplementationCheck | null;
  simulation: SimulationCheck | null;
  /**
   * Why the stored transaction is not the one the toolkit builds from the file's readable fields
   * (kind, proxy, implementation, call, operation...); null when it is exactly that one.
   */
  inconsistency?: string | null;
  /** Changes of power the proposal's kind declares as its purpose (warnings, not dangers). */
  declaredPowerChanges?: DeclaredPowerChange[];
  /** The proposal's kind exists to switch its proxy's implementation (upgrade, rollback). */
  switchesImplementation?: boolean;
  /** Red flags the proposal's kind raises itself (a lowered delay or threshold). */
  kindFlags?: RedFlag[];
  /** Selectors of the initializers of each implementation an upgrade may switch to (by address). */
  initializers?: Record<string, Hex[] | undefined>;
  /** What is wrong with the stack right now (release status' findings): dangers of the stack's scope. */
  stackFindings?: Array<{ subject: string; expected: string; actual: string }>;
}

/**
 * Functions that change who controls what, recognised by selector on any contract and at any depth
 * (Safe transaction, MultiSend batch, timelock operation or batch, an upgrade's call).
 */
const POWER_FUNCTIONS = new Interface([
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
  "function renounceRole(bytes32 role, address callerConfirmation)",
  "function updateDelay(uint256 newDelay)",
  "function setRollbackWindow(uint64 window)",
  "function transferOwnership(address newOwner)",
  "function renounceOwnership()",
  "function acceptOwnership()",
  "function changeAdmin(address newAdmin)",
  "function upgradeTo(address newImplementation)",
  "function upgradeToAndCall(address newImplementation, bytes data)",
  "function beginDefaultAdminTransfer(address newAdmin)",
  "function acceptDefaultAdminTransfer()",
  "function changeDefaultAdminDelay(uint48 newDelay)",
  "function addOwnerWithThreshold(address owner, uint256 threshold)",
  "function removeOwner(address prevOwner, address owner, uint256 threshold)",
  "function swapOwner(address prevOwner, address oldOwner, address newOwner)",
  "function changeThreshold(uint256 threshold)",
  "function enableModule(address module)",
  "function disableModule(address prevModule, address module)",
  "function setGuard(address guard)",
  "function setFallbackHandler(address handler)",
  "function setup(address[] owners, uint256 threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver)",
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)",
]);

/** The function name a selector stands for, when it is a change of power. */
export function powerFunction(selector: string | null): string | undefined {
  if (selector === null) return undefined;
  try {
    return POWER_FUNCTIONS.getFunction(selector)?.name;
  } catch {
    return undefined;
  }
}

/**
 * Everything a careful signer (or a tool like safe-tx-hashes-util) would refuse or question, found
 * from the recomputed hashes, the decoded calls and the chain, never from the proposal's own
 * claims. Each finding says what is wrong in words a signer can act on.
 *
 * JSON-RPC: none.
 */
export function findRedFlags(params: FindRedFlagsParameters): RedFlag[] {
  const flags: RedFlag[] = [];
  const danger = (code: `RF-${string}`, message: string) =>
    flags.push({ code, severity: "danger", scope: "proposal", message });
  const warning = (code: `RF-${string}`, message: string) =>
    flags.push({ code, severity: "warning", scope: "proposal", message });
  const info = (code: `RF-${string}`, message: string) =>
    flags.push({ code, severity: "info", scope: "proposal", message });
  const { proposal, tx, hashes, chain } = params;

  if (params.inconsistency != null) {
    danger(
      "RF-017",
      `The file does not hold together: ${params.inconsistency}. What it says it does is not what its transaction does.`,
    );
  }

  if (proposal.chainId !== chain.chainId || proposal.network !== chain.network) {
    danger(
      "RF-008",
      `The proposal is for ${proposal.network} (chainId ${proposal.chainId}), but this network is ${chain.network} (chainId ${chain.chainId}).`,
    );
  }
  const expectedSafe = params.safes[proposal.safe.role];
  if (getAddress(proposal.safe.address) !== expectedSafe) {
    danger(
      "RF-011",
      `The proposal's Safe ${proposal.safe.address} is not the stack's ${proposal.safe.role} Safe ${expectedSafe}.`,
    );
  }

  const stored = params.phase.storedHashes;
  if (stored === null) {
    warning("RF-009", "The file stores no hashes for this phase: compare the recomputed ones with your wallet.");
  } else {
    for (const key of ["domainHash", "messageHash", "safeTxHash"] as const) {
      if (stored[key].toLowerCase() !== hashes[key].toLowerCase()) {
        danger("RF-009", `The file's ${key} ${stored[key]} is not the hash of its own fields (${hashes[key]}).`);
      }
    }
  }
  if (chain.safeDomainHash !== null && chain.safeDomainHash.toLowerCase() !== hashes.domainHash.toLowerCase()) {
    danger("RF-016", `The Safe's own domainSeparator() is ${chain.safeDomainHash}, not ${hashes.domainHash}.`);
  }
  if (chain.safeTxHash !== null && chain.safeTxHash.toLowerCase() !== hashes.safeTxHash.toLowerCase()) {
    danger("RF-016", `The Safe's own getTransactionHash() is ${chain.safeTxHash}, not ${hashes.safeTxHash}.`);
  }

  if (BigInt(tx.gasPrice) !== 0n || BigInt(tx.gasToken) !== 0n || BigInt(tx.refundReceiver) !== 0n) {
    danger(
      "RF-002",
      `The transaction pays a refund from the Safe: gasPrice ${tx.gasPrice}, gasToken ${tx.gasToken}, refundReceiver ${tx.refundReceiver}.`,
    );
  }

  checkCalls(params, params.decoded, danger, warning);

  if (!params.phase.executed && chain.safeNonce !== null) {
    const nonce = tx.nonce;
    if (nonce < chain.safeNonce) {
      danger(
        "RF-006",
        `Nonce ${nonce} is already used: the Safe is at nonce ${chain.safeNonce}; this can never execute.`,
      );
    } else if (nonce > chain.safeNonce) {
      const held = new Set(params.otherNonces.map((o) => o.nonce));
      const missing: number[] = [];
      for (let n = chain.safeNonce; n < nonce; n++) if (!held.has(n)) missing.push(n);
      if (missing.length > 0) {
        danger(
          "RF-006",
          `Nonce ${nonce} is not the next one (the Safe is at ${chain.safeNonce}) and no pending proposal holds nonce(s) ${missing.join(", ")}.`,
        );
      } else {
        info(
          "RF-006",
          `Nonce ${nonce} executes only after the pending proposals with nonces ${chain.safeNonce}..${nonce - 1}.`,
        );
      }
    }
    for (const other of params.otherNonces.filter((o) => o.nonce === nonce)) {
      warning(
        "RF-007",
        `Nonce ${nonce} is also used by ${other.proposal} (${other.phase}): only one of them can ever execute.`,
      );
    }
  }

  if (params.phase.executed && chain.safeNonce !== null && tx.nonce >= chain.safeNonce) {
    danger("RF-006", `The file says this phase was executed, but the Safe has not used nonce ${tx.nonce} yet.`);
  }

  const owners = new Set<string>();
  for (const s of params.signatures) {
    if (!s.valid && s.kind === "contract" && s.recovered !== null) {
      // A nested Safe's signature its Safe no longer accepts (its owners changed, or the bytes were
      // edited): not counted, and replaced when that Safe signs again.
      info("RF-010", `The nested Safe ${s.signer}'s signature does not count: ${s.problem ?? "refused"}.`);
    } else if (!s.valid)
      danger("RF-010", `The signature of ${s.signer} is not valid: ${s.problem ?? "unknown reason"}.`);
    else if (owners.has(s.signer)) warning("RF-010", `${s.signer} signed twice; it counts once.`);
    owners.add(s.signer);
  }

  const tl = params.timelock;
  if (proposal.timelock !== undefined || proposal.cancels !== undefined) {
    if (tl === null) {
      danger("RF-012", "The proposal names a timelock operation, but its calldata makes no timelock call.");
    } else if (tl.storedId !== null && tl.storedId.toLowerCase() !== tl.id.toLowerCase()) {
      danger("RF-012", `The file's timelock operation id ${tl.storedId} is not the id of the decoded call (${tl.id}).`);
    }
  }
  if (tl?.action === "execute" && tl.state === "unset") {
    danger("RF-012", `The timelock operation ${tl.id} was never scheduled: this execute cannot succeed.`);
  }
  if (tl?.action === "schedule" && tl.state !== "unset") {
    warning("RF-012", `The timelock operation ${tl.id} is already scheduled (${tl.state}).`);
  }

  const impl = params.implementation;
  if (impl !== null) {
    if (impl.decodedAddress === null) {
      if (params.switchesImplementation === true) {
        danger("RF-013", `No decoded call upgrades to ${impl.address}, the implementation the file names.`);
      }
    } else if (impl.decodedAddress !== getAddress(impl.address)) {
      danger(
        "RF-013",
        `The calldata upgrades to ${impl.decodedAddress}, but the file names ${impl.address} (${impl.contract}).`,
      );
    }
    if (impl.codeMatch === "mismatch" || impl.codeMatch === "no-code" || impl.codeMatch === "not-compiled") {
      danger("RF-013", `The code at ${impl.address} does not match the compiled ${impl.contract}: ${impl.codeMatch}.`);
    } else if (impl.codeMatch === "metadata-differs") {
      warning(
        "RF-013",
        `The code at ${impl.address} runs the same as ${impl.contract}, but its metadata hash differs.`,
      );
    }
  }

  const sim = params.simulation;
  if (sim !== null && !sim.success) {
    const waiting = tl?.action === "execute" && tl.state === "waiting";
    (waiting ? info : danger)(
      "RF-014",
      waiting
        ? `Executing now would fail (${sim.revertReason ?? "reverted"}): the timelock delay has not passed yet.`
        : `Executing on the current chain state fails: ${sim.revertReason ?? "reverted"}.`,
    );
  }

  const methods = new Set(flatten(params.decoded).map((c) => `${c.to}:${c.method ?? ""}`));
  for (const action of proposal.actions) {
    if (!methods.has(`${getAddress(action.target)}:${action.method}`)) {
      danger(
        "RF-015",
        `The file describes ${action.contract}.${action.method} at ${action.target}, which the calldata does not call.`,
      );
    }
  }
  flags.push(...(params.kindFlags ?? []));
  for (const finding of params.stackFindings ?? []) {
    flags.push({
      code: "RF-020",
      severity: "danger",
      scope: "stack",
      message: `${finding.subject}: expected ${finding.expected}, found ${finding.actual}.`,
    });
  }
  return flags;
}

function checkCalls(
  params: FindRedFlagsParameters,
  call: DecodedCall,
  danger: (code: `RF-${string}`, message: string) => void,
  warning: (code: `RF-${string}`, message: string) => void,
): void {
  const where = `${call.method ?? call.selector ?? "call"} at ${call.to}`;
  if (call.via !== "upgrade-init") {
    if (call.operation === 1 && !(call.via === "safe" && call.to === MULTI_SEND_CALL_ONLY)) {
      danger(
        "RF-001",
        `DELEGATECALL to ${call.to}${call.toName === null ? "" : ` (${call.toName})`}: it could run any code as the Safe.`,
      );
    } else if (call.operation !== 0 && call.operation !== 1) {
      danger("RF-001", `Unknown operation ${call.operation} for the call to ${call.to}.`);
    }
    if (call.toName === null) {
      danger("RF-005", `Call to ${call.to}, which is not a contract of this stack.`);
    } else if (call.selector !== null && call.method === null) {
      danger(
        "RF-005",
        `Call to ${call.toName} (${call.to}) with data its ABI does not know (selector ${call.selector}).`,
      );
    }
  }
  if (BigInt(call.value) !== 0n) {
    danger("RF-004", `${where} sends ${call.value} wei: release proposals never move funds.`);
  }
  const toSafe =
    call.to === params.safes.owners ||
    call.to === params.safes.guardian ||
    call.to === getAddress(params.proposal.safe.address);
  if (toSafe && call.selector !== null && powerFunction(call.selector) === undefined) {
    warning("RF-003", `${where} calls a Safe of the stack.`);
  }
  const power = powerFunction(call.selector);
  if (power !== undefined) checkPowerChange(params, call, power, danger, warning);
  if (call.via === "upgrade-init") checkUpgradeCall(params, call, danger);
  if (call.upgrade !== undefined && call.upgrade.contract === null) {
    danger(
      "RF-013",
      `upgradeToAndCall switches to ${call.upgrade.implementation}, which is no implementation compiled here.`,
    );
  }
  for (const inner of call.inner) checkCalls(params, inner, danger, warning);
}

/**
 * A change of power is a danger unless it is the very purpose of the proposal: the upgrade call of
 * an upgrading kind on its own proxy (its implementation is checked by RF-013), the timelock
 * wrapper a Safe transaction schedules, or a change the kind declares (a warning to acknowledge).
 */
function checkPowerChange(
  params: FindRedFlagsParameters,
  call: DecodedCall,
  power: string,
  danger: (code: `RF-${string}`, message: string) => void,
  warning: (code: `RF-${string}`, message: string) => void,
): void {
  const { proposal } = params;
  const outer = call.via === "safe" || call.via === "multisend";
  if (outer && call.toName === "timelock" && (power === "schedule" || power === "scheduleBatch")) return;
  const ownProxy = proposal.proxy !== undefined && call.to === getAddress(proposal.proxy.address);
  if (
    power === "upgradeToAndCall" &&
    ownProxy &&
    params.switchesImplementation === true &&
    call.via !== "upgrade-init"
  ) {
    return;
  }
  const what = `${call.toName ?? call.to}.${call.method?.split("(")[0] ?? power}(${call.args.map((a) => a.value).join(", ")})`;
  const where =
    call.via === "upgrade-init" ? " inside the upgrade's call" : call.via === "timelock" ? " through the timelock" : "";
  if ((params.declaredPowerChanges ?? []).some((d) => d.method === power && d.to === call.to)) {
    warning("RF-018", `This proposal changes who controls the stack, as its kind says: ${what}${where}.`);
    return;
  }
  danger(
    "RF-018",
    `A change of power hides in this proposal: ${what}${where}. No ${proposal.kind} proposal may do that.`,
  );
}

/** The call `upgradeToAndCall` makes must be an initializer of the new code, never just any function. */
function checkUpgradeCall(
  params: FindRedFlagsParameters,
  call: DecodedCall,
  danger: (code: `RF-${string}`, message: string) => void,
): void {
  const parent = params.decoded;
  const upgrade = flatten(parent).find((c) => c.inner.includes(call))?.upgrade;
  if (upgrade === undefined) return;
  const initializers = params.initializers?.[upgrade.implementation];
  if (initializers === undefined) {
    danger(
      "RF-019",
      `The upgrade runs ${call.method ?? call.selector ?? "a call"} on code whose initializers are unknown (${upgrade.implementation} is not compiled here).`,
    );
  } else if (call.selector === null || !initializers.includes(call.selector)) {
    danger(
      "RF-019",
      `The upgrade runs ${call.method ?? call.selector}, which is not an initializer of ${upgrade.contract ?? upgrade.implementation}: an upgrade may only call its initializer (initializer/reinitializer).`,
    );
  }
}

function flatten(call: DecodedCall): DecodedCall[] {
  return [call, ...call.inner.flatMap(flatten)];
}
