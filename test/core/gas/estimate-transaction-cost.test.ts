import { expect } from "chai";
import { AbiCoder } from "ethers";

import { ReleaseError } from "../../../src/core/errors.js";
import { createFeeStrategy } from "../../../src/core/gas/create-fee-strategy.js";
import {
  estimateTransactionCost,
  FALLBACK_TIP,
  OP_GAS_PRICE_ORACLE,
} from "../../../src/core/gas/estimate-transaction-cost.js";
import { readTransactionInput } from "../../../src/core/gas/read-transaction-input.js";
import { resolveFeePolicy } from "../../../src/core/gas/resolve-fee-policy.js";
import { validateReleaseConfig } from "../../../src/core/config/release-config.js";

const GWEI = 1_000_000_000n;
const hex = (n: bigint) => `0x${n.toString(16)}`;
const TX = {
  from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  data: "0x",
} as const;

interface ChainOptions {
  baseFee?: bigint;
  tips?: bigint[];
  gasUsedRatio?: number[];
  legacy?: boolean;
  opStack?: boolean;
  reverts?: boolean;
}

/** A fake chain answering the estimator's requests; records what it was asked. */
function chain(options: ChainOptions = {}) {
  const asked: string[] = [];
  const baseFee = options.baseFee ?? 10n * GWEI;
  const tips = options.tips ?? [1n * GWEI, 2n * GWEI, 3n * GWEI];
  const rpc = {
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      asked.push(method);
      switch (method) {
        case "eth_estimateGas":
          if (options.reverts === true) throw Object.assign(new Error("execution reverted: Nope"), { code: 3 });
          return hex(100_000n);
        case "eth_feeHistory":
          if (options.legacy === true) throw new Error("the method eth_feeHistory does not exist");
          return {
            oldestBlock: "0x1",
            baseFeePerGas: [...tips.map(() => hex(baseFee)), hex(baseFee)],
            gasUsedRatio: options.gasUsedRatio ?? tips.map(() => 0.5),
            reward: tips.map((tip) => [hex(tip), hex(tip * 10n)]),
          };
        case "eth_getCode":
          return options.opStack === true ? "0x6080" : "0x";
        case "eth_gasPrice":
          return hex(7n * GWEI);
        case "eth_call":
          expect((params![0] as { to: string }).to).to.equal(OP_GAS_PRICE_ORACLE);
          return AbiCoder.defaultAbiCoder().encode(["uint256"], [12_345n]);
        default:
          throw new Error(`unexpected ${method}`);
      }
    },
  };
  return { rpc, asked };
}

const policy = resolveFeePolicy(undefined);

describe("estimateTransactionCost", function () {
  it("L1: gas limit with a 20% buffer, 2 x next base fee + median tip, in three requests", async function () {
    const { rpc, asked } = chain();
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy });
    expect(estimate.gasLimit).to.equal(120_000n);
    expect(estimate.fees).to.deep.equal({
      type: "eip1559",
      nextBaseFee: 10n * GWEI,
      maxPriorityFeePerGas: 2n * GWEI,
      maxFeePerGas: 22n * GWEI,
    });
    expect(estimate.maxCost).to.equal(120_000n * 22n * GWEI);
    expect(estimate.expectedCost).to.equal(100_000n * 12n * GWEI);
    expect(estimate.requests).to.equal(3);
    expect(asked.sort()).to.deep.equal(["eth_estimateGas", "eth_feeHistory", "eth_getCode"]);
  });

  it("learns tips only from blocks that had transactions, with a fallback when none had", async function () {
    const { rpc } = chain({ tips: [0n, 0n], gasUsedRatio: [0, 0] });
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy });
    expect(estimate.fees).to.include({ maxPriorityFeePerGas: FALLBACK_TIP });
  });

  it("does not learn a tip from blocks with room to spare: a lone 99 gwei bidder is not the market", async function () {
    // A quiet chain where the only payers were a presigned deployment (100 gwei) and blocks barely used.
    const quiet = chain({ tips: [99n * GWEI, 99n * GWEI, 99n * GWEI], gasUsedRatio: [0.17, 0.2, 0.07] });
    expect((await estimateTransactionCost({ rpc: quiet.rpc, tx: TX, policy })).fees).to.include({
      maxPriorityFeePerGas: FALLBACK_TIP,
    });
    // Contested blocks teach their tips as they are, however high.
    const busy = chain({ tips: [99n * GWEI, 99n * GWEI, 99n * GWEI], gasUsedRatio: [0.9, 0.95, 0.99] });
    expect((await estimateTransactionCost({ rpc: busy.rpc, tx: TX, policy })).fees).to.include({
      maxPriorityFeePerGas: 99n * GWEI,
    });
  });

  it("OP Stack: adds the L1 data fee from the GasPriceOracle, in four requests", async function () {
    const { rpc } = chain({ opStack: true });
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy });
    expect(estimate.l1DataFee).to.equal(12_345n);
    expect(estimate.maxCost).to.equal(120_000n * 22n * GWEI + 12_345n);
    expect(estimate.requests).to.equal(4);
  });

  it("chains without a base fee: eth_gasPrice", async function () {
    const { rpc } = chain({ legacy: true });
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy });
    expect(estimate.fees).to.deep.equal({ type: "legacy", gasPrice: 7n * GWEI });
  });

  it("lowers maxFeePerGas to the cap when the fee needed now is below it", async function () {
    const { rpc } = chain();
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy: { ...policy, maxFeePerGas: 15n * GWEI } });
    expect(estimate.policy.verdict).to.equal("capped");
    expect(estimate.fees).to.include({ maxFeePerGas: 15n * GWEI });
  });

  it("reports 'refused' when the fee needed now is above the cap", async function () {
    const { rpc } = chain();
    const estimate = await estimateTransactionCost({ rpc, tx: TX, policy: { ...policy, maxFeePerGas: 11n * GWEI } });
    expect(estimate.policy).to.deep.include({ verdict: "refused", neededFeePerGas: 12n * GWEI });
  });

  it("--max-fee replaces the configured cap for one run", async function () {
    const { rpc } = chain();
    const estimate = await estimateTransactionCost({
      rpc,
      tx: TX,
      policy: { ...policy, maxFeePerGas: 11n * GWEI },
      override: { maxFeePerGas: 50n * GWEI },
    });
    expect(estimate.policy.verdict).to.equal("ok");
  });

  it("urgent: no cap, and the high tip percentile", async function () {
    const { rpc } = chain();
    const estimate = await estimateTransactionCost({
      rpc,
      tx: TX,
      policy: { ...policy, maxFeePerGas: 1n },
      override: { urgent: true },
    });
    expect(estimate.policy.verdict).to.equal("urgent");
    expect(estimate.fees).to.include({ maxPriorityFeePerGas: 20n * GWEI });
  });

  it("a revert found by eth_estimateGas is RS5102", async function () {
    const { rpc } = chain({ reverts: true });
    const error = await estimateTransactionCost({ rpc, tx: TX, policy }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS5102");
  });

  it("the fee strategy refuses a transaction above the cap with RS5101", async function () {
    const { rpc } = chain();
    const strategy = createFeeStrategy({ network: "mainnet", rpc, policy: { ...policy, maxFeePerGas: 11n * GWEI } });
    const error = await strategy.plan("deploy timelock", TX).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ReleaseError.is(error) && error.code).to.equal("RS5101");
    expect(String(error)).to.contain("the chain is congested".replace("the", "The"));
  });
});

