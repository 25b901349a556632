import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import type { UpgradeChecker } from "../core/proposals/upgrade-checker.js";
import type { TypedDataSigner } from "../core/proposals/sign-proposal.js";
import type { Address } from "../core/records/stack-record.js";
import { SAFE_VERSION } from "../core/safe/safe-artifacts.js";

interface StorageOp {
  kind: string;
  original?: { label?: string };
  updated?: { label?: string };
  namespace?: string;
}

/**
 * OpenZeppelin's upgrade validation, reduced to what the core needs: storage deletions apart from
 * every other problem (see StorageCheck). Storage problems come as StorageUpgradeErrors carrying a
 * `report.ops` list; anything else it throws (unsafe code, not UUPS) is a problem as a whole.
 */
export function createUpgradeChecker(hre: HardhatRuntimeEnvironment, connection: NetworkConnection): UpgradeChecker {
  return async (fromContract, toContract) => {
    const oz = await upgrades(hre, connection);
    const from = await connection.ethers.getContractFactory(fromContract);
    const to = await connection.ethers.getContractFactory(toContract);
    try {
      await oz.validateUpgrade(from, to, { kind: "uups" });
      return { compatible: true, problems: [], deleted: [] };
    } catch (error) {
      const ops = (error as { report?: { ops?: StorageOp[] } }).report?.ops;
      if (ops === undefined) return { compatible: false, problems: [(error as Error).message], deleted: [] };
      const deleted = ops
        .filter((op) => op.kind === "delete" || op.kind === "delete-namespace")
        .map((op) => (op.kind === "delete-namespace" ? `namespace ${op.namespace}` : `variable ${op.original?.label}`));
      const problems = ops
        .filter((op) => op.kind !== "delete" && op.kind !== "delete-namespace")
        .map((op) => `${op.kind} ${op.updated?.label ?? op.original?.label ?? ""}`.trim());
      return { compatible: problems.length === 0, problems, deleted };
    }
  };
}

/**
 * EIP-712 signing of a Safe transaction with protocol-kit, through the network's provider: the
 * account's own handler signs (a local key from the keystore, a Ledger, the node's account).
 */
export function createTypedDataSigner(connection: NetworkConnection): TypedDataSigner {
  return async (signer, chainId, safe, tx) => {
    // Loaded when a signature is made: protocol-kit costs every command that does not sign ~0.5 s.
    const { generateEIP712Signature, SafeProvider } = await import("@safe-global/protocol-kit");
    const provider = new SafeProvider({ provider: connection.provider, signer });
    const signature = await generateEIP712Signature(provider, {
      safeAddress: safe,
      safeVersion: SAFE_VERSION,
      chainId: BigInt(chainId),
      data: tx,
    });
    return signature.data;
  };
}

export async function listAccounts(connection: NetworkConnection): Promise<Address[]> {
  const signers = await connection.ethers.getSigners();
  return signers.map((s) => getAddress(s.address) as Address);
}
