import { getSingletonFactoryInfo } from "@safe-global/safe-singleton-factory";
import { keccak256 } from "ethers";

import { deployCreate2, SINGLETON_FACTORY, ZERO_SALT } from "../chain/deploy-create2.js";
import { sendJournaled } from "../chain/send-journaled.js";
import type { TxContext } from "../chain/tx-context.js";
import { ERRORS, ReleaseError } from "../errors.js";
import type { Address, Hex } from "../records/stack-record.js";
import { loadSafeArtifact, SAFE_CONTRACTS, type SafeContractName } from "./safe-artifacts.js";

/**
 * Makes sure Safe v1.4.1 exists at its canonical addresses: on public chains it already does and
 * nothing is sent; on a fresh chain the singleton factory is deployed from its presigned
 * transaction and each Safe contract is CREATE2-deployed through it.
 *
 * Code found at a canonical address is compared with the artifact, so a chain where something
 * else sits there is refused (RS2005) rather than trusted with the team's funds.
 *
 * JSON-RPC: eth_getCode per contract; on a fresh chain also eth_sendRawTransaction and the calls
 * of one journaled transfer.
 */
export async function ensureSafeContracts(ctx: TxContext, chainId: number): Promise<Record<SafeContractName, Address>> {
  await ensureSingletonFactory(ctx, chainId);
  const addresses = {} as Record<SafeContractName, Address>;
  for (const [name, { address, immutables }] of Object.entries(SAFE_CONTRACTS) as Array<
    [SafeContractName, (typeof SAFE_CONTRACTS)[SafeContractName]]
  >) {
    const artifact = loadSafeArtifact(name);
    const code = await ctx.provider.getCode(address);
    if (code === "0x") {
      const result = await deployCreate2(
        ctx,
        `safe-contracts:${name}`,
        `Safe ${artifact.contractName}`,
        ZERO_SALT,
        artifact.bytecode,
      );
      if (result.address.toLowerCase() !== address.toLowerCase()) {
        throw new ReleaseError(ERRORS.DEPLOY.FOREIGN_CODE, {
          address: result.address,
          contract: artifact.contractName,
        });
      }
    } else if (!immutables && keccak256(code) !== keccak256(artifact.deployedBytecode)) {
      throw new ReleaseError(ERRORS.DEPLOY.FOREIGN_CODE, { address, contract: `Safe ${artifact.contractName} 1.4.1` });
    }
    addresses[name] = address;
  }
  return addresses;
}

async function ensureSingletonFactory(ctx: TxContext, chainId: number): Promise<void> {
  if ((await ctx.provider.getCode(SINGLETON_FACTORY)) !== "0x") return;
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
