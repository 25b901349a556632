/**
 * `npm run bench`: what the release-safety toolkit costs compared with a plain OpenZeppelin
 * `deployProxy`, measured in one process, printed as tables. Informational only: nothing here
 * asserts on timing.
 *
 * Measured:
 *  - wall time of `deployStack` (driven exactly like `tasks/deploy/action.ts`: openRuntime,
 *    txContext, networkConfig, artifacts, validateImplementation) building the whole governed
 *    stack (singleton factory, Safe contracts, owners and guardian Safes, timelock, VaultV1
 *    implementation + proxy); of a second `deployStack` on the same chain (the idempotent re-run,
 *    which should send nothing); and of a plain `upgrades.deployProxy(VaultV1, { kind: "uups" })`;
 *  - gas of every step the core reports (`step-done` events), and of every transaction mined
 *    during each flow (a block scan, which also sees transactions no event reports).
 *
 * Why the comparison is fair: every measured run gets a FRESH in-process EDR chain of the same
 * type (`hre.network.create()`), both flows deploy the same VaultV1 artifact from the same build
 * with the same initializer arguments (the plain flow uses two EOAs as timelock and guardian), and
 * both run OpenZeppelin's UUPS validation. One untimed warm-up round (module loading, validation
 * caches) comes first, then the variants alternate. Chain creation is not timed. The two flows
 * differ on purpose: the toolkit deploys the governance around the vault too, via CREATE2.
 *
 * Later benchmarks (proposal lifecycle, RPC failover) add an entry to BENCHES returning Sections.
 */
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import type { EventSink, ReleaseEvent } from "hardhat-release-safety/core";
import { deployStack } from "hardhat-release-safety/core";
import { openRuntime } from "hardhat-release-safety/runtime";
import { benchView, formatGas, Output } from "hardhat-release-safety/ui";
import {
  benchRuns,
  type Bench,
  median,
  type MinedTx,
  ms,
  type Section,
  measure,
  totalGas,
  onFreshChain,
} from "./bench/lib.js";
import { blocksBench } from "./bench/deploy-blocks.js";
import { commandsBench } from "./bench/commands.js";
import { historyBench } from "./bench/history.js";
import { lifecycleBench } from "./bench/lifecycle.js";
import { rehearsalBench } from "./bench/rehearsal.js";
import { rpcBench } from "./bench/rpc.js";
import { serviceBench } from "./bench/service.js";
import { watchBench } from "./bench/watch.js";

/** The toolkit's deploy, wired the way the `release deploy` task wires it (minus the Reporter). */
async function governedDeploy(connection: NetworkConnection, onEvent: EventSink = () => {}) {
  const runtime = await openRuntime(hre, connection);
  return deployStack({
    network: runtime.network,
    config: runtime.networkConfig(),
    ctx: await runtime.txContext(onEvent),
    artifacts: runtime.artifacts,
    validateImplementation: runtime.validateImplementation,
  });
}

/** The same VaultV1 behind a UUPS proxy, the plain OpenZeppelin way, with the configured window and cap. */
async function plainDeploy(connection: NetworkConnection) {
  const config = hre.config.release.networks[connection.networkName];
  const vault = config?.proxies.Vault;
  if (config === undefined || vault === undefined)
    throw new Error(`no release config with a Vault proxy for ${connection.networkName}`);
  const oz = await upgrades(hre, connection);
  const [, timelock, guardian] = await connection.ethers.getSigners();
  if (timelock === undefined || guardian === undefined) throw new Error("the plain flow needs three accounts");
  const factory = await connection.ethers.getContractFactory("VaultV1");
  const initArgs = [timelock.address, guardian.address, config.rollbackWindow, ...vault.args];
  const proxy = await oz.deployProxy(factory, initArgs, { kind: "uups" });
  await proxy.waitForDeployment();
  const address = await proxy.getAddress();
  return { proxy: address, implementation: await oz.erc1967.getImplementationAddress(address) };
}

