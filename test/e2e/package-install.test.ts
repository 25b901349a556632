import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import type { StackStatus } from "../../src/core/governance/inspect-stack.js";
import type { ProposalRecord } from "../../src/core/proposals/proposal-record.js";
import { startLoopbackNode, USER_ENV, type LoopbackNode } from "../helpers/loopback.js";
import { OWNER_1, OWNER_2 } from "../helpers/proposals.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const exec = promisify(execFile);
// npm and the CLI run under the Node that runs the tests (22), as `npm run setup` arranges.
const ENV = {
  ...USER_ENV,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
  FORCE_COLOR: "0",
};

/**
 * The toolkit as a user gets it: `npm pack`, installed offline into a fresh Hardhat 3 project
 * that enables it with one line in `plugins`, whose own contract inherits the governed base from
 * the package; then deploy, propose upgrade, review, sign, execute and status through its CLI.
 */
describe("the packed plugin installed into a fresh Hardhat 3 project", function () {
  this.timeout(600_000);
  let node: LoopbackNode;
  let project: string;

  const cli = async (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(path.join(project, "node_modules", ".bin", "hardhat"), [...args, "--network", "chain"], {
        cwd: project,
        env: { ...ENV, CHAIN_URL: node.url },
      });
      let [stdout, stderr] = ["", ""];
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
  const ok = async (args: string[]) => {
    const result = await cli(args);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  };

  before(async function () {
    const packed = await mkdtemp(path.join(tmpdir(), "release-safety-pack-"));
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", packed], { cwd: ROOT, env: ENV });
    const tarball = path.join(packed, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);

    const ours = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const exact = (name: string) => ours.devDependencies[name]!.replace(/^\^/, "");
    project = await mkdtemp(path.join(tmpdir(), "release-safety-user-"));
    await writeFile(
      path.join(project, "package.json"),
      JSON.stringify(
        {
          name: "a-user-project",
          private: true,
          type: "module",
          devDependencies: {
            "hardhat-release-safety": `file:${tarball}`,
            ...Object.fromEntries(Object.keys(ours.peerDependencies).map((name) => [name, exact(name)])),
            solc: exact("solc"),
          },
          // Safe's contracts package declares an ethers 5 peer; its artifacts need none (README, "Install").
          overrides: { "@safe-global/safe-contracts": { ethers: "$ethers" } },
        },
        null,
        2,
      ),
    );
    await exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: project,
      env: ENV,
      maxBuffer: 1 << 26,
    });

    await mkdir(path.join(project, "contracts"));
    const vault = (version: string, extra: string) => `// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {GovernedUUPS} from "hardhat-release-safety/contracts/governance/GovernedUUPS.sol";

contract Counter${version} is GovernedUUPS {
    uint256 public count;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address timelock, address guardian, uint64 rollbackWindow) external initializer {
        __GovernedUUPS_init(timelock, guardian, rollbackWindow);
    }

    function increment() external whenNotPaused {
        count += 1;
    }
${extra}}
`;
    await writeFile(path.join(project, "contracts", "CounterV1.sol"), vault("V1", ""));
    await writeFile(
      path.join(project, "contracts", "CounterV2.sol"),
      vault("V2", '\n    function version() external pure returns (string memory) {\n        return "2";\n    }\n'),
    );
    await writeFile(
      path.join(project, "hardhat.config.ts"),
      `import { fileURLToPath } from "node:url";
import { defineConfig } from "hardhat/config";
import releaseSafety from "hardhat-release-safety";

const solc = { version: "0.8.37", path: fileURLToPath(import.meta.resolve("solc/soljson.js")) };
const release = {
  owners: { owners: ["${OWNER_1}", "${OWNER_2}"], threshold: 2 },
  guardian: { owners: ["0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"], threshold: 1 },
  timelock: { minDelay: 3600 },
  rollbackWindow: 86400,
  proxies: { Counter: { contract: "CounterV1" } },
};

export default defineConfig({
  plugins: [releaseSafety],
  solidity: { profiles: { default: solc, production: solc } },
  networks: { chain: { type: "http", url: process.env.CHAIN_URL ?? "http://127.0.0.1:8545" } },
  release: { networks: { chain: release } },
});
`,
    );
    node = await startLoopbackNode();
  });
  after(async function () {
    await node?.stop();
  });

  it("deploys, proposes an upgrade, reviews, signs, executes and reports status through the CLI", async function () {
    await ok(["release", "deploy"]);
    const upgrade = JSON.parse(
      (await ok(["release", "propose", "upgrade", "--proxy", "Counter", "--implementation", "CounterV2", "--json"]))
        .stdout,
    ) as ProposalRecord;
    await ok(["release", "review", upgrade.id]);
    for (const owner of [OWNER_1, OWNER_2]) await ok(["release", "sign", upgrade.id, "--signer", owner]);
    await ok(["release", "execute", upgrade.id]);
    await node.rpc("evm_increaseTime", [3601]);
    await node.rpc("evm_mine", []);
    for (const owner of [OWNER_1, OWNER_2]) await ok(["release", "sign", upgrade.id, "--signer", owner]);
    await ok(["release", "execute", upgrade.id]);
    const status = JSON.parse((await ok(["release", "status", "--json"])).stdout) as StackStatus;
    expect(status.ok, JSON.stringify(status.findings)).to.equal(true);
    expect(status.proxies[0]).to.include({ name: "Counter", contract: "CounterV2" });
    // The records live in the user's project, where `git diff` shows them.
    expect(await readFile(path.join(project, "deployments", "chain", "stack.json"), "utf8")).to.contain("CounterV2");
  });
});
