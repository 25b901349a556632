// What other people do on the chain, outside the toolkit: Safe owners who sign and execute in the
// Safe app (plain EIP-712 signatures and execTransaction), and accounts impersonated on a hardhat
// node to stand for a compromised or careless key holder.
import { Contract, JsonRpcProvider, JsonRpcSigner } from "ethers";

import type { Address, Hex } from "../../src/core/records/stack-record.js";
import { loadSafeArtifact } from "../../src/core/safe/safe-artifacts.js";
import {
  encodeExecTransaction,
  encodeSignatures,
  newSafeTx,
  type SafeSignature,
  type SafeTx,
} from "../../src/core/safe/safe-tx.js";
import type { LoopbackNode } from "./loopback.js";
import { signSafeTx } from "./safe-typed-data.js";

export const SAFE_ABI = loadSafeArtifact("safeSingletonAddress").abi;

/** A signer for `address` on the node: one of its unlocked accounts, or an impersonated, funded one. */
export async function actAs(node: LoopbackNode, address: string): Promise<{ signer: JsonRpcSigner; done: () => void }> {
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  await node.rpc("hardhat_impersonateAccount", [address]);
  await node.rpc("hardhat_setBalance", [address, "0xde0b6b3a7640000"]);
  return { signer: new JsonRpcSigner(provider, address), done: () => provider.destroy() };
}

/** Sends `data` to `to` as `from` (impersonated), and waits for it. */
export async function sendAs(node: LoopbackNode, from: string, to: string, data: string): Promise<string> {
  const { signer, done } = await actAs(node, from);
  try {
    const response = await signer.sendTransaction({ to, data });
    await response.wait();
    return response.hash;
  } finally {
    done();
  }
}

/** The Safe's next nonce, read from the node. */
export async function safeNonce(node: LoopbackNode, safe: string): Promise<number> {
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
  try {
    return Number((await new Contract(safe, SAFE_ABI as never, provider).nonce!()) as bigint);
  } finally {
    provider.destroy();
  }
}

/** EIP-712 signatures of `tx` by each owner, as the Safe app collects them. */
export async function signOutside(
  node: LoopbackNode,
  safe: string,
  tx: SafeTx,
  owners: string[],
): Promise<SafeSignature[]> {
  const chainId = Number(await node.rpc<string>("eth_chainId"));
  const signatures: SafeSignature[] = [];
  for (const owner of owners) {
    const { signer, done } = await actAs(node, owner);
    try {
      const data = await signSafeTx(signer, chainId, safe, tx);
      signatures.push({ signer: owner as Address, data, kind: "eip712" });
    } finally {
      done();
    }
  }
  return signatures;
}

/**
 * A Safe transaction signed by `owners` and executed with a plain execTransaction by the first of
 * them: what the Safe{Wallet} app sends. Returns the transaction hash.
 */
export async function executeOutside(
  node: LoopbackNode,
  safe: string,
  call: { to: string; data: string; nonce?: number; safeTxGas?: string },
  owners: string[],
): Promise<string> {
  const tx = newSafeTx({
    to: call.to as Address,
    data: call.data as Hex,
    nonce: call.nonce ?? (await safeNonce(node, safe)),
    ...(call.safeTxGas === undefined ? {} : { safeTxGas: call.safeTxGas }),
  });
  const signatures = await signOutside(node, safe, tx, owners);
  return sendAs(node, owners[0]!, safe, encodeExecTransaction(tx, encodeSignatures(signatures)));
}