async function deployBench(): Promise<Section[]> {
  const runs = benchRuns();
  const times = { governed: [] as number[], rerun: [] as number[], plain: [] as number[] };
  let events: ReleaseEvent[] = [];
  let governedTxs: MinedTx[] = [];
  let rerunTxs: MinedTx[] = [];
  let plainTxs: MinedTx[] = [];
  let plainLabels = new Map<string, string>();

  for (let round = 0; round <= runs; round++) {
    const measured = round > 0; // round 0 warms up
    await onFreshChain(async (connection) => {
      const collected: ReleaseEvent[] = [];
      const provider = connection.ethers.provider;
      const first = await measure(provider, () => governedDeploy(connection, (event) => collected.push(event)));
      const second = await measure(provider, () => governedDeploy(connection));
      [events, governedTxs, rerunTxs] = [collected, first.txs, second.txs];
      if (measured) {
        times.governed.push(first.ms);
        times.rerun.push(second.ms);
      }
    });
    await onFreshChain(async (connection) => {
      const plain = await measure(connection.ethers.provider, () => plainDeploy(connection));
      plainTxs = plain.txs;
      plainLabels = new Map([
        [plain.value.implementation.toLowerCase(), "VaultV1 implementation"],
        [plain.value.proxy.toLowerCase(), "Vault proxy (OZ's prebuilt ERC1967Proxy, CREATE)"],
      ]);
      if (measured) times.plain.push(plain.ms);
    });
  }

  const timeRow = (name: string, values: number[], txs: MinedTx[]) => [
    name,
    ms(median(values)),
    ms(Math.min(...values)),
    String(txs.length),
    formatGas(totalGas(txs)),
  ];
  const steps = events.flatMap((e) => (e.type === "step-done" ? [e] : []));
  const stepGas = steps.reduce((sum, e) => sum + (e.gasUsed ?? 0n), 0n);
  const plainLabel = (tx: MinedTx) =>
    plainLabels.get(tx.contractAddress?.toLowerCase() ?? "") ?? `other tx ${tx.hash.slice(0, 10)}`;
  return [
    {
      title: `Deploy wall time (${runs} run${runs === 1 ? "" : "s"} per variant, fresh in-process chain each, after 1 warm-up)`,
      header: ["Variant", "Median", "Min", "Txs", "Gas (all mined txs)"],
      rows: [
        timeRow("Governed stack: deployStack", times.governed, governedTxs),
        timeRow("Re-run: deployStack on the same chain", times.rerun, rerunTxs),
        timeRow("Plain OZ: deployProxy(VaultV1, uups)", times.plain, plainTxs),
      ],
    },
    {
      title: "Deploy gas per step (last measured run)",
      header: ["Flow", "Step", "Outcome", "Gas"],
      rows: [
        ...steps.map((e) => ["governed", e.title, e.outcome, formatGas(e.gasUsed)]),
        ["governed", "total of step-done events", "", formatGas(stepGas)],
        ["governed", `total of all ${governedTxs.length} mined txs`, "", formatGas(totalGas(governedTxs))],
        ...plainTxs.map((tx) => ["plain OZ", plainLabel(tx), "sent", formatGas(tx.gasUsed)]),
        ["plain OZ", `total of all ${plainTxs.length} mined txs`, "", formatGas(totalGas(plainTxs))],
      ],
      notes: [
        "Directly comparable: the VaultV1 implementation rows (same bytecode; the toolkit adds the CREATE2 factory's overhead).",
        "The proxies differ: the toolkit deploys the project-compiled ERC1967Proxy via CREATE2, OZ its own prebuilt one via CREATE.",
        "The two governed totals agree when every mined transaction is reported by an event (a cross-check).",
      ],
    },
  ];
}

const BENCHES: Bench[] = [
  { name: "deploy", run: deployBench },
  { name: "lifecycle", run: lifecycleBench },
  { name: "rpc", run: rpcBench },
  { name: "commands", run: commandsBench },
  { name: "blocks", run: blocksBench },
  { name: "rehearsal", run: rehearsalBench },
  { name: "history", run: historyBench },
  { name: "service", run: serviceBench },
  { name: "watch", run: watchBench },
];

const output = new Output({ network: "default" });
const only = process.env.BENCH_ONLY?.split(",");
for (const bench of BENCHES.filter((b) => only === undefined || only.includes(b.name))) {
  output.result(benchView, { name: bench.name, sections: await bench.run() });
}
