// What a Safe{Wallet} user does, with the libraries the app is built on (protocol-kit and
// api-kit) and no code of this toolkit in the path: read the queue, check the hash, sign, confirm,
// execute. Keys are the well-known Hardhat test accounts.
import SafeModule, { EthSafeSignature } from "@safe-global/protocol-kit";
import { SigningMethod } from "@safe-global/types-kit";
import apiKitModule from "@safe-global/api-kit";
import { HDNodeWallet, Mnemonic, Wallet } from "ethers";

import { SAFE_CONTRACTS } from "../../src/core/safe/safe-artifacts.js";

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
      const signed = await kit.signTransaction(tx, SigningMethod.ETH_SIGN_TYPED_DATA_V4);
      await api.confirmTransaction(safeTxHash, signed.getSignature(owner)!.data);
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