describe("readTransactionInput (release gas arguments)", function () {
  const bad: Array<[string, Parameters<typeof readTransactionInput>[0]]> = [
    ["a missing --to", {}],
    ["a --to that is not an address", { to: "0x1234" }],
    ["odd-length --data", { to: TX.to, data: "0x123" }],
    ["--data without 0x", { to: TX.to, data: "abcd" }],
    ["a negative --value", { to: TX.to, value: "-1" }],
    ["a decimal --value", { to: TX.to, value: "1.5" }],
    ["a --from that is not an address", { to: TX.to, from: "alice" }],
  ];
  for (const [name, input] of bad) {
    it(`refuses ${name} (RS5103)`, function () {
      let error: unknown;
      try {
        readTransactionInput(input);
      } catch (e) {
        error = e;
      }
      expect(ReleaseError.is(error) && error.code).to.equal("RS5103");
    });
  }
  it("accepts a well-formed transaction", function () {
    expect(readTransactionInput({ to: TX.to, data: "0xabcd", value: "10" })).to.deep.equal({
      to: TX.to,
      data: "0xabcd",
      value: 10n,
    });
  });
});

describe("release.networks.<name>.fees and .rpc in the config", function () {
  const base = {
    owners: { owners: [TX.from], threshold: 1 },
    guardian: { owners: [TX.to], threshold: 1 },
    timelock: { minDelay: 3600 },
    rollbackWindow: 3600,
    proxies: {},
  };
  const issues = (extra: object) => validateReleaseConfig({ networks: { mainnet: { ...base, ...extra } } });

  it("accepts a cap in gwei or wei, and failover tuning", function () {
    expect(issues({ fees: { maxFeePerGas: "150 gwei", gasLimitBuffer: 30 }, rpc: { timeout: 3000 } })).to.deep.equal(
      [],
    );
    expect(issues({ fees: { maxFeePerGas: "150000000000" } })).to.deep.equal([]);
  });
  it("refuses a cap that is not an amount (RS1002)", function () {
    expect(issues({ fees: { maxFeePerGas: "a lot" } }).map((i) => i.code)).to.deep.equal(["RS1002"]);
  });
  it("refuses fractions of wei (RS1002)", function () {
    expect(issues({ fees: { maxFeePerGas: "1.5 wei" } }).map((i) => i.code)).to.deep.equal(["RS1002"]);
  });
  it("refuses an unknown fee key (RS1002)", function () {
    expect(issues({ fees: { maxGas: 1 } }).map((i) => i.code)).to.deep.equal(["RS1002"]);
  });
  it("refuses a zero timeout (RS1002)", function () {
    expect(issues({ rpc: { timeout: 0 } }).map((i) => i.code)).to.deep.equal(["RS1002"]);
  });
});
