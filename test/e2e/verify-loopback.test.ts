import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import type { StackRecord } from "../../src/core/records/stack-record.js";
import type { CheckStackCodeResult } from "../../src/core/verify/check-stack-code.js";
import type { VerifyStackResult } from "../../src/core/verify/verify-stack.js";
import { EXPLORER_CHAIN_ID } from "../fixtures/loopback.config.js";
import { startEtherscanStandIn, startSourcifyStandIn, type ExplorerStandIn } from "../helpers/explorers.js";
import { startLoopbackNode, type LoopbackNode } from "../helpers/loopback.js";

const API_KEY = "loopback-etherscan-key";
const NOWHERE = "http://127.0.0.1:9"; // nothing listens: an explorer that is down

describe("release verify against loopback explorer stand-ins", function () {
  this.timeout(180_000);

  let node: LoopbackNode;
  let etherscan: ExplorerStandIn;
  let blockscout: ExplorerStandIn;
  let sourcify: ExplorerStandIn;

  before(async function () {
    etherscan = await startEtherscanStandIn({ chainId: EXPLORER_CHAIN_ID, apiKey: API_KEY });
    blockscout = await startEtherscanStandIn();
    sourcify = await startSourcifyStandIn();
    // hardhat-verify refuses development chain ids: the node runs a chain the explorers "know".
    node = await startLoopbackNode({
      chainId: EXPLORER_CHAIN_ID,
      env: {
        RELEASE_TEST_ETHERSCAN_URL: etherscan.url,
        RELEASE_TEST_BLOCKSCOUT_URL: blockscout.url,
        RELEASE_TEST_SOURCIFY_URL: sourcify.url,
        RELEASE_TEST_ETHERSCAN_KEY: API_KEY,
      },
    });
  });
  after(async function () {
    await node.stop();
    await Promise.all([etherscan.close(), blockscout.close(), sourcify.close()]);
  });

  const submitted = () => etherscan.submissions.length + blockscout.submissions.length + sourcify.submissions.length;
  const verify = (args: string[] = [], env?: Record<string, string>) =>
    node.cli(["release", "verify", "--network", "loopback", ...args], env);
  const stackFile = () => path.join(node.recordsDir, "loopback", "stack.json");

  it("refuses a network whose records are missing (RS7003)", async function () {
    const result = await verify();
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS7003");
    expect(submitted()).to.equal(0);
  });

  it("deploys the stack on the non-development chain", async function () {
    const deploy = await node.cli(["release", "deploy", "--network", "loopback"]);
    expect(deploy.code, deploy.stderr).to.equal(0);
  });

  it("refuses to start without the Etherscan API key, naming the config variable (RS4001)", async function () {
    const result = await verify([], { RELEASE_TEST_ETHERSCAN_KEY: "" });
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS4001");
    expect(result.stderr + result.stdout).to.contain("RELEASE_TEST_ETHERSCAN_KEY");
    expect(submitted()).to.equal(0);
  });

  it("refuses a chain for which no explorer is configured (RS4002)", async function () {
    const result = await verify(["--explorer", "etherscan,blockscout"], { RELEASE_TEST_NO_EXPLORERS: "1" });
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.contain("RS4002");
    expect(submitted()).to.equal(0);
  });

  it("verifies on every explorer, retrying and tolerating failures, and exits 1 while something is not verified", async function () {
    etherscan.script("VaultV1", ["not-indexed", "not-indexed", "verified"]);
    etherscan.script("ReleaseTimelock", ["pending"]);
    etherscan.script("ERC1967Proxy", ["already-verified"]);
    sourcify.script("ReleaseTimelock", ["fail"]);
    const result = await verify(["--json", "--retry-delay", "0.05"], { RELEASE_TEST_BLOCKSCOUT_URL: NOWHERE });
    expect(result.code, result.stderr).to.equal(1);
    const json = JSON.parse(result.stdout) as VerifyStackResult;
    expect(json.ok).to.equal(false);
    const outcome = (explorer: string, contract: string) =>
      json.rows.find((r) => r.explorer === explorer && r.contract === contract)!;
    expect(outcome("etherscan", "VaultV1")).to.include({ outcome: "verified", attempts: 3 });
    expect(outcome("etherscan", "ReleaseTimelock").outcome).to.equal("verified");
    expect(outcome("etherscan", "ERC1967Proxy").outcome).to.equal("already-verified");
    expect(outcome("sourcify", "VaultV1").outcome).to.equal("verified");
    expect(outcome("sourcify", "ReleaseTimelock").outcome).to.equal("failed");
    expect(json.rows.filter((r) => r.explorer === "blockscout").map((r) => r.outcome)).to.deep.equal([
      "failed",
      "failed",
      "failed",
    ]);
    // The proxy's constructor arguments, re-derived from records, are what was deployed: the
    // stand-in gets them as hardhat-verify encodes them.
    const proxy = etherscan.submissions.find((s) => s.contract === "ERC1967Proxy")!;
    expect(proxy.constructorArguments).to.match(/^0{24}[0-9a-f]{40}0{62}40/);

    const stack = JSON.parse(await readFile(stackFile(), "utf8")) as StackRecord;
    const timelock = stack.verification![stack.timelock.address]!;
    expect(timelock.etherscan).to.include({
      status: "verified",
      url: `${etherscan.url}/address/${stack.timelock.address}#code`,
    });
    expect(timelock.sourcify!.status).to.equal("failed");
    expect(timelock.blockscout!.status).to.equal("failed");
    expect(timelock.blockscout!.message).to.match(/127\.0\.0\.1:9/);
  });

  it("resumes after the partial failure without resubmitting what succeeded, then exits 0", async function () {
    sourcify.script("ReleaseTimelock", ["verified"]);
    const before = { etherscan: etherscan.submissions.length, sourcify: sourcify.submissions.length };
    const result = await verify();
    expect(result.code, result.stderr + result.stdout).to.equal(0);
    expect(result.stdout).to.contain("Everything is verified.");
    expect(etherscan.submissions.length).to.equal(before.etherscan);
    expect(sourcify.submissions.slice(before.sourcify).map((s) => s.contract)).to.deep.equal(["ReleaseTimelock"]);
    expect(blockscout.submissions.map((s) => s.contract)).to.deep.equal(["VaultV1", "ERC1967Proxy", "ReleaseTimelock"]);

    const again = await verify(["--json"]);
    expect(again.code).to.equal(0);
    const json = JSON.parse(again.stdout) as VerifyStackResult;
    expect(json.rows.every((r) => r.outcome === "previously-verified")).to.equal(true);
  });

  it("--local tells the compiled contracts from a tampered implementation, and release status flags the drift", async function () {
    const clean = await verify(["--local", "--json"]);
    expect(clean.code, clean.stderr).to.equal(0);
    const ok = JSON.parse(clean.stdout) as CheckStackCodeResult;
    expect(ok.rows.every((r) => r.status === "exact")).to.equal(true);

    const stack = JSON.parse(await readFile(stackFile(), "utf8")) as StackRecord;
    const implementation = stack.proxies.Vault!.implementation;
    const artifact = path.join("artifacts", "contracts", "example", "VaultV2.sol", "VaultV2.json");
    const v2 = JSON.parse(await readFile(artifact, "utf8")) as { deployedBytecode: string };
    await node.rpc("hardhat_setCode", [implementation, v2.deployedBytecode]);

    const tampered = await verify(["--local"]);
    expect(tampered.code).to.equal(1);
    expect(tampered.stdout).to.match(/VaultV1 implementation of Vault .* MISMATCH/);
    const status = await node.cli(["release", "status", "--network", "loopback"]);
    expect(status.code).to.equal(1);
    expect(status.stdout).to.contain("Vault implementation compiled code");
  });
});
