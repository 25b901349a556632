// What a Safe{Wallet} user does, with the libraries the app is built on (protocol-kit and
// api-kit) and no code of this toolkit in the path: read the queue, check the hash, sign, confirm,
// execute. Keys are the well-known Hardhat test accounts.
import SafeModule, { buildContractSignature, buildSignatureBytes, EthSafeSignature } from "@safe-global/protocol-kit";
import { SigningMethod } from "@safe-global/types-kit";
import apiKitModule from "@safe-global/api-kit";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet } from "ethers";

import { SAFE_CONTRACTS } from "../../src/core/safe/safe-artifacts.js";
import type { SafeTx } from "../../src/core/safe/safe-tx.js";

// Both packages' types describe their CommonJS builds; Node loads their ES builds (see
// src/core/service/transaction-service.ts).
const Safe = ((SafeModule as { default?: unknown }).default ?? SafeModule) as typeof SafeModule.default;
const SafeApiKit = ((apiKitModule as { default?: unknown }).default ?? apiKitModule) as typeof apiKitModule.default;

const MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

/** The private key of Hardhat test account #index. */
export function testKey(index: number): string {
  return HDNodeWallet.fromMnemonic(MNEMONIC, `m/44'/60'/0'/0/${index}`).privateKey;
}

/** protocol-kit needs the canonical addresses spelled out on a local chain. */
export function contractNetworks(chainId: number) {
  return {
    [String(chainId)]: {
      safeSingletonAddress: SAFE_CONTRACTS.safeSingletonL2Address.address,
      safeProxyFactoryAddress: SAFE_CONTRACTS.safeProxyFactoryAddress.address,
      multiSendAddress: SAFE_CONTRACTS.multiSendAddress.address,
      multiSendCallOnlyAddress: SAFE_CONTRACTS.multiSendCallOnlyAddress.address,
      fallbackHandlerAddress: SAFE_CONTRACTS.fallbackHandlerAddress.address,
      signMessageLibAddress: SAFE_CONTRACTS.signMessageLibAddress.address,
      createCallAddress: SAFE_CONTRACTS.createCallAddress.address,
      simulateTxAccessorAddress: SAFE_CONTRACTS.simulateTxAccessorAddress.address,
    },
  };
}

/** protocol-kit on a Safe, signing with `key` (or read-only), over an EIP-1193 provider or a URL. */
export async function openSafe(
  provider: string | { request: (args: { method: string; params?: unknown[] }) => Promise<unknown> },
  safeAddress: string,
  chainId: number,
  key?: string,
) {
  return Safe.init({
    provider: provider as never,
    signer: key,
    safeAddress,
    contractNetworks: contractNetworks(chainId),
  });
}

/**
 * A Safe that test account `account` alone owns, deployed the way Safe{Wallet} deploys one
 * (protocol-kit's deployment transaction, with the canonical fallback handler that answers
 * EIP-1271's isValidSignature). Returns its address.
 */
export async function deploySafeOf(rpcUrl: string, chainId: number, account: number): Promise<string> {
  const key = testKey(account);
  const kit = await Safe.init({
    provider: rpcUrl,
    signer: key,
    predictedSafe: { safeAccountConfig: { owners: [new Wallet(key).address], threshold: 1 } },
    contractNetworks: contractNetworks(chainId),
  });
  const deployment = await kit.createSafeDeploymentTransaction();
  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true });
  const sent = await new Wallet(key, provider).sendTransaction({
    to: deployment.to,
    data: deployment.data,
    value: BigInt(deployment.value),
  });
  await sent.wait();
  provider.destroy();
  return kit.getAddress();
}

type SafeTransaction = Awaited<ReturnType<Awaited<ReturnType<typeof openSafe>>["createTransaction"]>>;

/**
 * As the app does for a nested Safe (`through`, which owns `safeAddress`): its owner signs the
 * parent's transaction as a message of the nested Safe, which becomes the nested Safe's contract
 * signature, encoded as the service takes it.
 */
async function signAsNested(
  options: { rpcUrl: string; chainId: number; safeAddress: string; account: number; through: string },
  tx: SafeTransaction,
): Promise<string> {
  const key = testKey(options.account);
  const nested = await openSafe(options.rpcUrl, options.through, options.chainId, key);
  const signed = await nested.signTransaction(tx, SigningMethod.SAFE_SIGNATURE, options.safeAddress);
  const contract = await buildContractSignature([signed.getSignature(new Wallet(key).address)!], options.through);
  return buildSignatureBytes([contract]);
}

