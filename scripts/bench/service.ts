// `npm run bench`, Transaction Service section: `release push` and `release pull` against the
// loopback stand-in of the Safe Transaction Service (test/helpers/transaction-service.ts) with
// 50 ms added to every request, next to what a team would otherwise script with api-kit alone
// (one proposeTransaction; one getTransaction, merged unchecked), in the same run. Requests are
// counted by the stand-in; both sides use the same node, proposal and signatures.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import apiKitModule from "@safe-global/api-kit";
import hre from "hardhat";

import {
  deployStack,
  openRecords,
  propose,
  pullConfirmations,
  pushProposal,
  signProposal,
  TransactionService,
} from "hardhat-release-safety/core";
import { createTypedDataSigner, listAccounts, openRuntime } from "hardhat-release-safety/runtime";
import { startTransactionService } from "../../test/helpers/transaction-service.js";
import { benchRuns, median, ms, type Section } from "./lib.js";
import { LATENCY_MS, startNode } from "./loopback.js";

const SafeApiKit = ((apiKitModule as { default?: unknown }).default ?? apiKitModule) as typeof apiKitModule.default;
const OWNER_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OWNER_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

export async function serviceBench(): Promise<Section[]> {
  const runs = benchRuns();
  const node = await startNode();
  const connection = await hre.network.create({ network: "localhost", override: { url: node.url } });
  const service = await startTransactionService(node.url);
  try {
    const runtime = await openRuntime(hre, connection);
    const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-bench-service-")));
    const tx = async () => ({ ...(await runtime.txContext(() => {})), records });
    const ctx = { ...runtime.proposalContext(() => {}), records };
    await deployStack({
      network: runtime.network,
      config: runtime.networkConfig(),
      ctx: await tx(),
      artifacts: runtime.artifacts,
      validateImplementation: runtime.validateImplementation,
    });
    const accounts = await listAccounts(connection);
    const signTypedData = createTypedDataSigner(connection);
    const proposal = await propose({
      ctx,
      kind: "upgrade",
      options: { proxy: "Vault", implementation: "VaultV2", call: "initializeV2()" },
      tx,
      checkUpgrade: runtime.checkUpgrade,
    });
    const signed = await signProposal({ ctx, proposal: proposal.id, signer: OWNER_1, accounts, signTypedData });
    const other = await signTypedData(OWNER_2, proposal.chainId, proposal.safe.address, proposal.phases[0]!.safeTx!);
    const phase = signed.proposal.phases[0]!;
    const safeTxHash = phase.hashes!.safeTxHash;
    const client = await TransactionService.open("localhost", proposal.chainId, { url: service.url });
    const kit = new SafeApiKit({ chainId: BigInt(proposal.chainId), txServiceUrl: service.url });
    service.misbehave({ delayMs: LATENCY_MS });

    // OWNER_2's confirmation waits in the queue for each pull; the file is put back after each.
    const queued = async () => {
      service.transactions.clear();
      await kit.proposeTransaction({
        safeAddress: proposal.safe.address,
        safeTransactionData: phase.safeTx!,
        safeTxHash,
        senderAddress: OWNER_1,
        senderSignature: phase.signatures[0]!.data,
      });
      await kit.confirmTransaction(safeTxHash, other);
    };
    const variants = {
      push: {
        label: "toolkit: release push (checked: hashes, signatures, review gate, the queue's copy)",
        before: async () => {
          service.transactions.clear();
          await records.writeProposal(signed.proposal);
        },
        run: () => pushProposal({ ctx, service: client, proposal: proposal.id }),
      },
      plainPush: {
        label: "api-kit alone: proposeTransaction (nothing checked)",
        before: async () => service.transactions.clear(),
        run: () =>
          kit.proposeTransaction({
            safeAddress: proposal.safe.address,
            safeTransactionData: phase.safeTx!,
            safeTxHash,
            senderAddress: OWNER_1,
            senderSignature: phase.signatures[0]!.data,
          }),
      },
      pull: {
        label: "toolkit: release pull (each confirmation recovered and checked against the owners)",
        before: async () => {
          await queued();
          await records.writeProposal(signed.proposal);
        },
        run: () => pullConfirmations({ ctx, service: client, proposal: proposal.id }),
      },
      plainPull: {
        label: "api-kit alone: getTransaction, confirmations taken as they come",
        before: queued,
        run: () => kit.getTransaction(safeTxHash),
      },
    };
    const results = Object.fromEntries(Object.keys(variants).map((k) => [k, { times: [] as number[], requests: 0 }]));
    for (let round = 0; round <= runs; round++) {
      for (const [name, variant] of Object.entries(variants)) {
        service.misbehave({});
        await variant.before();
        service.misbehave({ delayMs: LATENCY_MS });
        const before = service.requests.length;
        const start = performance.now();
        await variant.run();
        const elapsed = performance.now() - start;
        if (round === 0) continue; // warm-up
        results[name]!.times.push(elapsed);
        results[name]!.requests = service.requests.length - before;
      }
    }
    return [
      {
        title: `Safe Transaction Service: push and pull through a loopback stand-in with ${LATENCY_MS} ms per request (median of ${runs})`,
        header: ["Command", "HTTP requests", "Wall time"],
        rows: Object.entries(variants).map(([name, v]) => [
          v.label,
          String(results[name]!.requests),
          ms(median(results[name]!.times)),
        ]),
        notes: [
          "The toolkit's push reads the queue first (so a second push sends nothing) and runs the same review as `release sign` on the local node; its pull recovers each confirmation from the recomputed safeTxHash and reads the owners from the chain.",
          "The api-kit rows are what a script built on Safe's examples does: it trusts the service's hash and confirmations.",
        ],
      },
    ];
  } finally {
    await service.stop();
    await connection.close();
    await node.stop();
  }
}
