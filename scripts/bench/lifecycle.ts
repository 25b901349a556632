/**
 * The governed release lifecycle (deploy, upgrade through the timelock, emergency pause, instant
 * rollback) next to the plain OpenZeppelin flow doing the same to the same contracts with EOAs
 * holding the roles directly. Each measured run gets a fresh in-process chain; one untimed warm-up
 * round comes first. Gas comes from receipts, so it is the same in every run.
 */
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import type { TransactionResponse } from "ethers";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { deployStack, executeProposal, propose, signProposal } from "hardhat-release-safety/core";
import { createTypedDataSigner, listAccounts, openRuntime } from "hardhat-release-safety/runtime";
import { formatGas } from "hardhat-release-safety/ui";
import { benchRuns, measure, median, type MinedTx, ms, onFreshChain, type Section, totalGas } from "./lib.js";

const PHASES = ["deploy", "upgrade", "pause", "rollback"] as const;
type Phase = (typeof PHASES)[number];
const ROWS = [...PHASES, "total"] as const;
type Row = (typeof ROWS)[number];

/** One flow's run: wall time and mined transactions per phase, and the gas of the governed (or bare) calls. */
interface FlowRun {
  ms: Record<Row, number>;
  txs: Record<Row, MinedTx[]>;
  calls: Record<Phase, bigint>;
}
type Phases = Record<Phase, () => Promise<bigint>>;

/** Times each phase (each returns the gas of its governed or bare calls), then checks where the flow ended. */
async function runPhases(connection: NetworkConnection, phases: Phases, proxy: () => string): Promise<FlowRun> {
  const run = { ms: { total: 0 }, txs: { total: [] as MinedTx[] }, calls: {} } as FlowRun;
  for (const phase of PHASES) {
    const result = await measure(connection.ethers.provider, phases[phase]);
    [run.ms[phase], run.txs[phase], run.calls[phase]] = [result.ms, result.txs, result.value];
    run.ms.total += result.ms;
    run.txs.total.push(...result.txs);
  }
  const vault = await connection.ethers.getContractAt("VaultV1", proxy());
  if ((await vault.version()) !== "1.0.0" || !(await vault.paused())) throw new Error("flow did not end as intended");
  return run;
}

/** The toolkit: the core functions driven as the tasks drive them. Owners #1-#2 sign, guardian #4. */
async function governedFlow(connection: NetworkConnection): Promise<FlowRun> {
  const runtime = await openRuntime(hre, connection);
  const [ctx, tx] = [runtime.proposalContext(() => {}), await runtime.txContext(() => {})];
  const { checkUpgrade } = runtime;
  const accounts = await listAccounts(connection);
  const signTypedData = createTypedDataSigner(connection);
  const sign = async (proposal: string, signers: string[]) => {
    for (const signer of signers) await signProposal({ ctx, proposal, signer, accounts, signTypedData });
  };
  const owners = async (proposal: string) => sign(proposal, [accounts[1]!, accounts[2]!]);
  const guardian = async (proposal: string) => sign(proposal, [accounts[4]!]);
  const execute = async (proposal: string, urgent = false) => {
    const result = await executeProposal({ ctx, tx, proposal, urgent });
    return { ...result, gasUsed: result.gasUsed ?? 0n };
  };
  let vault = "";

  const phases: Phases = {
    deploy: async () => {
      const { stack } = await deployStack({
        network: runtime.network,
        config: runtime.networkConfig(),
        ctx: tx,
        artifacts: runtime.artifacts,
        validateImplementation: runtime.validateImplementation,
      });
      vault = stack.proxies.Vault!.address;
      return 0n;
    },
    upgrade: async () => {
      const options = { proxy: "Vault", implementation: "VaultV2", call: "initializeV2()" };
      const proposal = await propose({ ctx, kind: "upgrade", options, tx: async () => tx, checkUpgrade });
      await owners(proposal.id);
      const scheduled = await execute(proposal.id);
      await connection.networkHelpers.time.increaseTo(scheduled.eta!);
      await owners(proposal.id);
      return scheduled.gasUsed + (await execute(proposal.id)).gasUsed;
    },
    pause: async () => {
      const proposal = await propose({ ctx, kind: "pause", options: { proxy: "Vault" } });
      await guardian(proposal.id);
      return (await execute(proposal.id, true)).gasUsed;
    },
    rollback: async () => {
      const proposal = await propose({
        ctx,
        kind: "rollback",
        options: { proxy: "Vault", instant: true },
        checkUpgrade,
      });
      await guardian(proposal.id);
      return (await execute(proposal.id, true)).gasUsed;
    },
  };
  return runPhases(connection, phases, () => vault);
}