/** The nested Safe's contract signature of a Safe transaction given field by field (protocol-kit). */
export async function nestedSafeSignature(
  options: { rpcUrl: string; chainId: number; safeAddress: string; account: number; through: string },
  safeTx: SafeTx,
): Promise<string> {
  const parent = await openSafe(options.rpcUrl, options.safeAddress, options.chainId, testKey(options.account));
  const { to, value, data, operation, ...rest } = safeTx;
  const tx = await parent.createTransaction({
    transactions: [{ to, value, data, operation }],
    options: rest,
    onlyCalls: false,
  });
  return signAsNested(options, tx);
}

export interface SafeWalletUser {
  /** Confirms the queued transaction: rebuilt from the service's fields, hash checked, signed as typed data. */
  confirm(safeTxHash: string): Promise<void>;
  /** Proposes a transaction of their own to the queue, signed by them. */
  propose(call: { to: string; data: string; nonce: number }): Promise<string>;
  /** Executes the queued transaction with the confirmations the service holds. */
  execute(safeTxHash: string): Promise<string>;
}

/** An owner of `safeAddress` using Safe{Wallet} against the node and the service at `serviceUrl`. */
export async function safeWalletUser(options: {
  rpcUrl: string;
  serviceUrl: string;
  apiKey?: string;
  safeAddress: string;
  chainId: number;
  account: number;
  /** The user owns this Safe, which owns `safeAddress`: they confirm in its name (EIP-1271). */
  through?: string;
}): Promise<SafeWalletUser> {
  const key = testKey(options.account);
  const owner = new Wallet(key).address;
  const kit = await openSafe(options.rpcUrl, options.safeAddress, options.chainId, key);
  const api = new SafeApiKit({
    chainId: BigInt(options.chainId),
    txServiceUrl: options.serviceUrl,
    apiKey: options.apiKey,
  });
  const rebuild = async (safeTxHash: string) => {
    const queued = await api.getTransaction(safeTxHash);
    const tx = await kit.createTransaction({
      transactions: [{ to: queued.to, value: queued.value, data: queued.data ?? "0x", operation: queued.operation }],
      options: {
        nonce: Number(queued.nonce),
        safeTxGas: queued.safeTxGas,
        baseGas: queued.baseGas,
        gasPrice: queued.gasPrice,
        gasToken: queued.gasToken,
        refundReceiver: queued.refundReceiver,
      },
      onlyCalls: false,
    });
    if ((await kit.getTransactionHash(tx)) !== safeTxHash) throw new Error("the app would show another hash");
    return { queued, tx };
  };
  return {
    async confirm(safeTxHash) {
      const { tx } = await rebuild(safeTxHash);
      if (options.through === undefined) {
        const signed = await kit.signTransaction(tx, SigningMethod.ETH_SIGN_TYPED_DATA_V4);
        await api.confirmTransaction(safeTxHash, signed.getSignature(owner)!.data);
        return;
      }
      await api.confirmTransaction(safeTxHash, await signAsNested({ ...options, through: options.through }, tx));
    },
    async propose(call) {
      const tx = await kit.createTransaction({
        transactions: [{ to: call.to, value: "0", data: call.data }],
        options: { nonce: call.nonce },
      });
      const safeTxHash = await kit.getTransactionHash(tx);
      const signed = await kit.signTransaction(tx, SigningMethod.ETH_SIGN_TYPED_DATA_V4);
      await api.proposeTransaction({
        safeAddress: options.safeAddress,
        safeTransactionData: signed.data,
        safeTxHash,
        senderAddress: owner,
        senderSignature: signed.getSignature(owner)!.data,
        origin: "Safe{Wallet}",
      });
      return safeTxHash;
    },
    async execute(safeTxHash) {
      const { queued, tx } = await rebuild(safeTxHash);
      for (const c of queued.confirmations ?? []) tx.addSignature(new EthSafeSignature(c.owner, c.signature));
      // The node mines on arrival: the transaction is in a block when this returns.
      return (await kit.executeTransaction(tx)).hash;
    },
  };
}
