// `npm run bench`, blocks section: how many blocks a fresh deploy of the example stack waits on a
// node that mines a block every 2 seconds (as a real chain does, only faster), against the same
// transactions sent the way a hand-written deploy script sends them: each awaited before the next.
//
// Fairness: both run on a fresh `hardhat node` with the same interval mining and the same account.
// The baseline replays exactly the transactions the toolkit's deploy put on chain (same senders,
// targets, data, value and gas limits, in the same order), so the only difference is the waiting.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getSingletonFactoryInfo } from "@safe-global/safe-singleton-factory";

import { ms, type Section } from "./lib.js";
import { BENCH_NETWORK, benchCli, rpcCall, startNode } from "./loopback.js";

const BLOCK_MS = 2_000;

type RpcTx = { hash: string; from: string; to: string | null; input: string; value: string; gas: string };
type Receipt = { blockNumber: string } | null;

async function intervalNode() {
  const node = await startNode();
  await rpcCall(node.url, "evm_setAutomine", [false]);
  await rpcCall(node.url, "evm_setIntervalMining", [BLOCK_MS]);
  return node;
}

async function receiptOf(url: string, hash: string): Promise<number> {
  for (;;) {
    const receipt = (await rpcCall(url, "eth_getTransactionReceipt", [hash])) as Receipt;
    if (receipt !== null) return Number(receipt.blockNumber);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `release deploy` as users type it; returns the transactions it put on chain, in order. */
async function toolkitDeploy(url: string): Promise<{ txs: RpcTx[]; blocks: number[]; ms: number }> {
  const records = await mkdtemp(path.join(tmpdir(), "release-safety-bench-blocks-"));
  const { ms: elapsed } = await benchCli(["release", "deploy"], {
    RELEASE_TEST_RPC_URL: url,
    RELEASE_TEST_RECORDS_DIR: records,
  });
  const journal = (await readFile(path.join(records, BENCH_NETWORK, "journal.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { type: string; block?: number });
  const mined = journal.flatMap((e) => (e.type === "mined" ? [e.block!] : []));
  const [first, last] = [Math.min(...mined), Math.max(...mined)];
  const txs: RpcTx[] = [];
  const blocks: number[] = [];
  for (let n = first; n <= last; n++) {
    const block = (await rpcCall(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, true])) as {
      transactions: RpcTx[];
    };
    txs.push(...block.transactions);
    blocks.push(...block.transactions.map(() => n));
  }
  return { txs, blocks, ms: elapsed };
}

/** The same transactions, each sent once the one before it is mined. */
async function oneAtATime(url: string, txs: RpcTx[]): Promise<{ blocks: number[]; ms: number }> {
  const presigned = getSingletonFactoryInfo(31337)!.transaction;
  const blocks: number[] = [];
  const start = performance.now();
  for (const tx of txs) {
    const deployer = tx.from.toLowerCase() === "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    const hash = deployer
      ? ((await rpcCall(url, "eth_sendTransaction", [
          { from: tx.from, to: tx.to ?? undefined, data: tx.input, value: tx.value, gas: tx.gas },
        ])) as string)
      : ((await rpcCall(url, "eth_sendRawTransaction", [presigned])) as string);
    blocks.push(await receiptOf(url, hash));
  }
  return { blocks, ms: performance.now() - start };
}

const span = (blocks: number[]) => Math.max(...blocks) - Math.min(...blocks) + 1;

export async function blocksBench(): Promise<Section[]> {
  const toolkitNode = await intervalNode();
  const baselineNode = await intervalNode();
  try {
    const toolkit = await toolkitDeploy(toolkitNode.url);
    const baseline = await oneAtATime(baselineNode.url, toolkit.txs);
    return [
      {
        title: `A fresh deploy of the example stack on a node mining a block every ${BLOCK_MS / 1000} s`,
        header: ["Variant", "Transactions", "Blocks holding them", "Blocks waited (first to last)", "Wall time"],
        rows: [
          [
            "release deploy (independent transactions sent together)",
            String(toolkit.txs.length),
            String(new Set(toolkit.blocks).size),
            String(span(toolkit.blocks)),
            ms(toolkit.ms),
          ],
          [
            "the same transactions, each awaited before the next",
            String(toolkit.txs.length),
            String(new Set(baseline.blocks).size),
            String(span(baseline.blocks)),
            ms(baseline.ms),
          ],
        ],
        notes: [
          "The deploy's four groups: funding the Safe factory's presigned deployer; the factory; Safe's contracts, the timelock and the implementations; the Safes and the proxies.",
          "Its wall time includes the CLI's start (about 2 s), its checks before sending and the on-chain check of the result after; the baseline's is sending and waiting only.",
        ],
      },
    ];
  } finally {
    await toolkitNode.stop();
    await baselineNode.stop();
  }
}
