// Shared pieces of `scripts/bench.ts`: the section shape every benchmark returns, the printer,
// timing statistics and a chain scan that sees every transaction, whoever sent it.
import type { JsonRpcProvider } from "ethers";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import type { BenchSection } from "hardhat-release-safety/ui";

/** One printed table; src/ui prints them (benchView). */
export type Section = BenchSection;

export interface Bench {
  name: string;
  run: () => Promise<Section[]>;
}

/** Runs per variant: BENCH_RUNS, 3 by default. */
export function benchRuns(): number {
  const runs = Number(process.env.BENCH_RUNS ?? "3");
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);
  return runs;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const ms = (value: number): string => `${value.toFixed(0)} ms`;

type BlockReader = Pick<JsonRpcProvider, "getBlockNumber" | "getBlock" | "getTransactionReceipt">;

export interface MinedTx {
  hash: string;
  gasUsed: bigint;
  contractAddress: string | null;
}

/** Every transaction mined after block `after`, with its receipt's gas: counts what any code sent. */
export async function minedSince(provider: BlockReader, after: number): Promise<MinedTx[]> {
  const mined: MinedTx[] = [];
  const last = await provider.getBlockNumber();
  for (let n = after + 1; n <= last; n++) {
    const block = await provider.getBlock(n);
    for (const hash of block?.transactions ?? []) {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt !== null) mined.push({ hash, gasUsed: receipt.gasUsed, contractAddress: receipt.contractAddress });
    }
  }
  return mined;
}

export const totalGas = (txs: MinedTx[]): bigint => txs.reduce((sum, tx) => sum + tx.gasUsed, 0n);

/** Times `fn` and collects the transactions mined while it ran. */
export async function measure<T>(
  provider: BlockReader,
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T; txs: MinedTx[] }> {
  const startBlock = await provider.getBlockNumber();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  return { ms, value, txs: await minedSince(provider, startBlock) };
}

/** Runs `fn` on a brand-new in-process chain and closes it afterwards. */
export async function onFreshChain<T>(fn: (connection: NetworkConnection) => Promise<T>): Promise<T> {
  const connection = await hre.network.create();
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}
