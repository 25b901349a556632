import { Contract, getAddress, keccak256, type Provider } from "ethers";

import { readSafe } from "../safe/ensure-safe.js";
import { loadSafeArtifact } from "../safe/safe-artifacts.js";
import type { Address, Hex, StackRecord } from "../records/stack-record.js";
import type { CompiledCodeSource } from "../verify/compiled-code.js";
import { matchBytecode } from "../verify/match-bytecode.js";
import { GOVERNED_ABI, IMPLEMENTATION_SLOT, ROLES, type RoleName } from "./roles.js";

export interface SafeStatus {
  role: "owners" | "guardian";
  address: Address;
  owners: Address[];
  threshold: number;
  nonce: number;
  version: string;
  origin: "deployed" | "adopted";
}

export interface ProxyStatus {
  name: string;
  address: Address;
  contract: string;
  implementation: Address;
  paused: boolean;
  rollbackTarget: Address | null;
  /** Unix seconds; null when there is no target. */
  rollbackDeadline: number | null;
  rollbackWindow: number;
}

/** One way in which the chain differs from what the records and the security model require. */
export interface Finding {
  subject: string;
  expected: string;
  actual: string;
}

export interface StackStatus {
  network: string;
  chainId: number;
  safes: SafeStatus[];
  timelock: { address: Address; minDelay: number; codeMatches: boolean };
  proxies: ProxyStatus[];
  findings: Finding[];
  ok: boolean;
}

/**
 * Reads the whole stack from chain and checks it against the records and the security model:
 * Safe owners and thresholds, the timelock's code, delay and roles, each proxy's implementation and
 * roles, and that the deployer holds no role anywhere. The same checks guard `release deploy`
 * (which refuses a stack with findings) and drive `release status`.
 *
 * Role checks are by account (hasRole), not by enumeration: an extra holder granted through a
 * timelock operation is not seen here.
 *
 * With `compiled`, code drift is a finding too: the timelock's code and each proxy's current
 * implementation code are matched against the compiled artifacts (local bytecode match).
 *
 * JSON-RPC: eth_call and eth_getStorageAt, about 10 + 12 per proxy, all in parallel; with
 * `compiled`, one more eth_getCode per proxy (its implementation).
 */
