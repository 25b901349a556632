import { Contract, getAddress, Interface, keccak256, type Provider } from "ethers";

import type { ContractArtifact } from "../governance/artifacts.js";
import { GOVERNED_ABI, IMPLEMENTATION_SLOT } from "../governance/roles.js";
import type { Address, StackRecord } from "../records/stack-record.js";

/** Getters of the governed base, compared by their own assertions rather than as "state". */
const GOVERNANCE_GETTERS = new Set([
  "paused",
  "rollbackTarget",
  "rollbackWindow",
  "proxiableUUID",
  "supportsInterface",
]);

export interface ProxySnapshot {
  implementation: Address;
  codeHash: string;
  paused: boolean;
  rollbackTarget: Address | null;
  rollbackWindow: number;
  /** Values of the contract's argument-free view getters: the state a user sees. */
  getters: Record<string, string>;
}

export interface StateSnapshot {
  /** Each proxy the proposal acts on, by name. */
  proxies: Record<string, ProxySnapshot>;
  /** ETH balances of the Safes, the timelock and those proxies. */
  balances: Record<string, string>;
}

export interface ProxyToSnapshot {
  name: string;
  address: Address;
  artifact: ContractArtifact;
}

/**
 * What the rehearsal compares before and after a proposal. State is read through the contract's
 * own argument-free view functions (from the artifact of the code it runs before the change), so
 * a value a storage-layout mistake would scramble shows up as changed; mappings are not enumerated.
 *
 * JSON-RPC: eth_getStorageAt, eth_getCode, eth_getBalance, eth_call per getter.
 */
export async function snapshotState(
  provider: Provider,
  stack: StackRecord,
  proxies: ProxyToSnapshot[],
): Promise<StateSnapshot> {
  const accounts: Record<string, Address> = {
    "owners Safe": stack.safes.owners.address,
    "guardian Safe": stack.safes.guardian.address,
    timelock: stack.timelock.address,
    ...Object.fromEntries(proxies.map((p) => [`proxy ${p.name}`, p.address])),
  };
  const balances: Record<string, string> = {};
  for (const [label, address] of Object.entries(accounts))
    balances[label] = (await provider.getBalance(address)).toString();
  const snapshots: Record<string, ProxySnapshot> = {};
  for (const proxy of proxies) snapshots[proxy.name] = await snapshotProxy(provider, proxy);
  return { proxies: snapshots, balances };
}

async function snapshotProxy(provider: Provider, proxy: ProxyToSnapshot): Promise<ProxySnapshot> {
  const governed = new Contract(proxy.address, GOVERNED_ABI, provider);
  const slot = await provider.getStorage(proxy.address, IMPLEMENTATION_SLOT);
  const implementation = getAddress(`0x${slot.slice(-40)}`) as Address;
  const [paused, [target], window] = (await Promise.all([
    governed.paused!(),
    governed.rollbackTarget!(),
    governed.rollbackWindow!(),
  ])) as [boolean, [string, bigint], bigint];

  const getters: Record<string, string> = {};
  const iface = new Interface(proxy.artifact.abi as never);
  const contract = new Contract(proxy.address, iface, provider);
  for (const fragment of iface.fragments) {
    if (fragment.type !== "function") continue;
    const fn = iface.getFunction(fragment.format())!;
    if (fn.stateMutability !== "view" || fn.inputs.length > 0 || GOVERNANCE_GETTERS.has(fn.name)) continue;
    if (/^[A-Z0-9_]+$/.test(fn.name)) continue; // constants (roles, limits) live in code, not storage
    try {
      getters[fn.name] = String(await contract.getFunction(fn.format())());
    } catch {
      getters[fn.name] = "(reverts)";
    }
  }
  return {
    implementation,
    codeHash: keccak256(await provider.getCode(implementation)),
    paused,
    rollbackTarget: BigInt(target) === 0n ? null : (getAddress(target) as Address),
    rollbackWindow: Number(window),
    getters,
  };
}
