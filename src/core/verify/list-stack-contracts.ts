import { AbiCoder, concat, Interface } from "ethers";

import { predictCreate2Address } from "../chain/deploy-create2.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import type { CompiledCode, CompiledCodeSource } from "./compiled-code.js";

/** The OpenZeppelin proxy every governed contract sits behind (built from npm). */
export const PROXY_CONTRACT = "ERC1967Proxy";

/** A contract of the stack the toolkit deployed: what it is, and how it was constructed. */
export interface StackContract {
  /** How reports name it: "Vault proxy", "VaultV1 implementation of Vault", "timelock". */
  subject: string;
  kind: "implementation" | "proxy" | "timelock";
  address: Address;
  compiled: CompiledCode;
  /** Decoded constructor arguments (hardhat-verify encodes them with the ABI); [] for implementations. */
  constructorArgs: unknown[];
  /**
   * False when the arguments derived from records, with the compiled creation code, do not give
   * the recorded CREATE2 address: the creation code changed since the deploy, or the records did.
   */
  argsReproduceAddress: boolean;
}

export interface ListStackContractsParameters {
  stack: StackRecord;
  compiled: CompiledCodeSource;
  /** Only contracts this name selects: a proxy name (with its implementations), a contract name, or "timelock". */
  contract?: string;
}

/**
 * Every contract the stack's records hold that the toolkit deployed (Safe contracts are canonical
 * and listed elsewhere): each implementation a proxy ever had (rollbacks to one listed once),
 * each proxy, the timelock. Constructor arguments are re-derived from the records (the proxy's
 * first implementation and initializer call; the timelock's delay and Safes) and proven by
 * recomputing the CREATE2 address, so nothing extra needs recording at deploy time.
 *
 * Throws RS4005 when `contract` selects nothing, RS4004 when the project no longer compiles a
 * selected contract (all of them named at once).
 */
export async function listStackContracts({
  stack,
  compiled,
  contract,
}: ListStackContractsParameters): Promise<StackContract[]> {
  interface Entry {
    subject: string;
    kind: StackContract["kind"];
    address: Address;
    contract: string;
    names: string[];
    /** Another contract whose ABI the constructor arguments need (a proxy's first implementation). */
    uses?: string;
    args?: (read: (name: string) => CompiledCode) => { args: unknown[]; salt: Hex };
  }
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const [name, proxy] of Object.entries(stack.proxies)) {
    for (const impl of proxy.history) {
      if (seen.has(impl.address.toLowerCase())) continue;
      seen.add(impl.address.toLowerCase());
      entries.push({
        subject: `${impl.contract} implementation of ${name}`,
        kind: "implementation",
        address: impl.address,
        contract: impl.contract,
        names: [name, impl.contract],
      });
    }
    const first = proxy.history[0];
    entries.push({
      subject: `${name} proxy`,
      kind: "proxy",
      address: proxy.address,
      contract: PROXY_CONTRACT,
      names: [name, PROXY_CONTRACT],
      uses: first?.contract ?? proxy.contract,
      args: (read) => {
        const initialImplementation = first?.address ?? proxy.implementation;
        const initData = new Interface(read(first?.contract ?? proxy.contract).abi as never).encodeFunctionData(
          proxy.initializer,
          [stack.timelock.address, stack.safes.guardian.address, proxy.rollbackWindow, ...proxy.initializerArgs],
        );
        return { args: [initialImplementation, initData], salt: proxy.salt };
      },
    });
  }
  const owners = stack.safes.owners.address;
  entries.push({
    subject: "timelock",
    kind: "timelock",
    address: stack.timelock.address,
    contract: stack.timelock.contract,
    names: ["timelock", stack.timelock.contract],
    args: () => ({
      args: [stack.timelock.minDelay, [owners], [owners], [stack.safes.guardian.address]],
      salt: stack.timelock.salt,
    }),
  });

  const selected = contract === undefined ? entries : entries.filter((e) => e.names.includes(contract));
  if (selected.length === 0) {
    throw new ReleaseError(ERRORS.VERIFY.NOTHING_SELECTED, { network: stack.network, contract });
  }

  const needed = new Set(selected.flatMap((e) => (e.uses === undefined ? [e.contract] : [e.contract, e.uses])));
  const code = new Map<string, CompiledCode>();
  const missing: string[] = [];
  for (const name of needed) {
    const found = await compiled.read(name);
    if (found === undefined) missing.push(name);
    else code.set(name, found);
  }
  if (missing.length > 0) {
    const where = (name: string) =>
      selected
        .filter((e) => e.contract === name)
        .map((e) => e.address)
        .join(", ");
    throw new ReleaseError(ERRORS.VERIFY.CONTRACT_NOT_COMPILED, {
      contracts: missing.map((name) => `${name}${where(name) === "" ? "" : ` (at ${where(name)})`}`).join("; "),
    });
  }
  const read = (name: string) => code.get(name)!;

  return selected.map((e) => {
    const own = read(e.contract);
    if (e.args === undefined) {
      return { ...pick(e), compiled: own, constructorArgs: [], argsReproduceAddress: true };
    }
    const { args, salt } = e.args(read);
    const types = constructorTypes(own);
    const encoded = AbiCoder.defaultAbiCoder().encode(types, args);
    const predicted = predictCreate2Address(salt, concat([own.bytecode, encoded]) as Hex);
    return {
      ...pick(e),
      compiled: own,
      constructorArgs: args,
      argsReproduceAddress: predicted.toLowerCase() === e.address.toLowerCase(),
    };
  });
}

function pick(e: { subject: string; kind: StackContract["kind"]; address: Address }) {
  return { subject: e.subject, kind: e.kind, address: e.address };
}

function constructorTypes(code: CompiledCode): string[] {
  const fragment = new Interface(code.abi as never).deploy;
  return fragment.inputs.map((input) => input.format());
}