export async function inspectStack(
  provider: Provider,
  stack: StackRecord,
  extraAccounts: Address[] = [],
  compiled?: CompiledCodeSource,
): Promise<StackStatus> {
  const findings: Finding[] = [];
  const expect = (subject: string, expected: unknown, actual: unknown) => {
    if (String(expected).toLowerCase() !== String(actual).toLowerCase()) {
      findings.push({ subject, expected: String(expected), actual: String(actual) });
    }
  };
  const { owners, guardian } = stack.safes;
  const outsiders = [...new Set([stack.deployer, ...extraAccounts].map((a) => getAddress(a) as Address))].filter(
    (a) => a !== owners.address && a !== guardian.address && a !== stack.timelock.address,
  );

  const safes = await Promise.all(
    (["owners", "guardian"] as const).map(async (role): Promise<SafeStatus> => {
      const recorded = stack.safes[role];
      if ((await provider.getCode(recorded.address)) === "0x") {
        findings.push({ subject: `${role} Safe ${recorded.address}`, expected: "a Safe", actual: "no code" });
        return {
          role,
          address: recorded.address,
          owners: [],
          threshold: 0,
          nonce: 0,
          version: "",
          origin: recorded.origin,
        };
      }
      const onChain = await readSafe({ provider }, recorded.address, recorded.origin);
      const safe = new Contract(recorded.address, loadSafeArtifact("safeSingletonAddress").abi as never, provider);
      const nonce = Number((await safe.nonce!()) as bigint);
      expect(`${role} Safe owners`, [...recorded.owners].sort().join(","), [...onChain.owners].sort().join(","));
      expect(`${role} Safe threshold`, recorded.threshold, onChain.threshold);
      return { role, ...onChain, nonce };
    }),
  );

  const timelock = new Contract(stack.timelock.address, GOVERNED_ABI, provider);
  const hasRole = async (contract: Contract, role: RoleName, account: Address) =>
    (await contract.hasRole!(ROLES[role], account)) as boolean;
  const expectRole = async (
    contract: Contract,
    name: string,
    role: RoleName,
    account: Address,
    label: string,
    held: boolean,
  ) => {
    expect(
      `${name}: ${label} ${held ? "holds" : "does not hold"} ${role}`,
      held,
      await hasRole(contract, role, account),
    );
  };

  // Drift between chain and sources: what signers review must be what runs.
  const expectCompiledCode = async (subject: string, address: Address, contract: string, code: Hex) => {
    const artifact = await compiled!.read(contract);
    if (artifact === undefined) {
      findings.push({ subject, expected: `${contract} as compiled`, actual: "the project no longer compiles it" });
      return;
    }
    const match = matchBytecode(code, artifact);
    if (match.status === "mismatch" || match.status === "no-code") {
      findings.push({
        subject,
        expected: `${contract} as compiled`,
        actual: match.status === "no-code" ? `no code at ${address}` : `other code at ${address} (${match.detail})`,
      });
    }
  };

  const timelockCode = await provider.getCode(stack.timelock.address);
  const codeMatches = timelockCode !== "0x" && keccak256(timelockCode) === stack.timelock.bytecodeHash;
  let minDelay = 0;
  if (timelockCode === "0x") {
    findings.push({ subject: `timelock ${stack.timelock.address}`, expected: "a timelock", actual: "no code" });
  } else {
    if (!codeMatches) {
      findings.push({
        subject: "timelock code",
        expected: stack.timelock.bytecodeHash,
        actual: keccak256(timelockCode),
      });
    }
    if (compiled !== undefined) {
      await expectCompiledCode(
        "timelock compiled code",
        stack.timelock.address,
        stack.timelock.contract,
        timelockCode as Hex,
      );
    }
    minDelay = Number((await timelock.getMinDelay!()) as bigint);
    expect("timelock min delay", stack.timelock.minDelay, minDelay);
    const t = stack.timelock.address;
    await Promise.all([
      expectRole(timelock, "timelock", "DEFAULT_ADMIN", t, "the timelock itself", true),
      expectRole(timelock, "timelock", "PROPOSER", owners.address, "the owners Safe", true),
      expectRole(timelock, "timelock", "EXECUTOR", owners.address, "the owners Safe", true),
      expectRole(timelock, "timelock", "CANCELLER", owners.address, "the owners Safe", true),
      expectRole(timelock, "timelock", "CANCELLER", guardian.address, "the guardian Safe", true),
      ...(guardian.address === owners.address
        ? []
        : [
            expectRole(timelock, "timelock", "PROPOSER", guardian.address, "the guardian Safe", false),
            expectRole(timelock, "timelock", "EXECUTOR", guardian.address, "the guardian Safe", false),
          ]),
      ...outsiders.flatMap((account) =>
        (["DEFAULT_ADMIN", "PROPOSER", "EXECUTOR", "CANCELLER"] as const).map((role) =>
          expectRole(timelock, "timelock", role, account, `the deployer ${account}`, false),
        ),
      ),
    ]);
  }

  const proxies = await Promise.all(
    Object.entries(stack.proxies).map(async ([name, recorded]): Promise<ProxyStatus> => {
      const proxy = new Contract(recorded.address, GOVERNED_ABI, provider);
      const slot = await provider.getStorage(recorded.address, IMPLEMENTATION_SLOT);
      const implementation = getAddress(`0x${slot.slice(-40)}`) as Address;
      expect(`${name} implementation`, recorded.implementation, implementation);
      if (compiled !== undefined) {
        const code = (await provider.getCode(implementation)) as Hex;
        await expectCompiledCode(`${name} implementation compiled code`, implementation, recorded.contract, code);
      }
      const t = stack.timelock.address;
      const g = guardian.address;
      await Promise.all([
        expectRole(proxy, name, "DEFAULT_ADMIN", t, "the timelock", true),
        expectRole(proxy, name, "UPGRADER", t, "the timelock", true),
        expectRole(proxy, name, "PAUSER", g, "the guardian Safe", true),
        expectRole(proxy, name, "GUARDIAN", g, "the guardian Safe", true),
        ...(g === t
          ? []
          : [
              expectRole(proxy, name, "UPGRADER", g, "the guardian Safe", false),
              expectRole(proxy, name, "DEFAULT_ADMIN", g, "the guardian Safe", false),
            ]),
        ...outsiders.flatMap((account) =>
          (["DEFAULT_ADMIN", "UPGRADER", "PAUSER", "GUARDIAN"] as const).map((role) =>
            expectRole(proxy, name, role, account, `the deployer ${account}`, false),
          ),
        ),
      ]);
      const [paused, [target, deadline], window] = (await Promise.all([
        proxy.paused!(),
        proxy.rollbackTarget!(),
        proxy.rollbackWindow!(),
      ])) as [boolean, [string, bigint], bigint];
      const hasTarget = BigInt(target) !== 0n;
      return {
        name,
        address: recorded.address,
        contract: recorded.contract,
        implementation,
        paused,
        rollbackTarget: hasTarget ? (getAddress(target) as Address) : null,
        rollbackDeadline: hasTarget ? Number(deadline) : null,
        rollbackWindow: Number(window),
      };
    }),
  );

  return {
    network: stack.network,
    chainId: stack.chainId,
    safes,
    timelock: { address: stack.timelock.address, minDelay, codeMatches },
    proxies,
    findings,
    ok: findings.length === 0,
  };
}
