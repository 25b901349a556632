import { getSingletonFactoryInfo } from "@safe-global/safe-singleton-factory";
import { keccak256 } from "ethers";

import { create2Deployment, type Deployment, SINGLETON_FACTORY, ZERO_SALT } from "../chain/deploy-create2.js";
import { sendJournaled } from "../chain/send-journaled.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS, type SafeContractName } from "./safe-artifacts.js";

/**
 * Safe v1.4.1 at its canonical addresses: on public chains it already exists and nothing is
 * deployed; on a fresh chain each Safe contract is CREATE2-deployed through the singleton factory
 * (see {@link ensureSingletonFactory}). The contracts do not depend on each other.
 */
export function safeContractDeployments(): Deployment[] {
  return (Object.keys(SAFE_CONTRACTS) as SafeContractName[]).map((name) => {
    const artifact = loadSafeArtifact(name);
    const deployment = create2Deployment(
      `safe-contracts:${name}`,
      `Safe ${artifact.contractName}`,
      ZERO_SALT,
      artifact.bytecode,
    );
    if (deployment.address.toLowerCase() !== SAFE_CONTRACTS[name].address.toLowerCase()) {
      throw new ReleaseError(ERRORS.DEPLOY.FOREIGN_CODE, {
        address: deployment.address,
        contract: artifact.contractName,
      });
    }
    return deployment;
  });
}

/**
 * Code found at a canonical Safe address (per `codes`, from readCodes) is compared with the
 * artifact, so a chain where something else sits there is refused (RS2005) rather than trusted
 * with the team's funds.
 */
export function refuseForeignSafeCode(codes: Map<string, string>): void {
  for (const name of Object.keys(SAFE_CONTRACTS) as SafeContractName[]) {
    const { address, immutables } = SAFE_CONTRACTS[name];
    const code = codes.get(address.toLowerCase()) ?? "0x";
    const artifact = loadSafeArtifact(name);
    if (code !== "0x" && !immutables && keccak256(code) !== keccak256(artifact.deployedBytecode)) {
      throw new ReleaseError(ERRORS.DEPLOY.FOREIGN_CODE, { address, contract: `Safe ${artifact.contractName} 1.4.1` });
    }
  }
}

/** The canonical Safe contract addresses, by the names protocol-kit's `contractNetworks` uses. */
export function safeContractAddresses(): Record<SafeContractName, Address> {
  const addresses = {} as Record<SafeContractName, Address>;
  for (const name of Object.keys(SAFE_CONTRACTS) as SafeContractName[]) addresses[name] = SAFE_CONTRACTS[name].address;
  return addresses;
}

/**
 * The singleton factory every deployment goes through: on a fresh chain it is deployed from its
 * presigned transaction (its throw-away signer funded first); `code` is what is at its address now.
 *
 * JSON-RPC: on a fresh chain, eth_getBalance, one journaled transfer, eth_sendRawTransaction and
 * the receipt, eth_getCode.
 */
export async function ensureSingletonFactory(ctx: TxContext, chainId: number, code: string): Promise<void> {
  if (code !== "0x") return;
  const info = getSingletonFactoryInfo(chainId);
  if (info === undefined) throw new ReleaseError(ERRORS.DEPLOY.NO_SAFE_FACTORY, { chainId });
  const step = "safe-contracts:singleton-factory";
  ctx.onEvent({ type: "step-start", step, title: "Deploy the Safe singleton factory" });
  // The presigned transaction pays its own gas from a throw-away signer: fund exactly that.
  const cost = BigInt(info.gasPrice) * BigInt(info.gasLimit);
  const balance = await ctx.provider.getBalance(info.signerAddress);
  if (balance < cost) {
    const funding = await sendJournaled(ctx, `${step}:fund`, { to: info.signerAddress, value: cost - balance });
    ctx.onEvent({
      type: "step-done",
      step: `${step}:fund`,
      title: "Fund the Safe factory's presigned deployer",
      outcome: "sent",
      txHash: funding.hash as Hex,
      gasUsed: funding.gasUsed,
    });
  }
  const response = await ctx.provider.broadcastTransaction(info.transaction);
  const receipt = await response.wait();
  if ((await ctx.provider.getCode(SINGLETON_FACTORY)) === "0x") {
    throw new ReleaseError(ERRORS.DEPLOY.TX_FAILED, { step, hash: response.hash });
  }
  ctx.onEvent({
    type: "step-done",
    step,
    title: "Safe singleton factory",
    outcome: "sent",
    address: SINGLETON_FACTORY,
    txHash: response.hash as Hex,
    gasUsed: receipt?.gasUsed,
  });
}