/** Plain OpenZeppelin: account #1 is the "timelock" (an EOA holding UPGRADER), #4 the guardian EOA. */
async function plainFlow(connection: NetworkConnection): Promise<FlowRun> {
  const config = hre.config.release.networks[connection.networkName];
  const initArgs = config?.proxies.Vault?.args;
  if (initArgs === undefined) throw new Error(`no Vault proxy configured for ${connection.networkName}`);
  const oz = await upgrades(hre, connection);
  const signers = await connection.ethers.getSigners();
  const [timelock, guardian] = [signers[1]!, signers[4]!];
  let [proxy, v1Implementation] = ["", ""];
  const gasOf = async (tx: Promise<TransactionResponse> | TransactionResponse) => (await (await tx).wait())!.gasUsed;
  const vault = () => connection.ethers.getContractAt("VaultV2", proxy, guardian);

  const phases: Phases = {
    deploy: async () => {
      const V1 = await connection.ethers.getContractFactory("VaultV1");
      const args = [timelock.address, guardian.address, config!.rollbackWindow, ...initArgs];
      proxy = await (await (await oz.deployProxy(V1, args, { kind: "uups" })).waitForDeployment()).getAddress();
      v1Implementation = await oz.erc1967.getImplementationAddress(proxy);
      return 0n;
    },
    upgrade: async () => {
      const V2 = await connection.ethers.getContractFactory("VaultV2", timelock);
      const upgraded = await oz.upgradeProxy(proxy, V2, { call: "initializeV2" });
      // OZ 4 hangs the upgrade transaction on the returned instance under its ethers v5 name.
      return gasOf((upgraded as unknown as { deployTransaction: TransactionResponse }).deployTransaction);
    },
    pause: async () => gasOf((await vault()).pause()),
    rollback: async () => gasOf((await vault()).upgradeToAndCall(v1Implementation, "0x")),
  };
  return runPhases(connection, phases, () => proxy);
}

export async function lifecycleBench(): Promise<Section[]> {
  const runs = benchRuns();
  const flows = { governed: [] as FlowRun[], plain: [] as FlowRun[] };
  for (let round = 0; round <= runs; round++) {
    const governed = await onFreshChain(governedFlow);
    const plain = await onFreshChain(plainFlow);
    if (round === 0) continue; // warm-up
    flows.governed.push(governed);
    flows.plain.push(plain);
  }
  const [gov, plain] = [flows.governed.at(-1)!, flows.plain.at(-1)!];

  const timeRows = ROWS.flatMap((row) =>
    (["governed", "plain"] as const).map((flow) => {
      const [values, txs] = [flows[flow].map((run) => run.ms[row]), flows[flow].at(-1)!.txs[row]];
      const label = `${row}: ${flow === "plain" ? "plain OZ" : flow}`;
      return [label, ms(median(values)), ms(Math.min(...values)), String(txs.length), formatGas(totalGas(txs))];
    }),
  );
  const signed = (gas: bigint) => `${gas >= 0n ? "+" : ""}${formatGas(gas)}`;
  const gasRow = (step: string, gov: bigint, bare: bigint) => [
    step,
    formatGas(gov),
    formatGas(bare),
    signed(gov - bare),
  ];
  const callRow = (step: string, phase: Phase) => gasRow(step, gov.calls[phase], plain.calls[phase]);
  const rest = (run: FlowRun) => totalGas(run.txs.upgrade) - run.calls.upgrade;

  return [
    {
      title: `Release lifecycle wall time (${runs} run${runs === 1 ? "" : "s"} per flow, fresh in-process chain each, after 1 warm-up)`,
      header: ["Phase: flow", "Median", "Min", "Txs", "Gas (all mined txs)"],
      rows: timeRows,
      notes: [
        "Governed: deployStack (singleton factory, Safe contracts, owners + guardian Safes, timelock, VaultV1 + proxy); upgrade = propose (deploys VaultV2 via CREATE2), 2 owner signatures, schedule, warp past the ETA, 2 signatures, execute; pause and instant rollback = propose, 1 guardian signature, execute.",
        "Plain OZ: deployProxy(VaultV1, uups) with EOAs as timelock (#1) and guardian (#4); upgradeProxy(VaultV2, call initializeV2) from #1; pause() and upgradeToAndCall(V1, 0x) from #4.",
        "Signatures are EIP-712, made off-chain: they cost time (and records I/O), never gas.",
      ],
    },
    {
      title: "Gas: each governed step next to the bare call it wraps (receipts, last measured run)",
      header: ["Step", "Governed", "Bare (plain OZ)", "Overhead"],
      rows: [
        callRow("upgrade: Safe->timelock schedule + execute / upgradeToAndCall", "upgrade"),
        callRow("pause: guardian Safe execTransaction / pause()", "pause"),
        callRow("rollback: guardian Safe execTransaction / upgradeToAndCall(V1)", "rollback"),
        gasRow("VaultV2 implementation deploy (rest of the upgrade phase)", rest(gov), rest(plain)),
      ],
      notes: [
        "The governed upgrade is two transactions, hours apart (the timelock delay), each a Safe execTransaction.",
        "The implementation deploys: the toolkit's goes through the CREATE2 factory, OZ's is a plain CREATE.",
        "Not in this table: the governance the toolkit deploys once (Safes, timelock): see the deploy phase above.",
      ],
    },
  ];
}
